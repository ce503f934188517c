/**
 * Every bad-input failure rule, broken on purpose: the import stops with an error naming the
 * file, line, column and value, nothing of the release is loaded, and the attempt is recorded.
 */
import path from 'node:path';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import zlib from 'node:zlib';
import { zipSync } from 'fflate';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../src/archive/limits.js';
import { InputError, importRelease } from '../../src/index.js';
import { backends, useFreshDatabase } from '../support/db.js';
import { pfsZip, replaceOnce, scratchDir, writeZip, zipMembers } from '../support/fixtures.js';
import { patchMember, type MemberLie } from '../support/zip-patch.js';

const PPRRVU = 'PPRRVU2025_Oct.csv';
const LINE_99213 = 40;

describe.each(backends)('bad input on %s', (backend) => {
  const test = useFreshDatabase(backend);
  let scratch: string;
  beforeAll(async () => {
    scratch = await scratchDir();
  });

  /** rvu25d.zip with one member's text edited */
  async function brokenRelease(label: string, member: string, edit: (text: string) => string): Promise<string> {
    const members = await zipMembers(pfsZip('rvu25d'));
    members[member] = new Uint8Array(Buffer.from(edit(Buffer.from(members[member]!).toString('latin1')), 'latin1'));
    return writeZip(path.join(scratch, label), 'rvu25d.zip', members);
  }

  /** The import fails with an InputError like `expected`, leaves no release and no rows, and is audited. */
  async function expectRefused(source: string, expected: Partial<InputError>): Promise<InputError> {
    const error = await importRelease(test.database, source).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject(expected);
    const counts = await sql<{ releases: string; rows: string; files: string }>`
      select (select count(*) from cms.releases) as releases,
             (select count(*) from cms.pfs_rvu) + (select count(*) from cms.pfs_gpci) + (select count(*) from cms.pfs_locality_county)
               + (select count(*) from cms.pfs_anes_cf) + (select count(*) from cms.pfs_opps_cap) as rows,
             (select count(*) from cms.release_files) + (select count(*) from cms.release_datasets) as files`.execute(test.database.db);
    expect(counts.rows[0]).toEqual({ releases: '0', rows: '0', files: '0' });
    const runs = await test.database.db.selectFrom('cms.import_runs').select(['outcome', 'error', 'release_id']).execute();
    expect(runs).toEqual([{ outcome: 'failed', error: (error as Error).message, release_id: null }]);
    return error as InputError;
  }

  it('an unknown header stops the import and lists what was expected and found', async () => {
    const source = await brokenRelease('unknown-header', PPRRVU, (text) => replaceOnce(text, ',STATUS,MEDICARE ,WORK,', ',STATUS,MEDICARE ,WERK,'));
    const error = await expectRefused(source, { file: `rvu25d.zip:${PPRRVU}`, line: 10, problem: 'unknown column "WERK RVU" (column 6); missing WORK RVU' });
    expect(error.value).toContain('HCPCS | MOD | DESCRIPTION | STATUS CODE');
    expect(error.expected).toContain('WORK RVU');
  });

  it('a missing column stops the import, naming it', async () => {
    // Blank the MP RVU header (its values then sit under no header, but the header fails first).
    const source = await brokenRelease('missing-column', PPRRVU, (text) =>
      replaceOnce(replaceOnce(text, ',NA,MP,NON-FACILITY,', ',NA,,NON-FACILITY,'), 'INDICATOR,RVU,TOTAL,TOTAL', 'INDICATOR,,TOTAL,TOTAL'),
    );
    const error = await expectRefused(source, { line: 10 });
    expect(error.problem).toBe('the columns match no known layout (closest: 2008-2025 (31 columns); missing MP RVU)');
  });

  it('a code that lost its leading zeros is named as such, with its line', async () => {
    const source = await brokenRelease('leading-zeros', PPRRVU, (text) => replaceOnce(text, '\r\n00100,,', '\r\n100,,'));
    const error = await expectRefused(source, { line: 12, column: 'HCPCS', value: '100' });
    expect(error.message).toContain('leading zeros');
  });

  it('a non-numeric RVU names the column, the value and what was expected', async () => {
    const source = await brokenRelease('non-numeric', PPRRVU, (text) => replaceOnce(text, '99213,,CPT descriptor withheld 99213,A,,1.30,', '99213,,CPT descriptor withheld 99213,A,,1.3O,'));
    await expectRefused(source, { line: LINE_99213, column: 'WORK RVU', value: '1.3O', expected: 'a decimal number', problem: 'not a number' });
  });

  it('a duplicate key names both lines', async () => {
    const source = await brokenRelease('duplicate', PPRRVU, (text) => {
      const line = text.split('\r\n').find((candidate) => candidate.startsWith('99213,'))!;
      return replaceOnce(text, `${line}\r\n`, `${line}\r\n${line}\r\n`);
    });
    const error = await expectRefused(source, { line: LINE_99213 + 1, column: 'hcpcs, modifier', value: '99213 ' });
    expect(error.expected).toContain(`line ${LINE_99213} has the same key`);
  });

  it('a duplicate key far from its first line names both lines (the keys ascend until the repeat)', async () => {
    const source = await brokenRelease('duplicate-later', PPRRVU, (text) => {
      const lines = text.split('\r\n');
      lines.splice(lines.findIndex((candidate) => candidate.startsWith('G2211,')) + 1, 0, lines.find((candidate) => candidate.startsWith('99213,'))!);
      return lines.join('\r\n');
    });
    const error = await expectRefused(source, { column: 'hcpcs, modifier', value: '99213 ' });
    expect(error.expected).toContain(`line ${LINE_99213} has the same key`);
    expect(error.line).toBeGreaterThan(LINE_99213 + 10);
  });

  it('a file whose unique keys are out of order loads every row', async () => {
    const original = Buffer.from((await zipMembers(pfsZip('rvu25d')))[PPRRVU]!).toString('latin1');
    const dataRows = original.split('\r\n').filter((line) => /^[0-9A-Z]{5},/.test(line) && !line.startsWith('HCPCS,')).length;
    const source = await brokenRelease('unsorted', PPRRVU, (text) => {
      const lines = text.split('\r\n');
      const [moved] = lines.splice(lines.findIndex((candidate) => candidate.startsWith('G2211,')), 1);
      lines.splice(lines.findIndex((candidate) => candidate.startsWith('0001F,')), 0, moved!);
      return lines.join('\r\n');
    });
    const result = await importRelease(test.database, source);
    expect(result.status === 'loaded' && result.datasets.find((dataset) => dataset.dataset === 'pprrvu')?.rows).toBe(dataRows);
    const loaded = await sql<{ n: string }>`select count(*) as n from cms.pfs_rvu where hcpcs = 'G2211'`.execute(test.database.db);
    expect(loaded.rows[0]!.n).toBe('1');
  });

  it('a total that is not work + PE + MP is refused', async () => {
    const source = await brokenRelease('total', PPRRVU, (text) => replaceOnce(text, ',1.30,1.35,,0.57,,0.10,2.75,', ',1.30,1.35,,0.57,,0.10,2.76,'));
    await expectRefused(source, { line: LINE_99213, column: 'NON-FACILITY TOTAL', value: '2.76', expected: '2.75 (work + PE + MP)' });
  });

  it('a FACILITY TOTAL that is not work + facility PE + MP is refused', async () => {
    const source = await brokenRelease('fac-total', PPRRVU, (text) => replaceOnce(text, ',1.30,1.35,,0.57,,0.10,2.75,1.97,', ',1.30,1.35,,0.57,,0.10,2.75,1.98,'));
    const error = await expectRefused(source, { line: LINE_99213, column: 'FACILITY TOTAL', value: '1.98', expected: '1.97 (work + PE + MP)' });
    expect(error.message).toBe(
      `rvu25d.zip:${PPRRVU}, line ${LINE_99213}, column FACILITY TOTAL: total is not the sum of its parts: found "1.98"; expected 1.97 (work + PE + MP)`,
    );
  });

  /** rvu25d.zip rebuilt (deflated, intact data) with one member's header fields rewritten. */
  async function lyingRelease(label: string, lies: Record<string, MemberLie>, extra: Record<string, Uint8Array> = {}): Promise<string> {
    let zip: Uint8Array = zipSync({ ...(await zipMembers(pfsZip('rvu25d'))), ...extra });
    for (const [member, lie] of Object.entries(lies)) zip = patchMember(zip, member, lie);
    const source = path.join(scratch, label, 'rvu25d.zip');
    await mkdir(path.dirname(source), { recursive: true });
    await writeFile(source, zip);
    return source;
  }

  it('a member whose intact data does not match its CRC-32 is refused, naming both checksums', async () => {
    const real = zlib.crc32((await zipMembers(pfsZip('rvu25d')))[PPRRVU]!);
    const declared = (real ^ 0x00010000) >>> 0;
    const source = await lyingRelease('crc', { [PPRRVU]: { crc32: declared } });
    const error = await expectRefused(source, { file: `rvu25d.zip:${PPRRVU}` });
    expect(error.message).toBe(`rvu25d.zip:${PPRRVU}: corrupt member: CRC-32 ${real.toString(16)} instead of ${declared.toString(16)}`);
  });

  it('a member that declares more than the per-member limit is refused before it is inflated', async () => {
    const source = await lyingRelease('member-limit', { [PPRRVU]: { uncompressedSize: DEFAULT_LIMITS.maxMemberBytes + 1 } });
    const error = await expectRefused(source, { file: 'rvu25d.zip' });
    expect(error.message).toBe(`rvu25d.zip: member ${PPRRVU} declares 268435457 bytes uncompressed; expected at most 268435456 bytes per member`);
  });

  it('members that together declare more than the total limit are refused before any is inflated', async () => {
    // 250 MiB each is under the per-member limit; the five data members declare 1250 MiB in all.
    const each = { uncompressedSize: 250 * 1024 * 1024 };
    const members = ['25LOCCO.csv', 'ANES2025.csv', 'GPCI2025.csv', 'OPPSCAP_Oct.csv', PPRRVU];
    const source = await lyingRelease('total-limit', Object.fromEntries(members.map((member) => [member, each])));
    const error = await expectRefused(source, { file: 'rvu25d.zip' });
    expect(error.message).toBe('rvu25d.zip: the members add up to more than 1073741824 bytes uncompressed');
  });

  it('more data members than the limit are refused', async () => {
    const extra = Object.fromEntries(
      Array.from({ length: DEFAULT_LIMITS.maxMembers }, (_, index) => [`extra/NOTE${String(index).padStart(4, '0')}.csv`, new Uint8Array([0x41])]),
    );
    const source = await lyingRelease('member-count', {}, extra);
    const error = await expectRefused(source, { file: 'rvu25d.zip' });
    // rvu25d.zip holds 15 data members (5 datasets as csv, txt and xlsx)
    expect(error.message).toBe('rvu25d.zip: 1015 data members; expected at most 1000');
  });

  it('a member whose stream inflates to more than it declares is refused (so the declared sizes bound memory)', async () => {
    const size = (await zipMembers(pfsZip('rvu25d')))[PPRRVU]!.length;
    const source = await lyingRelease('stream-over', { [PPRRVU]: { uncompressedSize: size - 1000 } });
    const error = await expectRefused(source, { file: `rvu25d.zip:${PPRRVU}` });
    // yauzl stops the stream at the first chunk past the declared size; how far past depends on zlib's chunking
    expect(error.message).toMatch(new RegExp(`^rvu25d\\.zip:${PPRRVU}: cannot read the file: too many bytes in the stream\\. expected ${size - 1000}\\. got at least \\d+$`));
  });

  it('an unknown status code is refused with the allowed values', async () => {
    const source = await brokenRelease('status', PPRRVU, (text) => replaceOnce(text, '99213,,CPT descriptor withheld 99213,A,', '99213,,CPT descriptor withheld 99213,Z,'));
    const error = await expectRefused(source, { line: LINE_99213, column: 'STATUS CODE', value: 'Z' });
    expect(error.expected).toMatch(/^one of A, B, C/);
  });

  it('a second conversion factor in one file is refused', async () => {
    const source = await brokenRelease('two-factors', PPRRVU, (text) => replaceOnce(text, /(\r\n99213,(?:[^,]*,){23})32\.3465,/, '$132.3466,'));
    await expectRefused(source, { line: LINE_99213, column: 'CONV FACTOR', value: '32.3466', problem: 'a second value in one file' });
  });

  it('conflicting duplicates in LOCCO fail, where identical ones collapse', async () => {
    const source = await brokenRelease('locco-conflict', '25LOCCO.csv', (text) => replaceOnce(text, '5302,99,,REST OF STATE*,ALL OTHER COUNTIES', '5302,99,,REST OF STATE*,SOME OTHER COUNTIES'));
    const error = await expectRefused(source, { file: 'rvu25d.zip:25LOCCO.csv', line: 20, value: 'MISSOURI 99' });
    expect(error.expected).toContain('line 19 has the same key with different values');
  });

  it('a data row after the footnotes is refused rather than dropped', async () => {
    const source = await brokenRelease('after-notes', 'GPCI2025.csv', (text) => `${text}03602,WY,22,WYOMING EAST,1,1,0.739\r\n`);
    const error = await expectRefused(source, { file: 'rvu25d.zip:GPCI2025.csv' });
    expect(error.message).toBe(
      'rvu25d.zip:GPCI2025.csv, line 22: a data row after the end of the table (the notes start on line 18): found "03602,WY,22,WYOMING EAST,1,1,0.739"; expected no data after the footnotes',
    );
  });

  it('a value in a column without a header is refused', async () => {
    const source = await brokenRelease('stray', 'ANES2025.csv', (text) => replaceOnce(text, '10112 ,00 ,ALABAMA,19.31 ', '10112 ,00 ,ALABAMA,19.31 ,extra'));
    await expectRefused(source, { file: 'rvu25d.zip:ANES2025.csv', line: 2, column: '#5', value: 'extra' });
  });

  it('a file of bad bytes is refused, naming the file', async () => {
    const garbage = Buffer.from(Array.from({ length: 4096 }, (_, index) => (index * 7919) % 251));
    const source = await writeZip(path.join(scratch, 'garbage'), 'rvu25d.zip', { [PPRRVU]: new Uint8Array(garbage) });
    const error = await expectRefused(source, { file: `rvu25d.zip:${PPRRVU}` });
    expect(error.line).toBe(2);
    expect(error.problem).toMatch(/^not valid delimited text \(INVALID_OPENING_QUOTE: Invalid Opening Quote: a quote is found on field 0 at line 2, value is /);
  });

  it('a truncated zip is refused as such', async () => {
    const bytes = await readFile(pfsZip('rvu25d'));
    const truncated = path.join(scratch, 'truncated', 'rvu25d.zip');
    await writeZip(path.join(scratch, 'truncated'), 'placeholder.zip', {});
    await writeFile(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const error = await expectRefused(truncated, { file: 'rvu25d.zip' });
    expect(error.message).toContain('not a readable zip archive');
  });

  it('a zip member named ../x is refused before anything is read (zip-slip)', async () => {
    const members = await zipMembers(pfsZip('rvu25d'));
    const source = await writeZip(path.join(scratch, 'slip'), 'rvu25d.zip', { ...members, '../x.csv': 'HCPCS\r\n' });
    const error = await expectRefused(source, { file: 'rvu25d.zip' });
    expect(error.message).toContain('invalid relative path: ../x.csv');
  });

  it('a member whose compressed bytes are corrupt is refused, naming the member', async () => {
    const bytes = Buffer.from(await readFile(pfsZip('rvu25d')));
    // Corrupt the middle of the PPRRVU member's deflated data (its local header is found by name).
    const at = bytes.indexOf(Buffer.from(PPRRVU)) + PPRRVU.length + 300;
    for (let offset = 0; offset < 64; offset++) bytes[at + offset] = bytes[at + offset]! ^ 0x5a;
    const source = path.join(scratch, 'corrupt.zip');
    await writeFile(source, bytes);
    const error = await expectRefused(source, { file: `corrupt.zip:${PPRRVU}` });
    // inflation fails before the CRC check can (intact data with a wrong CRC: the CRC-32 test above)
    expect(error.message).toBe(`corrupt.zip:${PPRRVU}: cannot read the file: invalid distance too far back`);
  });
});
