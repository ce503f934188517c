// Mutation testing of the top-level pipelines/*.ts (amounts, cms-links, index, nbsp-byte, quarters,
// release-names) alone, static mutants included (module-level tables, regexes; issue #16, item 3),
// with its own incremental file, reports and temporary folder. The test set is the stage's
// database-free unit tests: with perTest coverage each static mutant runs every test of the set.
// Run with:
//   MUTATION_TESTS='test/pipelines/modules-load.test.ts,test/pipelines/shared.test.ts,test/fee-schedules/names.test.ts' \
//     nice -n 19 npx stryker run stryker.shared-static.mjs --concurrency 1
import { scoped } from './stryker.scope.mjs';

export default scoped('shared-static', ['pipelines/*.ts'], { ignoreStatic: false });
