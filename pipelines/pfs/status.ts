/**
 * PPRRVU status codes (cms-formats.md §1.2, from CMS's RVU file documentation): what each means,
 * and what it means for payment. Only the RVUs of A, R and T codes are used for payment; for
 * every other status the national amount is not computed and a code page says where the price
 * comes from instead.
 */

export interface PfsStatus {
  readonly code: string;
  /** CMS's meaning */
  readonly meaning: string;
  /** whether Medicare pays the code from its RVUs under the fee schedule */
  readonly paidFromRvus: boolean;
  /** a plain sentence for a code page */
  readonly payment: string;
}

const status = (code: string, meaning: string, paidFromRvus: boolean, payment: string): PfsStatus => ({ code, meaning, paidFromRvus, payment });

export const PFS_STATUSES: readonly PfsStatus[] = [
  status('A', 'Active, separately paid if covered', true, 'Paid under the fee schedule from its RVUs.'),
  status('B', 'Bundled; RVUs are not used', false, 'Bundled: paid as part of another service, never separately; its RVUs are not used for payment.'),
  status('C', 'Contractor-priced', false, 'Carrier priced: there are no national RVUs; the Medicare contractor (MAC) sets the payment.'),
  status('D', 'Deleted', false, 'Deleted: no longer payable; a grace period may apply.'),
  status('E', 'Excluded by regulation', false, 'Excluded from the fee schedule by regulation: not paid under it.'),
  status('F', 'Deleted, no grace period', false, 'Deleted with no grace period: no longer payable.'),
  status('G', 'Not valid; another code applies; 90-day grace', false, 'Not valid for Medicare: another code applies (90-day grace period).'),
  status('H', 'Deleted TC/26 component', false, 'The TC or 26 component of this code was deleted: not payable with that modifier.'),
  status('I', 'Not valid; no grace period', false, 'Not valid for Medicare: another code applies (no grace period).'),
  status('J', 'Anesthesia; no RVUs', false, 'Anesthesia service: no RVUs; paid by base and time units times the anesthesia conversion factor.'),
  status('M', 'Measurement, reporting only', false, 'Measurement code, for reporting only: no payment.'),
  status('N', 'Non-covered', false, 'Not covered by Medicare.'),
  status('P', 'Bundled/excluded; no RVUs', false, 'Bundled or excluded: no RVUs; paid as part of another service, or not at all.'),
  status('R', 'Restricted coverage; contractor-priced (mostly D-codes)', true, 'Restricted coverage: paid under the fee schedule from its RVUs only in special circumstances.'),
  status('T', 'Injection; paid only if no other PFS service by the same provider that day', true, 'Paid from its RVUs only when no other fee-schedule service is billed by the same provider that day.'),
  status('X', 'Statutory exclusion (ambulance, lab)', false, 'Excluded from the fee schedule by statute (paid under another fee schedule, such as ambulance or laboratory).'),
];
