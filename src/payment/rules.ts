/**
 * What pricing needs to know of the fee schedule's own rules to explain its numbers: the formula
 * as people read it, why a status is not priced, what NA and the OPPS cap mean, what each claim
 * indicator means. The PFS pipeline declares them (pipelines/pfs/payment.ts); src/index.ts hands
 * them in, so that payment never reaches into pipelines/.
 */
import type { PaymentRow } from '../db/schema.js';

/** The claim indicators of a PPRRVU row that change what a claim line is paid. */
export type IndicatorField = 'pctc_ind' | 'global_days' | 'mult_proc' | 'bilat_surg' | 'asst_surg' | 'co_surg' | 'team_surg';

export interface PaymentRules {
  readonly FORMULA: string;
  /** status → why it has no amount from RVUs */
  readonly UNPRICED_STATUS: Readonly<Record<string, string>>;
  /** a priced status without RVUs; `{status}` is replaced */
  readonly NO_RVUS: string;
  readonly NA_MEANING: string;
  readonly OPPS_CAP_MEANING: string;
  readonly OPPS_CAP_CONTRACTOR: string;
  readonly INDICATORS: Readonly<Record<IndicatorField & keyof PaymentRow, { label: string; meanings: Readonly<Record<string, string>> }>>;
}
