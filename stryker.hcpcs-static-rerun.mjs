// Re-run, without incremental reuse, of the lines of pipelines/hcpcs/ whose static mutants survived
// the first with-static run (stryker.hcpcs-static.mjs). Stryker's incremental mode reuses a survived
// static mutant even when tests were added (a static mutant has no covering tests to compare), so a
// re-run after new tests must not reuse. Same test set as stryker.hcpcs-static.mjs:
//   MUTATION_TESTS='test/pipelines/hcpcs.test.ts,test/pipelines/hcpcs-anweb.test.ts,test/hcpcs/anweb-errors.test.ts,test/hcpcs/anweb-txt.test.ts,test/hcpcs/anweb-workbook.test.ts,test/hcpcs/identity.test.ts,test/hcpcs/members.test.ts,test/hcpcs/fixed-width.test.ts' \
//     nice -n 19 npx stryker run stryker.hcpcs-static-rerun.mjs --concurrency 1
import { scoped } from './stryker.scope.mjs';

export default scoped(
  'hcpcs-static-rerun',
  [
    'pipelines/hcpcs/codes.ts:18-38',
    'pipelines/hcpcs/datasets.ts:37-60',
    'pipelines/hcpcs/diff.ts:26-99',
    'pipelines/hcpcs/errata.ts:9-29',
    'pipelines/hcpcs/identity.ts:13-25',
    'pipelines/hcpcs/index.ts:7-9',
    'pipelines/hcpcs/layout.ts:16-60',
    'pipelines/hcpcs/members.ts:17-17',
    'pipelines/hcpcs/txt.ts:16-18',
    'pipelines/hcpcs/workbook.ts:37-40',
  ],
  { ignoreStatic: false, incremental: false },
);
