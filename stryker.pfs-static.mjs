// Mutation testing of pipelines/pfs/ alone, static mutants included (module-level tables, regexes,
// column lists, the payment SQL text; issue #16, item 3), with its own incremental file, reports
// and temporary folder. The test set is the database-free tests that exercise pfs: with perTest
// coverage each static mutant runs every test of the set. Run with:
//   MUTATION_TESTS='test/pipelines/modules-load.test.ts,test/pipelines/pfs-datasets.test.ts,test/pipelines/pfs-release.test.ts,test/pipelines/pfs-tables.test.ts,test/pipelines/pfs-payment-sql.test.ts,test/pfs/datasets.test.ts,test/sources/pages.test.ts,test/parse/tabular.test.ts' \
//     nice -n 19 npx stryker run stryker.pfs-static.mjs --concurrency 1
import { scoped } from './stryker.scope.mjs';

export default scoped('pfs-static', ['pipelines/pfs/**/*.ts'], { ignoreStatic: false });
