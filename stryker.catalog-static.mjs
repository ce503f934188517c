// Mutation testing of pipelines/catalog/ alone, static mutants included
// (module-level tables, regexes; issue #16, item 3), with its own incremental file, reports and
// temporary folder. The test set is the stage's database-free unit tests: with perTest coverage
// each static mutant runs every test of the set. Run with:
//   MUTATION_TESTS='test/pipelines/modules-load.test.ts,test/pipelines/catalog.test.ts' \
//     nice -n 19 npx stryker run stryker.catalog-static.mjs --concurrency 1
import defaults from './stryker.config.mjs';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...defaults,
  mutate: ['pipelines/catalog/**/*.ts'],
  incrementalFile: 'reports/mutation/catalog-static-incremental.json',
  htmlReporter: { fileName: 'reports/mutation/catalog-static.html' },
  jsonReporter: { fileName: 'reports/mutation/catalog-static.json' },
  tempDirName: '.stryker-tmp-catalog-static',
  ignoreStatic: false,
};
