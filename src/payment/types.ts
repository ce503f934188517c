/** What the payment stage answers. Every number is an exact decimal string (or null), never a float. */

export interface PriceOptions {
  /** HCPCS code, e.g. 99213 */
  hcpcs: string;
  /** MAC-LOCALITY (01112-05), STATE-LOCALITY (CA-05), or a name or county to search */
  locality: string;
  /** '' or omitted: the code's row without a modifier; 26, TC, 53 */
  modifier?: string;
  /** RVU25D, RVU25D@0, latest */
  release?: string;
  /** YYYY-MM-DD: the release in effect that day */
  date?: string;
  /** price with the QPP conversion factor (2026 on) */
  qpp?: boolean;
  /** anesthesia: base units and minutes (both, or neither) */
  baseUnits?: string;
  minutes?: string;
}

export interface ScheduleOptions {
  locality: string;
  release?: string;
  date?: string;
}

export interface PricingRelease {
  id: string;
  code: string;
  revision: number;
  status: 'active' | 'superseded';
  effectiveFrom: string;
  publishedOn: string | null;
  datasets: readonly string[];
}

export interface PricingLocality {
  mac: string;
  state: string;
  locality: string;
  name: string;
  /** LOCCO: fee schedule areas and counties of the locality ('' when the release has no LOCCO) */
  counties: string;
}

export interface SettingPrice {
  /** the PE RVU of this setting */
  peRvu: string | null;
  /** NA: CMS flags this setting as rarely or never used for the service (the amount is still computed) */
  na: boolean;
  /** (work × GPCI) + (PE × GPCI) + (MP × GPCI), exact */
  gpciRvus: string | null;
  /** the fee schedule amount with the non-QPP CF (the only CF before 2026) */
  amount: string | null;
  /** with the QPP CF (2026 on; else null) */
  amountQpp: string | null;
  /** the OPPS cap for this setting, where OPPSCAP has the code and locality */
  oppsCap: string | null;
  /** true when the cap is lower than the amount, so the cap is paid */
  capped: boolean;
  cappedQpp: boolean;
  /** what Medicare pays: the amount, or the cap when that is lower */
  paid: string | null;
  paidQpp: string | null;
  /** 95% of the paid amount (non-participating physician) */
  nonParticipating: string | null;
  nonParticipatingQpp: string | null;
  /** 115% of the non-participating amount (= paid × 1.0925): what a non-participating physician may charge */
  limitingCharge: string | null;
  limitingChargeQpp: string | null;
}

export interface Indicator {
  field: string;
  label: string;
  code: string | null;
  meaning: string | null;
}

export interface AnesthesiaPrice {
  /** the locality's anesthesia CF from ANES (null when the release has no ANES row for it) */
  conversionFactor: string | null;
  nationalConversionFactor: string | null;
  baseUnits: string | null;
  minutes: string | null;
  timeUnits: string | null;
  amount: string | null;
  note: string;
}

/** The code in another Medicare schedule (OPPS, ASP, CLFS), as codeSchedules gives it. */
export interface OtherSchedule {
  family: string;
  schedule: string;
  status: string | null;
  /** true when that schedule pays the code separately; `amount` is null otherwise, never 0 */
  paid: boolean;
  amount: string | null;
  release: { code: string; revision: number; quarterName: string };
  /** one line: `hospital outpatient (OPPS Addendum B): packaged … (SI N), January 2025 (OPPS2025_JAN)` */
  summary: string;
}

export interface PriceResult {
  release: PricingRelease;
  locality: PricingLocality;
  hcpcs: string;
  modifier: string;
  description: string | null;
  status: { code: string; priced: boolean; reason: string | null };
  /** which CF the headline amounts use */
  conversionFactorUsed: 'non-qpp' | 'qpp';
  rvus: { work: string | null; mp: string | null };
  gpci: { work: string; pe: string; mp: string };
  conversionFactor: string | null;
  conversionFactorQpp: string | null;
  formula: string;
  nonFacility: SettingPrice;
  facility: SettingPrice;
  opps: { known: boolean; procStatus: string | null; note: string | null };
  indicators: Indicator[];
  anesthesia: AnesthesiaPrice | null;
  notes: string[];
  /** the code in the other schedules in effect on `--date` (or now); filled in by src/index.ts */
  schedules: OtherSchedule[];
}

/** One line of a locality's fee schedule (`price --all`). */
export interface ScheduleRow {
  hcpcs: string;
  modifier: string;
  status_code: string;
  nonfac_amount: string | null;
  fac_amount: string | null;
  nonfac_amount_qpp: string | null;
  fac_amount_qpp: string | null;
  nonfac_na: boolean;
  fac_na: boolean;
  opps_nonfac_cap: string | null;
  opps_fac_cap: string | null;
  nonfac_paid: string | null;
  fac_paid: string | null;
  nonfac_paid_qpp: string | null;
  fac_paid_qpp: string | null;
  nonfac_limiting_charge: string | null;
  fac_limiting_charge: string | null;
  /** false: whether an OPPS cap applies is unknown (no OPPSCAP file, or a MAC-locality of two states), so `_paid` may be more than is paid */
  opps_cap_known: boolean;
}

export interface ScheduleResult {
  release: PricingRelease;
  locality: PricingLocality;
  rows: ScheduleRow[];
}
