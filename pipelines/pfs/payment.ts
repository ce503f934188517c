/**
 * How Medicare pays a PFS service in a locality (cms-formats.md §1.2 and §2; RVU25D.pdf): which
 * statuses are priced from RVUs, the factors of the non-participating amount and the limiting
 * charge, anesthesia time units, and what each payment indicator means on a claim.
 * The formula itself is SQL (payment-sql.ts, built from the constants here), so the view
 * `cms.pfs_payment` and the `price` command compute with one statement.
 */

/** Only RVUs of these statuses are used for payment. */
export const PRICED_STATUSES = ['A', 'R', 'T'] as const;

/** Non-participating physicians are paid 95% of the fee schedule amount. */
export const NONPAR_FACTOR = '0.95';
/** They may charge at most 115% of that: 0.95 × 1.15 = 1.0925 of the fee schedule amount. */
export const LIMITING_CHARGE_FACTOR = '1.0925';
/** Anesthesia: one time unit per 15 minutes, rounded to one decimal. */
export const ANES_MINUTES_PER_UNIT = 15;
export const ANES_TIME_UNIT_DECIMALS = 1;

/** The formula as people read it (the SQL computes exactly this, rounding once, half-up, to cents). */
export const FORMULA = '[(work RVU × work GPCI) + (PE RVU × PE GPCI) + (MP RVU × MP GPCI)] × CF';

/** Why a status has no amount from RVUs, and where its price comes from. */
export const UNPRICED_STATUS: Readonly<Record<string, string>> = {
  B: 'Bundled (status B): payment is included in the payment for other services; the RVUs are not used and it is not paid separately.',
  C: 'Contractor-priced (status C): the Medicare Administrative Contractor sets the amount case by case; the fee schedule has no national RVUs for it.',
  D: 'Deleted (status D): the code is no longer valid; claims use the code that replaced it.',
  E: 'Excluded from the fee schedule by regulation (status E): if Medicare covers it, payment comes from another fee schedule or the contractor, not from these RVUs.',
  F: 'Deleted without a grace period (status F): the code is not payable.',
  G: 'Not valid for Medicare (status G): another code applies (90-day grace period).',
  H: 'Deleted component (status H): the 26/TC modifier is no longer valid for this code.',
  I: 'Not valid for Medicare (status I): another code applies; no grace period.',
  J: 'Anesthesia service (status J): paid as (base units + time units) × the locality anesthesia conversion factor, not from RVUs.',
  M: 'Measurement code (status M): used for quality reporting only; Medicare pays nothing for it.',
  N: 'Non-covered (status N): Medicare does not cover this service.',
  P: 'Bundled or excluded (status P): no separate payment under the fee schedule; if covered, it is paid as part of another service or outside the fee schedule.',
  X: 'Statutory exclusion (status X): not a physician service under the fee schedule (e.g. ambulance, clinical lab); paid under another fee schedule if covered.',
};

/** A priced status whose RVUs are all zero (most status R codes) has no amount either. */
export const NO_RVUS =
  'No RVUs (status {status}): this priced status carries no RVUs in this release, so the contractor prices it if it is covered.';

export const NA_MEANING = 'NA: CMS has not developed RVUs for this setting because the service is rarely or never performed there; the amount is what the RVUs give, shown as CMS publishes it.';

type Table = Readonly<Record<string, string>>;

/** Indicators that change what a claim line is paid, with their meanings (cms-formats.md §1.2). */
export const INDICATORS: Readonly<Record<'pctc_ind' | 'global_days' | 'mult_proc' | 'bilat_surg' | 'asst_surg' | 'co_surg' | 'team_surg', { label: string; meanings: Table }>> = {
  global_days: {
    label: 'global days',
    meanings: {
      '000': 'endoscopic or minor procedure; related services on the day of the procedure are included',
      '010': 'minor procedure; care on the day and for 10 days after is included',
      '090': 'major surgery; the day before, the day of and 90 days after are included',
      MMM: 'maternity code; the usual global surgery rules do not apply',
      XXX: 'global concept does not apply',
      YYY: 'the contractor sets the global period',
      ZZZ: 'part of another service and within its global period (add-on code)',
    },
  },
  mult_proc: {
    label: 'multiple procedure (modifier 51)',
    meanings: {
      '0': 'no multiple-procedure reduction',
      '1': 'pre-1995 reductions: 100/50/25/25/25%',
      '2': 'standard reduction: 100% for the highest, 50% for each other',
      '3': 'endoscopy family rules (see the endoscopic base code)',
      '4': 'diagnostic imaging family: TC reduced 50%, PC reduced 5%',
      '5': 'therapy: practice expense reduced 50% for the second and later units',
      '6': 'cardiovascular diagnostics: TC reduced 25%',
      '7': 'ophthalmology diagnostics: TC reduced 20%',
      '9': 'concept does not apply',
    },
  },
  bilat_surg: {
    label: 'bilateral surgery (modifier 50)',
    meanings: {
      '0': 'no bilateral adjustment: 100% of the amount for the two sides',
      '1': 'bilateral: 150% of the amount',
      '2': 'already bilateral: 100%',
      '3': '100% for each side (radiology)',
      '9': 'concept does not apply',
    },
  },
  asst_surg: {
    label: 'assistant at surgery (80/81/82/AS)',
    meanings: { '0': 'paid only with documentation of medical necessity', '1': 'statutory payment restriction: never paid', '2': 'may be paid', '9': 'concept does not apply' },
  },
  co_surg: {
    label: 'co-surgeons (modifier 62)',
    meanings: { '0': 'not permitted', '1': 'permitted with documentation', '2': 'permitted if the two-specialty requirement is met', '9': 'concept does not apply' },
  },
  team_surg: {
    label: 'team surgery (modifier 66)',
    meanings: { '0': 'not permitted', '1': 'permitted with documentation, priced by report', '2': 'permitted, priced by report', '9': 'concept does not apply' },
  },
  pctc_ind: {
    label: 'professional/technical component',
    meanings: {
      '0': 'physician service; modifiers 26 and TC do not apply',
      '1': 'diagnostic test: professional (26) and technical (TC) components are priced separately',
      '2': 'professional component only',
      '3': 'technical component only',
      '4': 'global test only; its components have their own codes',
      '5': 'incident-to service',
      '6': 'laboratory physician interpretation; TC does not apply',
      '7': 'physical therapy service not payable when provided to hospital inpatients/outpatients',
      '8': 'physician interpretation of 85060',
      '9': 'concept does not apply',
    },
  },
};

/** OPPSCAP procedure status: C means the code is contractor-priced and the value is the cap itself. */
export const OPPS_CAP_MEANING =
  'OPPS cap: imaging services are paid the lower of the fee schedule amount and the hospital outpatient (OPPS) amount for the locality (OPPSCAP).';
export const OPPS_CAP_CONTRACTOR =
  'The contractor prices this code; its payment may not exceed the OPPS cap for the locality.';
