import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

// What `npm run test:mutation` runs against each mutant: the tests of the mutated stages (value
// checks, failure rules, parsing, datasets, imports), without the suites that start processes or
// servers (CLI, sync, schedule, sources), which would multiply a run's time and test other stages.
// MUTATION_TESTS (comma-separated globs) narrows the run to the tests of one stage: every import
// reads a zip, so without it each src/archive/ mutant would run nearly every import test.
//
// Not mergeConfig: it concatenates arrays, so `include` would keep the base's `test/**/*.test.ts`
// and every mutant would run the whole suite (what made the first attempt exceed its time limit).
const only = process.env.MUTATION_TESTS?.split(',').map((glob) => glob.trim()).filter(Boolean);

export default defineConfig({
  test: {
    ...base.test,
    include: only?.length ? only : ['test/{columns,import,pfs,parse,hcpcs,fee-schedules}/**/*.test.ts'],
    exclude: ['node_modules/**', 'test/**/*.optin.test.ts'],
    maxWorkers: 1,
    // as before the base config turned isolation off for speed: a mutant's run starts clean
    isolate: true,
  },
});
