import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.js';

// What `npm run test:mutation` runs against each mutant: the tests of the mutated stages (value
// checks, failure rules, parsing, datasets, imports), without the suites that start processes or
// servers (CLI, sync, schedule, sources), which would multiply a run's time and test other stages.
export default mergeConfig(
  base,
  defineConfig({
    test: {
      include: ['test/{columns,import,pfs,parse,hcpcs,archive}/**/*.test.ts'],
      exclude: ['node_modules/**', 'test/**/*.optin.test.ts'],
      maxWorkers: 1,
    },
  }),
);
