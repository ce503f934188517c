/**
 * `node --import ./test/support/record-modules.mjs …` with CMS_RECORD_MODULES=<file>: appends the
 * URL of every ES module the process resolves to that file, one per line. Lets a test (and CI)
 * check what the CLI really loads at start-up: the build, never tsx or a TypeScript source.
 * At exit it adds the Node built-ins the process loaded, internal ones included, as
 * `node:internal/…` lines (process.moduleLoadList): some cost as much as a package.
 */
import { appendFileSync } from 'node:fs';
import { register } from 'node:module';

process.on('exit', () => {
  const file = process.env.CMS_RECORD_MODULES;
  if (!file) return;
  const builtins = process.moduleLoadList.filter((name) => name.startsWith('NativeModule ')).map((name) => `node:${name.slice('NativeModule '.length)}`);
  appendFileSync(file, builtins.join('\n') + '\n');
});

const hooks = `
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  if (process.env.CMS_RECORD_MODULES) appendFileSync(process.env.CMS_RECORD_MODULES, resolved.url + '\\n');
  return resolved;
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);
