/**
 * A CMS text file re-saved as UTF-8 without a byte-order mark (by a mirror, a script, LibreOffice)
 * is refused through the import, csv and fixed-width alike, naming the member and line, and
 * nothing is loaded; a genuine cp1252 file with CMS's 0x92 and 0xA0 bytes loads them as written.
 */
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { InputError, importRelease } from '../../src/index.js';
import { decodeCp1252 } from '../../src/parse/text.js';
import { backends, useFreshDatabase } from '../support/db.js';
import { fixture, pfsZip, replaceOnce, scratchDir, writeFixtureFile, writeZip, zipMembers } from '../support/fixtures.js';

const PROBLEM = 'saved as UTF-8 without a byte-order mark; CMS files are cp1252';
const PPRRVU = 'PPRRVU2025_Oct.csv';
const ANWEB = 'HCPC2020_ANWEB_w_disclaimer.txt';

describe.each(backends)('UTF-8 without a byte-order mark, through the import, on %s', (backend) => {
  const test = useFreshDatabase(backend);
  let scratch: string;
  beforeAll(async () => {
    scratch = await scratchDir();
  });

  /** The RVU25D fixture zip with its PPRRVU csv's A0425 description edited, as bytes. */
  async function rvu25dWith(label: string, description: Buffer): Promise<string> {
    const members = await zipMembers(pfsZip('rvu25d'));
    const csv = Buffer.from(members[PPRRVU]!).toString('latin1');
    const edited = replaceOnce(csv, '\r\nA0425,,Ground mileage,', `\r\nA0425,,${description.toString('latin1')},`);
    members[PPRRVU] = new Uint8Array(Buffer.from(edited, 'latin1'));
    return writeZip(path.join(scratch, label), 'rvu25d.zip', members);
  }

  async function refusal(source: string): Promise<InputError> {
    const error = await importRelease(test.database, source).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect(await test.database.db.selectFrom('cms.releases').select('id').execute()).toEqual([]);
    expect(await test.database.db.selectFrom('cms.pfs_rvu').select('hcpcs').execute()).toEqual([]);
    expect(await test.database.db.selectFrom('cms.hcpcs_code').select('hcpcs').execute()).toEqual([]);
    return error as InputError;
  }

  it('a PPRRVU csv with a description in UTF-8 is refused at its line; no release is loaded', async () => {
    const error = await refusal(await rvu25dWith('utf8', Buffer.from('Ground mileage – café', 'utf8')));
    expect(error).toMatchObject({
      file: `rvu25d.zip:${PPRRVU}`,
      line: 43,
      problem: PROBLEM,
      value: 'bytes E2 80 93: UTF-8 for `–`, cp1252 would read `â€“`, in `A0425,,Ground mileage – café,X,,0.00,0.00,,0.00,,0.00,0.00,0.0`',
    });
    expect(error.expected).toMatch(/^the file as CMS published it \(cp1252 text\)/);
  });

  it('the 2020 ANWEB txt re-saved as UTF-8 (its 0x92 now E2 80 99) is refused on line 1; nothing is loaded', async () => {
    const original = await readFile(fixture('hcpcs', '2020', ANWEB));
    expect(original.includes(0x92)).toBe(true);
    const resaved = Buffer.from(decodeCp1252(original), 'utf8');
    const error = await refusal(await writeFixtureFile(path.join(scratch, 'anweb-utf8'), ANWEB, resaved));
    expect(error).toMatchObject({ file: ANWEB, line: 1, problem: PROBLEM });
    expect(error.value).toMatch(/^bytes E2 80 99: UTF-8 for `’`, cp1252 would read `â€™`, in `.*’/);
  });

  it('genuine cp1252 (0x92, 0xA0, 0x96, 0xE9) loads and is stored as CMS wrote it', async () => {
    const cp1252 = Buffer.from([...Buffer.from('Ground'), 0x92, ...Buffer.from('s'), 0xa0, 0x96, 0xa0, ...Buffer.from('caf'), 0xe9]);
    const result = await importRelease(test.database, await rvu25dWith('cp1252', cp1252));
    expect(result).toMatchObject({ status: 'loaded', code: 'RVU25D' });
    const row = await test.database.db
      .selectFrom('cms.pfs_rvu')
      .select('description')
      .where('release_id', '=', result.releaseId)
      .where('hcpcs', '=', 'A0425')
      .executeTakeFirstOrThrow();
    expect(row.description).toBe('Ground’s\u00A0–\u00A0café');
  });
});
