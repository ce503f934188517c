/**
 * `node --import ./test/support/record-modules.mjs …` with CMS_RECORD_MODULES=<file>: appends the
 * URL of every ES module the process resolves to that file, one per line. Lets a test (and CI)
 * check what the CLI really loads at start-up: the build, never tsx or a TypeScript source.
 */
import { register } from 'node:module';

const hooks = `
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  if (process.env.CMS_RECORD_MODULES) appendFileSync(process.env.CMS_RECORD_MODULES, resolved.url + '\\n');
  return resolved;
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);
