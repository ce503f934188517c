/**
 * src/archive/ on its own, without a database: what a zip, a folder and a single file open to
 * (members, names, paths, formats, sizes, checksums), which entries are skipped, and each limit at
 * its boundary with small limits (a member, the total and the member count exactly at the limit
 * pass; one byte or one member over fails, with its message).
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { openArchive } from '../../src/archive/archive.js';
import { formatOf, isNoise, stemOf } from '../../src/archive/members.js';
import { readStream } from '../../src/archive/stream.js';
import { InputError } from '../../src/errors.js';
import { scratchDir, writeZip } from '../support/fixtures.js';
import { patchMember } from '../support/zip-patch.js';

const sha256 = (bytes: string | Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The error `work` fails with: an InputError, checked whole by the caller. */
async function refusal(work: Promise<unknown>): Promise<InputError> {
  const error = await work.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

describe('opening archives', () => {
  let scratch: string;
  beforeAll(async () => {
    scratch = await scratchDir();
  });

  it('a zip: data members by extension (any case), noise and other files skipped, each with its path, stem, size and checksum', async () => {
    const zip = await writeZip(path.join(scratch, 'members'), 'Release.zip', {
      'PPRRVU25_OCT.csv': 'a,b\r\n1,2\r\n',
      'sub/GPCI2025.XLSX': 'not really a workbook',
      'ANWEB.txt': 'fixed width',
      'old.xls': 'x',
      'README.pdf': 'pdf',
      '__MACOSX/._PPRRVU25_OCT.csv': 'resource fork',
      '.hidden.csv': 'hidden',
      'sub/.DS_Store': 'finder',
    });
    const archive = await openArchive(zip);
    try {
      expect(archive).toMatchObject({ name: 'Release.zip', kind: 'zip' });
      expect(archive.sha256).toBe(sha256(await readFile(zip)));
      expect(archive.members.map(({ name, stem, path: label, format, size }) => ({ name, stem, path: label, format, size }))).toEqual([
        { name: 'PPRRVU25_OCT.csv', stem: 'PPRRVU25_OCT', path: 'Release.zip:PPRRVU25_OCT.csv', format: 'csv', size: 10 },
        { name: 'GPCI2025.XLSX', stem: 'GPCI2025', path: 'Release.zip:sub/GPCI2025.XLSX', format: 'xlsx', size: 21 },
        { name: 'ANWEB.txt', stem: 'ANWEB', path: 'Release.zip:ANWEB.txt', format: 'txt', size: 11 },
        { name: 'old.xls', stem: 'old', path: 'Release.zip:old.xls', format: 'xls', size: 1 },
      ]);
      const csv = archive.members[0]!;
      // the checksum before any read reads the member; after a read it is the one taken on the way
      expect(await csv.sha256()).toBe(sha256('a,b\r\n1,2\r\n'));
      expect((await csv.bytes()).toString('latin1')).toBe('a,b\r\n1,2\r\n');
      expect(await csv.sha256()).toBe(sha256('a,b\r\n1,2\r\n'));
      expect((await readStream(await archive.members[2]!.open(), 'x')).toString()).toBe('fixed width');
    } finally {
      await archive.close();
    }
  });

  it('a zip known by another name (a cached copy) is named by it, whatever its file is called', async () => {
    const zip = await writeZip(path.join(scratch, 'named'), '0123abcd.bin', { 'PPRRVU25_OCT.csv': 'a\r\n' });
    const archive = await openArchive(zip, { name: 'RVU25D.ZIP' });
    expect(archive).toMatchObject({ name: 'RVU25D.ZIP', kind: 'zip', members: [{ path: 'RVU25D.ZIP:PPRRVU25_OCT.csv' }] });
    await archive.close();
  });

  it('each limit holds at its value and refuses one over it, before anything is inflated', async () => {
    const dir = path.join(scratch, 'limits');
    const zip = await writeZip(dir, 'limits.zip', { 'A.csv': '12345', 'B.csv': '123', 'C.txt': '1', 'notes.pdf': 'not counted' });
    // A is 5 bytes, the three data members 9 bytes in all
    const open = (maxMemberBytes: number, maxTotalBytes: number, maxMembers: number) => openArchive(zip, { limits: { maxMemberBytes, maxTotalBytes, maxMembers } });
    const exact = await open(5, 9, 3);
    expect(exact.members.map((member) => member.name)).toEqual(['A.csv', 'B.csv', 'C.txt']);
    await exact.close();

    const member = await refusal(open(4, 9, 3));
    expect(member.message).toBe('limits.zip: member A.csv declares 5 bytes uncompressed; expected at most 4 bytes per member');
    expect(member).toMatchObject({ file: 'limits.zip', expected: 'at most 4 bytes per member' });
    const total = await refusal(open(5, 8, 3));
    expect(total.message).toBe('limits.zip: the members add up to more than 8 bytes uncompressed');
    const count = await refusal(open(5, 9, 2));
    expect(count.message).toBe('limits.zip: 3 data members; expected at most 2');
  });

  it('a zip that holds only another zip says to unzip it once', async () => {
    const inner = await writeZip(path.join(scratch, 'inner'), 'rvu25d.zip', { 'PPRRVU25_OCT.csv': 'a\r\n' });
    const outer = await writeZip(path.join(scratch, 'outer'), 'outer.zip', {
      'rvu25d.zip': new Uint8Array(await readFile(inner)),
      'README.pdf': 'pdf',
    });
    const error = await refusal(openArchive(outer));
    expect(error.message).toBe(
      'outer.zip: the zip holds only another zip (rvu25d.zip), no data files; expected a release zip as CMS publishes it, with the data files inside: unzip the outer zip once and import the zip it holds',
    );
    // a zip beside data files is just another member that is not data
    const mixed = await writeZip(path.join(scratch, 'mixed'), 'mixed.zip', { 'nested.zip': 'zip', 'PPRRVU25_OCT.csv': 'a\r\n' });
    const archive = await openArchive(mixed);
    expect(archive.members.map((m) => m.name)).toEqual(['PPRRVU25_OCT.csv']);
    await archive.close();
  });

  it('a folder of release zips (and no data files) is refused, saying to import each zip', async () => {
    const folder = path.join(scratch, 'downloads');
    await mkdir(folder, { recursive: true });
    await writeZip(folder, 'rvu24b.zip', { 'PPRRVU24_APR.csv': 'a\r\n' });
    await writeZip(folder, 'rvu25d.zip', { 'PPRRVU25_OCT.csv': 'a\r\n' });
    await writeFile(path.join(folder, 'notes.pdf'), 'pdf');
    const error = await refusal(openArchive(folder));
    expect(error.message).toBe(
      `${folder}: the folder holds release zips (rvu24b.zip, rvu25d.zip), no data files; expected one release: a zip as CMS publishes it, or the folder it unzips to; import each zip by name (cms-ingest import ${path.join(folder, '*.zip')})`,
    );
    // a zip beside data files is one more file that is not data
    await writeFile(path.join(folder, 'PPRRVU25_OCT.csv'), 'a\r\n');
    expect((await openArchive(folder)).members.map((m) => m.name)).toEqual(['PPRRVU25_OCT.csv']);
  });

  it('a folder: data files at any depth, noise skipped, named by the folder; its identity follows names and contents', async () => {
    const folder = path.join(scratch, 'folder', 'rvu25d');
    await mkdir(path.join(folder, 'sub', '__MACOSX'), { recursive: true });
    await writeFile(path.join(folder, 'PPRRVU25_OCT.csv'), 'a\r\n');
    await writeFile(path.join(folder, 'sub', 'GPCI2025.csv'), 'gpci');
    await writeFile(path.join(folder, 'sub', '__MACOSX', '._GPCI2025.csv'), 'fork');
    await writeFile(path.join(folder, '.DS_Store'), 'finder');
    await writeFile(path.join(folder, 'notes.pdf'), 'pdf');
    const archive = await openArchive(folder);
    expect(archive).toMatchObject({ name: 'rvu25d', kind: 'folder' });
    expect(archive.members.map(({ name, stem, path: label, format, size }) => ({ name, stem, label, format, size }))).toEqual([
      { name: 'PPRRVU25_OCT.csv', stem: 'PPRRVU25_OCT', label: 'rvu25d/PPRRVU25_OCT.csv', format: 'csv', size: 3 },
      { name: 'GPCI2025.csv', stem: 'GPCI2025', label: 'rvu25d/sub/GPCI2025.csv', format: 'csv', size: 4 },
    ]);
    expect(await archive.members[1]!.sha256()).toBe(sha256('gpci'));
    expect((await archive.members[1]!.bytes()).toString()).toBe('gpci');
    expect((await readStream(await archive.members[0]!.open(), 'x')).toString()).toBe('a\r\n');
    // the same names and bytes elsewhere: the same identity; a renamed file: another one
    const copy = path.join(scratch, 'folder-copy', 'rvu25d');
    await mkdir(path.join(copy, 'sub'), { recursive: true });
    await writeFile(path.join(copy, 'PPRRVU25_OCT.csv'), 'a\r\n');
    await writeFile(path.join(copy, 'sub', 'GPCI2025.csv'), 'gpci');
    expect((await openArchive(copy)).sha256).toBe(archive.sha256);
    await writeFile(path.join(copy, 'sub', 'GPCI2025.csv'), 'gpcj');
    const changed = (await openArchive(copy)).sha256;
    expect(changed).not.toBe(archive.sha256);
    expect((await openArchive(copy, { name: 'RVU25D' })).members[0]!.path).toBe('RVU25D/PPRRVU25_OCT.csv');
  });

  it('a folder file over the per-member limit is refused; one at the limit is read', async () => {
    const folder = path.join(scratch, 'big-folder');
    await mkdir(folder, { recursive: true });
    await writeFile(path.join(folder, 'PPRRVU25_OCT.csv'), '123456');
    const limits = (maxMemberBytes: number) => ({ limits: { maxMemberBytes, maxTotalBytes: 100, maxMembers: 10 } });
    expect((await openArchive(folder, limits(6))).members).toHaveLength(1);
    const error = await refusal(openArchive(folder, limits(5)));
    expect(error.message).toBe(`${path.join(folder, 'PPRRVU25_OCT.csv')}: 6 bytes; expected at most 5 bytes per file`);
  });

  it('one data file: a member of its own, named by its file or the name given', async () => {
    const file = path.join(scratch, 'single', 'GPCI2025.csv');
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, 'gpci,1\r\n');
    const archive = await openArchive(file);
    expect(archive).toMatchObject({ name: 'GPCI2025.csv', kind: 'file', sha256: sha256('gpci,1\r\n') });
    expect(archive.members.map(({ name, stem, path: label, format, size }) => ({ name, stem, label, format, size }))).toEqual([
      { name: 'GPCI2025.csv', stem: 'GPCI2025', label: 'GPCI2025.csv', format: 'csv', size: 8 },
    ]);
    expect(await archive.members[0]!.sha256()).toBe(sha256('gpci,1\r\n'));
    expect((await openArchive(file, { name: 'GPCI2026.csv' })).members[0]!.path).toBe('GPCI2026.csv');
  });

  it('a path that does not exist, and a file of no data kind, are refused naming the path', async () => {
    const missing = path.join(scratch, 'nowhere.zip');
    expect((await refusal(openArchive(missing))).message).toBe(`${missing}: no such file or folder`);
    const pdf = path.join(scratch, 'notes.pdf');
    await writeFile(pdf, 'pdf');
    const error = await refusal(openArchive(pdf));
    expect(error.message).toBe(`${pdf}: not a zip, a folder or a data file; expected .zip, .csv, .xlsx, .xls or .txt`);
  });

  it('a member that cannot be opened (a compression method yauzl does not know) is refused naming the member', async () => {
    const zip = await writeZip(path.join(scratch, 'method'), 'method.zip', { 'A.csv': 'a,b\r\n'.repeat(50), 'B.csv': 'b\r\n' });
    await writeFile(zip, patchMember(await readFile(zip), 'A.csv', { compressionMethod: 12 }));
    const archive = await openArchive(zip);
    const error = await refusal(archive.members[0]!.bytes());
    expect(error.message).toBe('method.zip:A.csv: cannot read member: unsupported compression method: 12');
    expect(error.file).toBe('method.zip:A.csv');
    // the others still read
    expect((await archive.members[1]!.bytes()).toString()).toBe('b\r\n');
    await archive.close();
  });

  it('a file that is not a zip under a .zip name is refused as such', async () => {
    const fake = path.join(scratch, 'fake.zip');
    await writeFile(fake, 'PK but not really');
    const error = await refusal(openArchive(fake));
    expect(error.message).toMatch(/^fake\.zip: not a readable zip archive \(truncated or corrupt\): /);
  });
});

