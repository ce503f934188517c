/** Every dataset family cms-ingest knows. Adding one: a module here, a migration, a fixture. */
import type { Family } from '../src/pipeline.js';
import { aspFamily } from './asp/family.js';
import { clfsFamily } from './clfs/family.js';
import { hcpcsFamily } from './hcpcs/index.js';
import { oppsFamily } from './opps/family.js';
import { pfsFamily } from './pfs/family.js';

export const families: readonly Family[] = [pfsFamily, hcpcsFamily, oppsFamily, aspFamily, clfsFamily];
