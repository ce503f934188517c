/** What a code page shows from the ASP file: the drug's payment limit, or why there is none. */
import type { CodeSchedule } from '../../src/pipeline.js';

export const aspSchedule: CodeSchedule = {
  dataset: 'asp',
  label: 'Part B drug payment limit (ASP)',
  statusName: null,
  amountName: 'payment limit',
  columns: { code: 'hcpcs', amount: 'payment_limit', unavailable: 'payment_limit_na' },
  describe({ unavailable, amount }) {
    if (unavailable) return { meaning: 'no payment limit published (N/A): priced by the contractor', paid: false };
    return amount === null ? { meaning: 'no payment limit published', paid: false } : { meaning: 'payment limit per dosage unit', paid: true };
  },
};
