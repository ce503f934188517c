/** What a code page shows from the CLFS: the national limit, or "priced locally" for indicator L. */
import type { CodeSchedule } from '../../src/pipeline.js';
import { CLFS_INDICATORS } from './codes.js';

export const clfsSchedule: CodeSchedule = {
  dataset: 'clfs',
  label: 'clinical laboratory (CLFS)',
  statusName: 'indicator',
  amountName: 'national limit',
  columns: { code: 'hcpcs', modifier: 'modifier', status: 'indicator', amount: 'rate' },
  describe({ status }) {
    const known = status === null ? undefined : CLFS_INDICATORS[status];
    return known ? { meaning: known.meaning, paid: known.separatePayment } : { meaning: 'indicator not known', paid: false };
  },
};
