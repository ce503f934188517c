/**
 * Kysely's view of schema `cms`. Mirrors migrations/ (the schema's source of truth).
 * `numeric` columns are decimal strings; `bigint` ids arrive as strings from pg.
 */
import type { ColumnType, Generated } from 'kysely';

/** A timestamptz with a default: optional on insert. Not `Timestamp`, which selects as the wrapper type. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type DateText = ColumnType<string, string, string>;
type Id = ColumnType<string, string | number | bigint, string | number | bigint>;

export interface ReleasesTable {
  id: Generated<string>;
  family: string;
  code: string;
  year: number;
  quarter: number;
  revision: number;
  effective_from: DateText;
  published_on: DateText | null;
  source_name: string;
  source_url: string | null;
  archive_sha256: string;
  status: 'active' | 'superseded';
  superseded_by: Id | null;
  loaded_at: Timestamp;
}

export interface ReleaseDatasetsTable {
  release_id: Id;
  dataset: string;
  table_name: string;
  row_count: number;
  /** the release whose rows a partial re-post carried forward (0003); NULL when loaded from its own files */
  carried_from: ColumnType<string | null, string | null | undefined, string | null>;
}

/** Declared errata applied while a release was parsed (0003_release_errata). */
export interface ReleaseErrataTable {
  release_id: Id;
  dataset: string;
  file: string;
  line: number;
  key: string;
  field: string;
  found: string;
  corrected: string;
  reason: string;
}

export interface ReleaseFilesTable {
  release_id: Id;
  dataset: string;
  name: string;
  format: string;
  role: string;
  size_bytes: ColumnType<string, number, number>;
  sha256: string;
  row_count: number;
}

export interface ImportRunsTable {
  id: Generated<string>;
  source: string;
  family: string | null;
  release_code: string | null;
  archive_sha256: string | null;
  started_at: Timestamp;
  finished_at: Timestamp | null;
  outcome: 'loaded' | 'unchanged' | 'failed' | null;
  error: string | null;
  warnings: ColumnType<unknown[], string | undefined, string>;
  release_id: Id | null;
}

export interface CurrentReleasesView {
  family: string;
  dataset: string;
  table_name: string;
  release_id: string;
  code: string;
  revision: number;
  effective_from: string;
}

export interface PfsRvuTable {
  release_id: Id;
  hcpcs: string;
  modifier: string;
  description: string | null;
  status_code: string;
  not_used_for_medicare: boolean;
  work_rvu: string | null;
  nonfac_pe_rvu: string | null;
  nonfac_na: boolean;
  fac_pe_rvu: string | null;
  fac_na: boolean;
  mp_rvu: string | null;
  nonfac_total: string | null;
  fac_total: string | null;
  pctc_ind: string | null;
  global_days: string | null;
  pre_op: string | null;
  intra_op: string | null;
  post_op: string | null;
  mult_proc: string | null;
  bilat_surg: string | null;
  asst_surg: string | null;
  co_surg: string | null;
  team_surg: string | null;
  pricing_ind: string | null;
  endo_base: string | null;
  conv_factor: string | null;
  conv_factor_qpp: string | null;
  phys_supervision: string | null;
  calc_flag: string | null;
  diag_imaging_family: string | null;
  nonfac_pe_opps: string | null;
  fac_pe_opps: string | null;
  mp_opps: string | null;
}

export interface PfsGpciTable {
  release_id: Id;
  mac: string;
  state: string;
  locality: string;
  locality_name: string;
  pw_gpci: string;
  pw_gpci_no_floor: string | null;
  pe_gpci: string;
  mp_gpci: string;
}

export interface PfsLocalityCountyTable {
  release_id: Id;
  mac: string;
  locality: string;
  state: string;
  fee_schedule_area: string;
  counties: string;
}

export interface PfsAnesCfTable {
  release_id: Id;
  mac: string;
  locality: string;
  locality_name: string;
  anes_cf: string;
  national_anes_cf: string | null;
}

export interface PfsOppsCapTable {
  release_id: Id;
  hcpcs: string;
  modifier: string;
  proc_status: string;
  mac: string;
  locality: string;
  fac_price: string;
  nonfac_price: string;
}

