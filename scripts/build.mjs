#!/usr/bin/env node
/**
 * Builds what `bin/cms-ingest.js` runs: dist/cli.js and the chunks it loads on demand, plus one
 * file per migration in dist/migrations/ (the migrator reads that folder). `npm ci` runs this
 * (the `prepare` script); so does the test run (test/support/global-setup.ts), so a spawned CLI
 * never runs a stale build.
 *
 * Every source file reachable from src/cli/main.ts is bundled, whatever its name: commands and
 * modules added later need no list here. Migrations are found by their name pattern. Packages are
 * bundled too (fewer files to resolve and read at start-up: kysely alone is ~300 modules), except
 * the few below that find files next to their own code at run time. A dynamic `import()` in the
 * sources becomes a chunk loaded only by the command that reaches it.
 */
import { build } from 'esbuild';
import { readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const OUT = path.join(ROOT, 'dist');
/** Must match src/db/migrate.ts. */
const MIGRATION_FILE = /^\d{4}_[\w-]+\.ts$/;

/** Packages left to node_modules: they load files beside their own code (wasm, workers) or are optional natives. */
const EXTERNAL = [
  '@electric-sql/pglite', // pglite.wasm and pglite.data, found through import.meta.url
  'pg-native', // pg's optional native binding; not installed
  'pino', // its transports run worker files by path (we use none, but it resolves them)
];

/**
 * `cheerio` → its `load` module only. The package's main entry also exports fromURL and
 * loadBuffer, which pull in undici and iconv-lite (1.6 MB of the 2.3 MB chunk every sync loaded);
 * the sources use `load` alone, and load-parse.js is that same function (parse5 and htmlparser2).
 * An import of anything else from cheerio fails the build, so this cannot go stale silently.
 */
const cheerioLoadOnly = {
  name: 'cheerio-load-only',
  setup(context) {
    context.onResolve({ filter: /^cheerio$/ }, () => ({ path: path.join(ROOT, 'node_modules/cheerio/dist/esm/load-parse.js') }));
  },
};

/**
 * pg picks its socket at load time by asking whether it runs in a Cloudflare Worker: on Node 20
 * (no `navigator`) that builds a `Response`, which loads Node's internal undici — 25–30 ms of
 * every command that opens a database. The build runs on Node only, so it takes pg's own Node
 * socket functions directly. If pg's file no longer reads as expected, the build fails here
 * rather than ship a changed pg unseen.
 */
const PG_PROBE = 'const { getStream, getSecureStream } = getStreamFuncs()';
const pgNodeStreams = {
  name: 'pg-node-streams',
  setup(context) {
    context.onLoad({ filter: /[\\/]node_modules[\\/]pg[\\/]lib[\\/]stream\.js$/ }, async (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes(PG_PROBE) || !source.includes('function getNodejsStreamFuncs()')) {
        throw new Error(`${args.path}: pg's runtime probe changed; update the pg-node-streams plugin in scripts/build.mjs`);
      }
      return { contents: source.replace(PG_PROBE, 'const { getStream, getSecureStream } = getNodejsStreamFuncs()'), loader: 'js' };
    });
  },
};

export async function buildDist({ quiet = false } = {}) {
  const started = Date.now();
  const migrations = readdirSync(path.join(ROOT, 'migrations')).filter((name) => MIGRATION_FILE.test(name)).sort();
  // Build beside dist/ and swap it in, so a CLI started meanwhile never sees half a build.
  const staging = `${OUT}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: [
      { in: 'src/cli/main.ts', out: 'cli' },
      ...migrations.map((name) => ({ in: `migrations/${name}`, out: `migrations/${name.replace(/\.ts$/, '')}` })),
    ],
    outdir: staging,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    chunkNames: '[name]-[hash]',
    external: EXTERNAL,
    // Bundled CommonJS packages call require() for Node built-ins; ESM has none of its own.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    // src/locations.ts: the built chunks sit in dist/, not in src/<stage>/.
    define: { CMS_INGEST_BUILT: 'true' },
    plugins: [cheerioLoadOnly, pgNodeStreams],
    metafile: true,
    legalComments: 'none',
    logLevel: quiet ? 'error' : 'warning',
  });
  writeFileSync(path.join(staging, 'meta.json'), JSON.stringify(result.metafile));
  const old = `${OUT}.${process.pid}.old`;
  try {
    renameSync(OUT, old);
  } catch (error) {
    if (error.code !== 'ENOENT') throw error;
  }
  renameSync(staging, OUT);
  rmSync(old, { recursive: true, force: true });
  if (!quiet) console.error(`built dist/ (${migrations.length} migrations) in ${Date.now() - started} ms`);
  return result.metafile;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildDist({ quiet: process.argv.includes('--quiet') });
}
