// Mutation testing of pipelines/hcpcs/ alone WITH its static mutants (module-level tables, regexes,
// column lists; issue #16, item 3), with its own incremental file, reports and temporary folder.
// Seed the incremental file from the ignoreStatic run (stryker.hcpcs.mjs) so only the static
// mutants run:
//   cp reports/mutation/hcpcs-incremental.json reports/mutation/hcpcs-static-incremental.json
// The test set is the database-free tests that exercise hcpcs only: with perTest coverage each
// static mutant runs every test of the set, so the set's size is the run's cost.
//   MUTATION_TESTS='test/pipelines/modules-load.test.ts,test/pipelines/hcpcs.test.ts,test/pipelines/hcpcs-anweb.test.ts,test/hcpcs/anweb-errors.test.ts,test/hcpcs/anweb-txt.test.ts,test/hcpcs/anweb-workbook.test.ts,test/hcpcs/identity.test.ts,test/hcpcs/members.test.ts,test/hcpcs/fixed-width.test.ts' \
//     nice -n 19 npx stryker run stryker.hcpcs-static.mjs --concurrency 1
import { scoped } from './stryker.scope.mjs';

export default scoped('hcpcs-static', ['pipelines/hcpcs/**/*.ts'], { ignoreStatic: false });