export interface HcpcsCodeTable {
  release_id: Id;
  hcpcs: string;
  long_description: string;
  short_description: string;
  pricing_ind: string[] | null;
  mult_pricing_ind: string | null;
  cim: string[] | null;
  mcm: string[] | null;
  statute: string | null;
  lab_cert: string[] | null;
  xref: string[] | null;
  coverage: string | null;
  asc_group: string | null;
  asc_date: string | null;
  opps: string | null;
  opps_pi: string | null;
  opps_date: string | null;
  proc_note: string | null;
  betos: string | null;
  tos: string[] | null;
  anes_base_units: string | null;
  add_date: string | null;
  action_effective_date: string | null;
  termination_date: string | null;
  action_code: string;
}

export interface HcpcsModifierTable {
  release_id: Id;
  modifier: string;
  long_description: string;
  short_description: string;
  cim: string[] | null;
  mcm: string[] | null;
  statute: string | null;
  xref: string[] | null;
  coverage: string | null;
  proc_note: string | null;
  add_date: string | null;
  action_effective_date: string | null;
  termination_date: string | null;
  action_code: string;
}

/** OPPS Addendum B (migration 0007): one row per HCPCS code per release. */
export interface OppsAddendumBTable {
  release_id: Id;
  hcpcs: string;
  short_description: string | null;
  status_indicator: string;
  apc: string | null;
  relative_weight: string | null;
  payment_rate: string | null;
  national_copay: string | null;
  /** CMS wrote `.`: no national unadjusted copayment */
  national_copay_na: boolean;
  minimum_copay: string | null;
  ira_coinsurance_pct: string | null;
  adjusted_copay: string | null;
  copay_capped: boolean | null;
  inpatient_deductible: string | null;
  pass_through_expires: boolean;
  note: string | null;
  changed: boolean;
}

/** ASP payment limits (migration 0008): one row per HCPCS code per release. */
export interface AspPaymentLimitTable {
  release_id: Id;
  hcpcs: string;
  short_description: string;
  dosage: string | null;
  /** NULL exactly when CMS wrote N/A (`payment_limit_na`) */
  payment_limit: string | null;
  payment_limit_na: boolean;
  coinsurance_pct: string | null;
  vaccine_awp_pct: string | null;
  vaccine_limit: string | null;
  blood_awp_pct: string | null;
  blood_limit: string | null;
  clotting_factor: boolean;
  notes: string | null;
}

/** CLFS rates (migration 0009): one row per code and modifier per release. */
export interface ClfsRateTable {
  release_id: Id;
  hcpcs: string;
  modifier: string;
  year: number;
  effective_date: DateText;
  indicator: string;
  rate: string;
  short_description: string | null;
  long_description: string | null;
  extended_long_description: string | null;
}

export interface CodeChangeTable {
  id: Generated<string>;
  family: string;
  dataset: string;
  from_release_id: Id;
  to_release_id: Id;
  hcpcs: string | null;
  modifier: string | null;
  key: ColumnType<Record<string, string>, string, string>;
  change: 'added' | 'removed' | 'changed';
  fields: ColumnType<Record<string, { from: unknown; to: unknown }>, string, string>;
  tags: string[];
}

export interface PublishRunsTable {
  id: Generated<string>;
  kind: 'postgres' | 'files';
  target: string;
  started_at: Timestamp;
  finished_at: Timestamp | null;
  outcome: 'published' | 'unchanged' | 'failed' | null;
  error: string | null;
  releases: ColumnType<unknown[] | null, string | null | undefined, string | null>;
  editorial_version: string | null;
  options: ColumnType<Record<string, unknown>, string | undefined, string>;
  tables: ColumnType<unknown[] | null, string | null | undefined, string | null>;
}

/**
 * A row of `cms.pfs_payment_rows(release, state, locality, hcpcs, national)` and of the views
 * `cms.pfs_payment` (all rows of every PFS release) — migrations/0004, pipelines/pfs/payment-sql.ts.
 * Amounts are rounded to cents; NULL where the status has none (or, for `_qpp`, before 2026).
 */
