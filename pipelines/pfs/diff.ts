/**
 * How release diffs treat the PFS datasets: which columns are release-wide facts (conversion
 * factors), which exist in only some layouts, which RVUs and indices the summary ranks.
 */
import type { DiffSpec } from '../../src/pipeline.js';

/** Key (hcpcs, modifier). */
const CODE_FEED = { hcpcs: 'hcpcs', modifier: 'modifier' } as const;

export const pprrvuDiff: DiffSpec = {
  feed: CODE_FEED,
  labelColumn: 'description',
  // One value per file; 2026 ships the QPP factor beside the nonQPP one.
  summary: ['conv_factor', 'conv_factor_qpp'],
  // PRIC IND arrived with the 2026 layout: NULL throughout every earlier release.
  layoutOnly: ['pricing_ind'],
  moves: ['work_rvu', 'nonfac_pe_rvu', 'fac_pe_rvu', 'mp_rvu', 'nonfac_total', 'fac_total'],
};

export const gpciDiff: DiffSpec = {
  labelColumn: 'locality_name',
  // Only the 2026 Q1 file has the work GPCI without the 1.0 floor.
  layoutOnly: ['pw_gpci_no_floor'],
  moves: ['pw_gpci', 'pe_gpci', 'mp_gpci'],
};

export const loccoDiff: DiffSpec = {
  aliases: ['locality', 'localities'],
  labelColumn: 'fee_schedule_area',
};

export const anesDiff: DiffSpec = {
  labelColumn: 'locality_name',
  // The national factor is read from the header (2025 on): one value per file.
  summary: ['national_anes_cf'],
  moves: ['anes_cf'],
};

export const oppscapDiff: DiffSpec = {
  aliases: ['opps'],
  feed: CODE_FEED,
  moves: ['fac_price', 'nonfac_price'],
};
