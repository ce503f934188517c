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
// Output that could not be written (stdout redirected to a full disk) must not exit 0: Node
// reports a failed write to stdout only as an 'error' event, and without a listener says nothing.
let outputError;
process.stdout.on('error', (error) => (outputError ??= error));
const code = await main(process.argv.slice(2));
// Let stdout drain before leaving (a pipe may still hold a large --json result).
process.stdout.write('', (error) => {
  const failed = outputError ?? error;
  // EPIPE: the reader stopped reading (`cms-ingest releases | head -1`); that is its choice.
  if (failed && failed.code !== 'EPIPE') {
    process.stderr.write(`error: cannot write the output (${failed.message}); what was written to stdout is incomplete\n`);
    process.exit(code === 0 ? 1 : code);
  }
  process.exit(code);
});