export interface PfsPaymentView {
  release_id: string;
  hcpcs: string;
  modifier: string;
  mac: string | null;
  locality: string | null;
  state: string | null;
  locality_name: string;
  status_code: string;
  priced: boolean;
  work_rvu: string | null;
  nonfac_pe_rvu: string | null;
  fac_pe_rvu: string | null;
  mp_rvu: string | null;
  pw_gpci: string;
  pe_gpci: string;
  mp_gpci: string;
  conv_factor: string | null;
  conv_factor_qpp: string | null;
  nonfac_na: boolean;
  fac_na: boolean;
  nonfac_gpci_rvus: string | null;
  fac_gpci_rvus: string | null;
  nonfac_amount: string | null;
  fac_amount: string | null;
  nonfac_amount_qpp: string | null;
  fac_amount_qpp: string | null;
  opps_cap_known: boolean;
  opps_proc_status: string | null;
  opps_nonfac_cap: string | null;
  opps_fac_cap: string | null;
  nonfac_capped: boolean;
  fac_capped: boolean;
  nonfac_capped_qpp: boolean;
  fac_capped_qpp: boolean;
  nonfac_paid: string | null;
  fac_paid: string | null;
  nonfac_paid_qpp: string | null;
  fac_paid_qpp: string | null;
  nonfac_nonpar: string | null;
  fac_nonpar: string | null;
  nonfac_nonpar_qpp: string | null;
  fac_nonpar_qpp: string | null;
  nonfac_limiting_charge: string | null;
  fac_limiting_charge: string | null;
  nonfac_limiting_charge_qpp: string | null;
  fac_limiting_charge_qpp: string | null;
  anes_cf: string | null;
}

/** `cms.pfs_payment_national`: the national amounts (all GPCIs 1) of every PFS release. */
export interface PfsPaymentNationalView {
  release_id: string;
  hcpcs: string;
  modifier: string;
  status_code: string;
  priced: boolean;
  conv_factor: string | null;
  conv_factor_qpp: string | null;
  nonfac_na: boolean;
  fac_na: boolean;
  nonfac_amount: string | null;
  fac_amount: string | null;
  nonfac_amount_qpp: string | null;
  fac_amount_qpp: string | null;
}

/** What the price command reads for one code: a payment row with the code's indicators. */
export interface PaymentRow extends PfsPaymentView {
  description: string | null;
  pctc_ind: string | null;
  global_days: string | null;
  mult_proc: string | null;
  bilat_surg: string | null;
  asst_surg: string | null;
  co_surg: string | null;
  team_surg: string | null;
  national_anes_cf: string | null;
}

export type EditorialEntryType = 'code' | 'category';

export interface EditorialVersionTable {
  id: Generated<string>;
  entry_type: EditorialEntryType;
  entry_key: string;
  version: number;
  change: 'created' | 'updated' | 'retired';
  content: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  content_hash: string | null;
  source_file: string;
  source_line: number | null;
  imported_at: Timestamp;
  imported_by: string;
  pfs_release_id: Id | null;
  hcpcs_release_id: Id | null;
  pfs_description: string | null;
  hcpcs_long_description: string | null;
  hcpcs_short_description: string | null;
  pfs_status_code: string | null;
}

export interface EditorialEntryTable {
  entry_type: EditorialEntryType;
  entry_key: string;
  title: string | null;
  summary: string | null;
  synonyms: ColumnType<string[], string[] | undefined, string[]>;
  plain_language: string | null;
  clinical_context: string | null;
  specialties: ColumnType<string[], string[] | undefined, string[]>;
  billing_notes: string | null;
  notes: string | null;
  version: number;
  version_id: Id;
  content_hash: string;
  updated_at: Timestamp;
}

export type ReviewReason = 'added_without_editorial' | 'editorial_for_removed' | 'descriptor_changed' | 'status_changed' | 'unknown_code';

export interface ReviewItemTable {
  id: Generated<string>;
  hcpcs: string;
  reason: ReviewReason;
  release_id: Id | null;
  version_id: Id | null;
  details: ColumnType<Record<string, unknown>, string | undefined, string>;
  raised_at: Timestamp;
  resolved_at: Timestamp | null;
  resolution: 'reimported' | 'retired' | 'code_loaded' | 'resolved' | null;
  resolved_by: string | null;
  resolution_note: string | null;
  resolved_by_version_id: Id | null;
}

export interface CodeCategoryTable {
  position: number;
  category: string;
  kind: string;
  label: string;
  pattern: string;
  first_code: string | null;
  last_code: string | null;
  /** the characters a matching code can begin with (migration 0012), when the pattern says */
  lead_first: string | null;
  lead_last: string | null;
}

export interface PfsStatusTable {
  status_code: string;
  meaning: string;
  paid_from_rvus: boolean;
  payment: string;
}

