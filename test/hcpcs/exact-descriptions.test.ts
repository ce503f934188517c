/**
 * HCPCS long descriptions are stored exactly as CMS wrote them (issue 8, item 5): G0503's double
 * spaces survive the load; comparing two sources of the same text — the diff of two releases, and
 * the txt/xlsx cross-check — treats runs of whitespace as one space, so a re-wrap is no change.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { diffReleases, importRelease } from '../../src/index.js';
import { backends, useFreshDatabase } from '../support/db.js';
import { fixture, scratchDir, writeZip } from '../support/fixtures.js';

const ZIP = fixture('hcpcs', 'october-2025-alpha-numeric-hcpcs-file.zip');
const TXT = fixture('hcpcs', '2025-oct', 'HCPC2025_OCT_ANWEB.txt');
const G0503_TEXT = 'documentation;  participation in weekly caseload consultation with the psychiatric consultant;  ongoing collaboration';

describe.each(backends)('exact HCPCS descriptions on %s', (backend) => {
  const test = useFreshDatabase(backend);
  let scratch: string;
  beforeAll(async () => {
    scratch = await scratchDir();
  });

  const longDescription = async (code: string, releaseId: string) =>
    (await test.database.db.selectFrom('cms.hcpcs_code').select('long_description').where('hcpcs', '=', code).where('release_id', '=', releaseId).executeTakeFirstOrThrow())
      .long_description;

  it('stores G0503 with its double spaces, and the xlsx cross-check finds no disagreement', async () => {
    const result = await importRelease(test.database, ZIP);
    expect(await longDescription('G0503', result.releaseId)).toContain(G0503_TEXT);
    expect(result.warnings).toEqual([]);
  });

  it('a re-post whose G0503 differs only in whitespace (as a re-wrap does) shows no descriptor change; a real edit does', async () => {
    const first = await importRelease(test.database, ZIP);
    const lines = (await readFile(TXT)).toString('latin1').split('\r\n');
    const rewrap = (index: number, from: string, to: string) => {
      const line = lines[index]!;
      if (!line.includes(from) || from.length !== to.length) throw new Error(`fixture line ${index + 1} changed`);
      lines[index] = line.replace(from, to);
    };
    const g0503 = lines.findIndex((line) => line.startsWith('G0503006004'));
    rewrap(g0503, 'documentation;  participation', 'documentation; participation ');
    const a1001 = lines.findIndex((line) => line.startsWith('   A1001007'));
    rewrap(a1001, 'Dressing for one wound', 'Dressing for one wounD');
    const repost = await writeZip(path.join(scratch, 'rewrap'), 'october-2025-alpha-numeric-hcpcs-file.zip', {
      'HCPC2025_OCT_ANWEB.txt': new Uint8Array(Buffer.from(lines.join('\r\n'), 'latin1')),
    });
    const second = await importRelease(test.database, repost);
    expect(second).toMatchObject({ status: 'loaded', revision: 1 });
    // Stored as the re-post wrote it…
    expect(await longDescription('G0503', second.releaseId)).toContain('documentation; participation  in weekly');
    expect(await longDescription('G0503', first.releaseId)).toContain(G0503_TEXT);
    // …but the diff and the change feed see only the real edit.
    const codes = await diffReleases(test.database, 'HCPC2025_OCT@0', 'HCPC2025_OCT', { dataset: 'hcpcs_code' });
    expect(codes.changes).toEqual([]);
    const modifiers = await diffReleases(test.database, 'HCPC2025_OCT@0', 'HCPC2025_OCT', { dataset: 'hcpcs_modifier' });
    expect(modifiers.changes.map((change) => [change.modifier, Object.keys(change.fields)])).toEqual([['A1', ['long_description']]]);
    const feed = await test.database.db.selectFrom('cms.code_change').select(['dataset', 'key']).where('to_release_id', '=', second.releaseId).execute();
    expect(feed).toEqual([{ dataset: 'hcpcs_modifier', key: { modifier: 'A1' } }]);
  });
});
