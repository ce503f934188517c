/**
 * The offline demo's site: fixtures/cms-site (a miniature www.cms.gov) served on 127.0.0.1.
 *
 * The port is random the first time and remembered in `<home>/demo-site.json`: the download
 * cache keys its validators by URL, so serving the second run on the same port lets it show what
 * a real rerun does (conditional requests, 304s, nothing downloaded). If that port is taken,
 * another is used and the rerun downloads the files again (and still loads nothing).
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../errors.js';
import { makeDirectory } from '../make-directory.js';
import { PROJECT_ROOT } from '../locations.js';
import { startSiteServer, type SiteServer } from './site-server.js';

/** fixtures/cms-site in this checkout */
export const DEMO_SITE = path.join(PROJECT_ROOT, 'fixtures', 'cms-site') + path.sep;

/** fixtures/editorial: the editorial sample the demo imports after the releases */
export const DEMO_EDITORIAL = path.join(PROJECT_ROOT, 'fixtures', 'editorial') + path.sep;
/** the code whose merged catalog record the demo prints */
export const DEMO_CATALOG_CODE = 'A2001';

export async function startDemoSite(home: string, root: string = DEMO_SITE): Promise<SiteServer> {
  if (!existsSync(path.join(root, 'files', 'zip'))) {
    throw new InputError('the site has no release zips', {
      file: path.join(root, 'files', 'zip'),
      expected: 'the zips in place: run `npx tsx fixtures/cms-site/build.ts`',
    });
  }
  const remembered = path.join(home, 'demo-site.json');
  const port = await readFile(remembered, 'utf8')
    .then((text) => Number((JSON.parse(text) as { port?: unknown }).port))
    .catch(() => 0);
  let server: SiteServer;
  try {
    server = await startSiteServer({ root, port: Number.isInteger(port) && port > 0 && port < 65536 ? port : 0 });
  } catch {
    server = await startSiteServer({ root, port: 0 });
  }
  await makeDirectory(home);
  await writeFile(remembered, `${JSON.stringify({ port: server.port })}\n`);
  return server;
}
