/** How release diffs treat Addendum B. */
import type { DiffSpec } from '../../src/pipeline.js';

export const addendumBDiff: DiffSpec = {
  aliases: ['opps', 'addendum-b'],
  feed: { hcpcs: 'hcpcs' },
  labelColumn: 'short_description',
  // CMS's own "* Indicates a Change" marker is bookkeeping, like HCPCS's action code.
  ignore: ['changed'],
  // One deductible per file (2022 layout).
  summary: ['inpatient_deductible'],
  // Columns of one layout era only: NULL throughout a release of the other.
  layoutOnly: ['ira_coinsurance_pct', 'adjusted_copay', 'note', 'copay_capped', 'inpatient_deductible'],
  moves: ['payment_rate', 'relative_weight', 'minimum_copay'],
};