describe('member naming rules', () => {
  it('formats by extension, any case; anything else is not data', () => {
    expect(['a.csv', 'a.CSV', 'a.xlsx', 'a.XLS', 'a.txt', 'a.pdf', 'a.prn', 'a', 'a.csv.zip'].map(formatOf)).toEqual([
      'csv', 'csv', 'xlsx', 'xls', 'txt', undefined, undefined, undefined, undefined,
    ]);
    expect(stemOf('PPRRVU25_OCT.csv')).toBe('PPRRVU25_OCT');
    expect(stemOf('RVU25D.v2.xlsx')).toBe('RVU25D.v2');
  });

  it('noise: folder entries, __MACOSX anywhere, hidden files and folders', () => {
    expect(['sub/', '__MACOSX/a.csv', 'x/__MACOSX/a.csv', '.hidden.csv', 'x/.git/a.csv', 'a.csv', 'x/MACOSX.csv', 'x/a.b.csv'].map(isNoise)).toEqual([
      true, true, true, true, true, false, false, false,
    ]);
  });

  it('a stream that fails is named by its member', async () => {
    const failing = new Readable({
      read() {
        this.destroy(new Error('inflate failed'));
      },
    });
    const error = await refusal(readStream(failing, 'rvu25d.zip:PPRRVU25_OCT.csv'));
    expect(error.message).toBe('rvu25d.zip:PPRRVU25_OCT.csv: cannot read member: inflate failed');
  });
});