/** One row of cms.code_catalog (and of cms.code_catalog_as_of(pfs_release_id, hcpcs_release_id)). */
export interface CodeCatalogView {
  hcpcs: string;
  kind: string | null;
  category: string | null;
  category_label: string | null;
  title: string | null;
  short_description: string | null;
  long_description: string | null;
  pfs_description: string | null;
  status_code: string | null;
  status_meaning: string | null;
  status_payment: string | null;
  paid_from_rvus: boolean | null;
  work_rvu: string | null;
  nonfac_total: string | null;
  fac_total: string | null;
  nonfac_na: boolean | null;
  fac_na: boolean | null;
  global_days: string | null;
  conv_factor: string | null;
  conv_factor_qpp: string | null;
  national_nonfac_amount: string | null;
  national_fac_amount: string | null;
  national_nonfac_amount_qpp: string | null;
  national_fac_amount_qpp: string | null;
  termination_date: string | null;
  editorial_title: string | null;
  summary: string | null;
  synonyms: string[];
  plain_language: string | null;
  clinical_context: string | null;
  specialties: string[];
  billing_notes: string | null;
  billing_notes_from: string | null;
  pfs_release: string | null;
  hcpcs_release: string | null;
  pfs_release_id: string | null;
  hcpcs_release_id: string | null;
  editorial_version: number | null;
  editorial_updated_at: Date | null;
  /** the other schedules (migration 0011): current release (`OPPS2025_JUL@1`), quarter, status, meaning; amounts only where paid separately */
  opps_release: string | null;
  opps_quarter: string | null;
  opps_status: string | null;
  opps_meaning: string | null;
  opps_payment_rate: string | null;
  asp_release: string | null;
  asp_quarter: string | null;
  asp_meaning: string | null;
  asp_payment_limit: string | null;
  clfs_release: string | null;
  clfs_quarter: string | null;
  clfs_indicator: string | null;
  clfs_meaning: string | null;
  clfs_national_limit: string | null;
}

/** `cms.code_schedule_status`: what an OPPS or CLFS status means, and whether that schedule pays the code separately. */
export interface CodeScheduleStatusTable {
  family: string;
  status: string;
  meaning: string;
  paid: boolean;
}

export interface Schema {
  'cms.releases': ReleasesTable;
  'cms.release_datasets': ReleaseDatasetsTable;
  'cms.release_files': ReleaseFilesTable;
  'cms.release_errata': ReleaseErrataTable;
  'cms.import_runs': ImportRunsTable;
  'cms.current_releases': CurrentReleasesView;
  'cms.pfs_rvu': PfsRvuTable;
  'cms.pfs_gpci': PfsGpciTable;
  'cms.pfs_locality_county': PfsLocalityCountyTable;
  'cms.pfs_anes_cf': PfsAnesCfTable;
  'cms.pfs_opps_cap': PfsOppsCapTable;
  'cms.hcpcs_code': HcpcsCodeTable;
  'cms.hcpcs_modifier': HcpcsModifierTable;
  'cms.code_change': CodeChangeTable;
  'cms.publish_runs': PublishRunsTable;
  'cms.editorial_version': EditorialVersionTable;
  'cms.editorial_entry': EditorialEntryTable;
  'cms.review_item': ReviewItemTable;
  'cms.code_category': CodeCategoryTable;
  'cms.pfs_status': PfsStatusTable;
  'cms.code_schedule_status': CodeScheduleStatusTable;
  'cms.code_catalog': CodeCatalogView;
  'cms.pfs_rvu_current': PfsRvuTable;
  'cms.pfs_gpci_current': PfsGpciTable;
  'cms.pfs_locality_county_current': PfsLocalityCountyTable;
  'cms.pfs_anes_cf_current': PfsAnesCfTable;
  'cms.pfs_opps_cap_current': PfsOppsCapTable;
  'cms.hcpcs_code_current': HcpcsCodeTable;
  'cms.hcpcs_modifier_current': HcpcsModifierTable;
  'cms.opps_addendum_b': OppsAddendumBTable;
  'cms.opps_addendum_b_current': OppsAddendumBTable;
  'cms.asp_payment_limit': AspPaymentLimitTable;
  'cms.asp_payment_limit_current': AspPaymentLimitTable;
  'cms.clfs_rate': ClfsRateTable;
  'cms.clfs_rate_current': ClfsRateTable;
  'cms.pfs_payment': PfsPaymentView;
  'cms.pfs_payment_national': PfsPaymentNationalView;
}
