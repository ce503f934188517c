/** How release diffs treat the CLFS. */
import type { DiffSpec } from '../../src/pipeline.js';

export const clfsDiff: DiffSpec = {
  aliases: ['lab', 'rates'],
  feed: { hcpcs: 'hcpcs', modifier: 'modifier' },
  labelColumn: 'short_description',
  // One year per file.
  summary: ['year'],
  moves: ['rate'],
};
