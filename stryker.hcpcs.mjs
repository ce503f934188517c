// Mutation testing of pipelines/hcpcs/ alone (issue #16, item 3), with its own incremental file,
// reports and temporary folder so it never shares files with another run. Run with:
//   MUTATION_TESTS='test/pipelines/**/*.test.ts,test/hcpcs/anweb-errors.test.ts,test/hcpcs/anweb-txt.test.ts,test/hcpcs/anweb-workbook.test.ts,test/hcpcs/identity.test.ts,test/hcpcs/members.test.ts,test/hcpcs/fixed-width.test.ts,test/parse/tabular.test.ts' \
//     nice -n 19 npx stryker run stryker.hcpcs.mjs --concurrency 1
import { scoped } from './stryker.scope.mjs';

export default scoped('hcpcs', ['pipelines/hcpcs/**/*.ts'], { ignoreStatic: true });
