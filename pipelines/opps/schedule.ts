/** What a code page shows from Addendum B: the status indicator in words, the rate when OPPS pays it. */
import type { CodeSchedule } from '../../src/pipeline.js';
import { STATUS_INDICATORS } from './codes.js';

export const addendumBSchedule: CodeSchedule = {
  dataset: 'addendum_b',
  label: 'hospital outpatient (OPPS Addendum B)',
  statusName: 'SI',
  amountName: 'payment rate',
  columns: { code: 'hcpcs', status: 'status_indicator', amount: 'payment_rate' },
  describe({ status }) {
    const known = status === null ? undefined : STATUS_INDICATORS[status];
    return known ? { meaning: known.meaning, paid: known.separatePayment } : { meaning: 'status indicator not known', paid: false };
  },
};
