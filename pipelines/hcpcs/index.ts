/** The HCPCS Level II family: the quarterly ANWEB files, as codes and modifiers. */
import type { Family } from '../../src/pipeline.js';
import { hcpcsCodeDataset, hcpcsModifierDataset } from './datasets.js';
import { fromCode, identify, membersRelease } from './identity.js';

export const hcpcsFamily: Family = {
  name: 'hcpcs',
  title: 'HCPCS Level II quarterly files',
  codeExamples: ['HCPC2026_JAN'],
  datasets: [hcpcsCodeDataset, hcpcsModifierDataset],
  identify,
  fromCode,
  membersRelease,
  // the page parser brings cheerio: loaded only when discovery runs
  discover: async (site) => (await import('./page.js')).discoverHcpcs(site),
};

export { hcpcsCodeDataset, hcpcsModifierDataset } from './datasets.js';
export { releaseFromName } from './identity.js';
export { ANWEB_STEM } from './members.js';
