/** The HCPCS Level II family: the quarterly ANWEB files, as codes and modifiers. */
import type { Family } from '../../src/pipeline.js';
import { hcpcsCodeDataset, hcpcsModifierDataset } from './datasets.js';
import { fromCode, identify } from './identity.js';

export const hcpcsFamily: Family = {
  name: 'hcpcs',
  datasets: [hcpcsCodeDataset, hcpcsModifierDataset],
  identify,
  fromCode,
};

export { hcpcsCodeDataset, hcpcsModifierDataset } from './datasets.js';
export { releaseFromName } from './identity.js';
export { ANWEB_STEM } from './members.js';
