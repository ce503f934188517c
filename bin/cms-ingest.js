#!/usr/bin/env node
// Runs the build in dist/ (made by `npm ci` through the `prepare` script, or `npm run build`).
let main;
try {
  ({ main } = await import('../dist/cli.js'));
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('dist/cli.js')) throw error;
  process.stderr.write('cms-ingest is not built: run `npm run build` (npm ci does it) in the project folder\n');
  process.exit(1);
}
const code = await main(process.argv.slice(2));
// Let stdout drain before leaving (a pipe may still hold a large --json result).
process.stdout.write('', () => process.exit(code));
