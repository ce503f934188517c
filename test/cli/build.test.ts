/**
 * What `npx cms-ingest` runs: the build in dist/ (made by `npm ci`, and by this test run's global
 * setup), never tsx or the TypeScript sources; and commands load the heavy packages only when
 * they use them. Nothing here is timed: it checks which modules load, not how fast.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI } from '../support/cli.js';
import { REPO } from '../support/fixtures.js';

const RECORDER = path.join(REPO, 'test', 'support', 'record-modules.mjs');

interface Meta {
  outputs: Record<string, { imports: { path: string; kind: string; external?: boolean }[]; inputs: Record<string, unknown> }>;
}

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'cms-ingest-build-'));
});
afterAll(async () => rm(scratch, { recursive: true, force: true }));

/** The URLs of the modules `cms-ingest <args>` loads, and its stdout. */
async function loadedBy(args: string[]): Promise<{ modules: string[]; stdout: string }> {
  const record = path.join(scratch, `modules-${args.join('-').replace(/\W+/g, '_')}.txt`);
  const stdout = execFileSync(process.execPath, ['--import', pathToFileURL(RECORDER).href, CLI, ...args], {
    cwd: REPO,
    env: { ...process.env, CMS_RECORD_MODULES: record, DATABASE_URL: '', CMS_INGEST_HOME: path.join(scratch, 'home') },
    encoding: 'utf8',
  });
  return { modules: (await readFile(record, 'utf8')).trim().split('\n'), stdout };
}

/** The packages bundled into the given built files (from esbuild's metafile), plus the external ones they import. */
async function packagesIn(files: string[]): Promise<Set<string>> {
  const meta = JSON.parse(await readFile(path.join(REPO, 'dist', 'meta.json'), 'utf8')) as Meta;
  const byFile = new Map(Object.entries(meta.outputs).map(([output, info]) => [path.basename(output), info]));
  const packages = new Set<string>();
  for (const file of files) {
    const output = byFile.get(file);
    if (!output) throw new Error(`${file} is not in dist/meta.json`);
    for (const input of Object.keys(output.inputs)) {
      const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
      if (match) packages.add(match[1]!);
    }
  }
  return packages;
}

function builtFiles(modules: string[]): string[] {
  const dist = pathToFileURL(path.join(REPO, 'dist')).href + '/';
  return modules.filter((url) => url.startsWith(dist)).map((url) => url.slice(dist.length));
}

/** Packages only some commands need: none of them may load for --help, --version or `releases`. */
const HEAVY = ['cheerio', 'xlsx', '@electric-sql/pglite', 'pino', 'croner'];

describe('the built CLI', () => {
  it('--version runs dist/ and loads neither tsx nor any TypeScript source', async () => {
    const { modules, stdout } = await loadedBy(['--version']);
    const pkg = JSON.parse(await readFile(path.join(REPO, 'package.json'), 'utf8')) as { version: string };
    expect(stdout.trim()).toBe(pkg.version);
    expect(modules).toContain(pathToFileURL(path.join(REPO, 'dist', 'cli.js')).href);
    expect(modules.filter((url) => url.includes('/node_modules/tsx/') || /\.[cm]?ts$/.test(url))).toEqual([]);
  });

  it('--help loads none of the heavy packages', async () => {
    const { modules, stdout } = await loadedBy(['--help']);
    expect(stdout).toContain('Usage: cms-ingest');
    const loaded = await packagesIn(builtFiles(modules));
    const external = modules.filter((url) => url.includes('/node_modules/'));
    expect(HEAVY.filter((name) => loaded.has(name))).toEqual([]);
    expect(external).toEqual([]);
  });

  it('releases on PostgreSQL loads neither PGlite nor the page, workbook or schedule packages', async () => {
    // --database-url with nothing listening: the command fails to connect, after loading what it needs
    const record = path.join(scratch, 'modules-releases.txt');
    let failed = false;
    try {
      execFileSync(process.execPath, ['--import', pathToFileURL(RECORDER).href, CLI, 'releases', '--database-url', 'postgres://nobody@127.0.0.1:1/none'], {
        cwd: REPO,
        env: { ...process.env, CMS_RECORD_MODULES: record },
        stdio: 'ignore',
      });
    } catch {
      failed = true;
    }
    expect(failed).toBe(true);
    const modules = (await readFile(record, 'utf8')).trim().split('\n');
    const loaded = await packagesIn(builtFiles(modules));
    expect(loaded.has('pg')).toBe(true);
    expect(HEAVY.filter((name) => loaded.has(name))).toEqual([]);
    expect(modules.filter((url) => url.includes('/node_modules/@electric-sql/pglite/'))).toEqual([]);
    // pg's Cloudflare probe builds a Response, which loads Node's own undici (scripts/build.mjs)
    expect(modules).toContain('node:internal/net');
    expect(modules.filter((url) => url.includes('undici'))).toEqual([]);
  });

  it('builds every migration, so the CLI applies the same ones as the sources', async () => {
    const sources = (await readdir(path.join(REPO, 'migrations'))).filter((name) => /^\d{4}_[\w-]+\.ts$/.test(name));
    const built = await readdir(path.join(REPO, 'dist', 'migrations'));
    expect(sources.length).toBeGreaterThan(0);
    expect(built.sort()).toEqual(sources.map((name) => name.replace(/\.ts$/, '.js')).sort());
  });
});
