/**
 * Messages for what a user will actually do wrong (issue 8, item 7): each names the file and says
 * what is wrong in the user's terms, and nothing is loaded.
 */
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { InputError, importRelease } from '../../src/index.js';
import { backends, useFreshDatabase } from '../support/db.js';
import { fixture, pfsZip, replaceOnce, scratchDir, writeFixtureFile, writeZip, zipMembers } from '../support/fixtures.js';

describe.each(backends)('user-facing messages on %s', (backend) => {
  const test = useFreshDatabase(backend);
  let scratch: string;
  beforeAll(async () => {
    scratch = await scratchDir();
  });

  async function refusal(source: string, code?: string): Promise<InputError> {
    const error = await importRelease(test.database, source, { code }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect(await test.database.db.selectFrom('cms.releases').select('id').execute()).toEqual([]);
    return error as InputError;
  }
  const anes = () => readFile(fixture('pfs', 'rvu25d', 'ANES2025.csv'));

  it('an empty file says "empty file", not "header row not found"', async () => {
    const error = await refusal(await writeFixtureFile(path.join(scratch, 'empty'), 'ANES2025.csv', ''), 'RVU25D');
    expect(error).toMatchObject({ file: 'ANES2025.csv', problem: 'empty file (0 bytes)' });
  });

  it('a csv saved as UTF-16 says so', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from((await anes()).toString('latin1'), 'utf16le')]);
    const error = await refusal(await writeFixtureFile(path.join(scratch, 'utf16'), 'ANES2025.csv', utf16), 'RVU25D');
    expect(error).toMatchObject({ file: 'ANES2025.csv', problem: 'saved as UTF-16; CMS files are cp1252' });
    // …also without a byte-order mark
    const bare = Buffer.from((await anes()).toString('latin1'), 'utf16le');
    const again = await refusal(await writeFixtureFile(path.join(scratch, 'utf16-bare'), 'ANES2025.csv', bare), 'RVU25D');
    expect(again.problem).toBe('saved as UTF-16; CMS files are cp1252');
  });

  it('a csv saved as UTF-8 with a byte-order mark says so', async () => {
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), await anes()]);
    const error = await refusal(await writeFixtureFile(path.join(scratch, 'bom'), 'ANES2025.csv', bom), 'RVU25D');
    expect(error).toMatchObject({ file: 'ANES2025.csv', problem: 'saved as UTF-8 with a byte-order mark; CMS files are cp1252' });
  });

  it('an HTML page saved as .xlsx is not a workbook, and says how it starts', async () => {
    const html = '<!DOCTYPE html>\n<html><head><title>Access Denied</title></head><body>…</body></html>\n';
    const error = await refusal(await writeFixtureFile(path.join(scratch, 'html'), 'OPPSCAP_Oct.xlsx', html), 'RVU25D');
    expect(error).toMatchObject({ file: 'OPPSCAP_Oct.xlsx', problem: 'not a workbook: it starts with `<!DOCTYPE html>`' });
  });

  it('a zip that only holds another zip says so', async () => {
    const inner = await readFile(pfsZip('rvu25d'));
    const outer = await writeZip(path.join(scratch, 'nested'), 'download.zip', { 'rvu25d.zip': new Uint8Array(inner) });
    const error = await refusal(outer);
    expect(error).toMatchObject({ file: 'download.zip', problem: 'the zip holds only another zip (rvu25d.zip), no data files' });
    expect(error.expected).toContain('import the zip it holds');
  });

  it('a lower-case modifier says modifiers are upper case', async () => {
    const members = await zipMembers(pfsZip('rvu25d'));
    const csv = Buffer.from(members['PPRRVU2025_Oct.csv']!).toString('latin1');
    members['PPRRVU2025_Oct.csv'] = new Uint8Array(Buffer.from(replaceOnce(csv, '\r\n0633T,26,', '\r\n0633T,tc,'), 'latin1'));
    const error = await refusal(await writeZip(path.join(scratch, 'lower'), 'rvu25d.zip', members));
    expect(error).toMatchObject({ file: 'rvu25d.zip:PPRRVU2025_Oct.csv', line: 14, column: 'MOD', value: 'tc', problem: '`tc`: modifiers are upper case', expected: '`TC`' });
  });

  it('"no CMS data files recognised" lists readable file-name patterns, each once', async () => {
    const error = await refusal(await writeZip(path.join(scratch, 'none'), 'notes.zip', { 'readme.txt': 'hello', 'prices.csv': 'a,b\r\n' }));
    expect(error.problem).toBe('no CMS data files recognised');
    expect(error.expected).toContain('PPRRVU*.csv / .xlsx');
    expect(error.expected).toContain('GPCI<year>.csv / .xlsx');
    expect(error.expected).toContain('HCPC*ANWEB*.txt / .xlsx / .xls');
    expect(error.expected!.split('HCPC*ANWEB*')).toHaveLength(2);
    expect(error.expected).not.toMatch(/[\\^$]|\(\?/);
  });

  it('an unknown header leads with what is unknown and what is then missing, before the full list', async () => {
    const members = await zipMembers(pfsZip('rvu25d'));
    const csv = Buffer.from(members['GPCI2025.csv']!).toString('latin1');
    members['GPCI2025.csv'] = new Uint8Array(Buffer.from(replaceOnce(csv, 'PE GPCI', 'PE GPCY'), 'latin1'));
    const error = await refusal(await writeZip(path.join(scratch, 'unknown-header'), 'rvu25d.zip', members));
    expect(error.problem).toBe('unknown column "2025 PE GPCY" (column 6); missing PE GPCI');
    expect(error.message.indexOf('missing PE GPCI')).toBeLessThan(error.message.indexOf('expected'));
  });
});
