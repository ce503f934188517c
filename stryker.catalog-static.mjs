// Mutation testing of pipelines/catalog/ alone, static mutants included
// (module-level tables, regexes; issue #16, item 3), with its own incremental file, reports and
// temporary folder. The test set is the stage's database-free unit tests: with perTest coverage
// each static mutant runs every test of the set. Run with:
//   MUTATION_TESTS='test/pipelines/modules-load.test.ts,test/pipelines/catalog.test.ts' \
//     nice -n 19 npx stryker run stryker.catalog-static.mjs --concurrency 1
import { scoped } from './stryker.scope.mjs';

export default scoped('catalog-static', ['pipelines/catalog/**/*.ts'], { ignoreStatic: false });
