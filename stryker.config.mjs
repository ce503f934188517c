// Mutation testing, on demand only (`npm run test:mutation`; never part of `npm test` or CI's run).
// The machine is shared: one test process, and incremental mode so a re-run only tests
// mutants in code or tests that changed. Scope a run to one stage to finish in reasonable time:
//   npm run test:mutation -- --mutate 'src/archive/**/*.ts'
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts', related: true },
  mutate: ['pipelines/**/*.ts', 'src/parse/**/*.ts', 'src/archive/**/*.ts', 'src/releases/**/*.ts'],
  coverageAnalysis: 'perTest',
  // only our TypeScript (the fixture HTML pages are not parseable as templates)
  disableTypeChecks: '{pipelines,src,test}/**/*.ts',
  concurrency: 1,
  incremental: true,
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  timeoutMS: 60_000,
  timeoutFactor: 2,
  // the first full test run, with per-test coverage, takes many minutes on the shared machine
  dryRunTimeoutMinutes: 60,
  thresholds: { high: 85, low: 70, break: null },
};
