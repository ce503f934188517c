/** How release diffs treat the ASP payment limits. */
import type { DiffSpec } from '../../src/pipeline.js';

export const aspDiff: DiffSpec = {
  aliases: ['asp', 'payment-limits'],
  feed: { hcpcs: 'hcpcs' },
  labelColumn: 'short_description',
  moves: ['payment_limit', 'vaccine_limit', 'blood_limit'],
};
