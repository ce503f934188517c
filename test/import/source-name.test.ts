/**
 * `importRelease(db, path, { sourceName })`: a file named otherwise (sync's cached
 * `<sha256>.zip`) is imported as the name CMS gave it, without a renamed copy on disk.
 */
import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { InputError, importRelease } from '../../src/index.js';
import { backends, useFreshDatabase } from '../support/db.js';
import { fixture, pfsZip, scratchDir, writeZip, zipMembers } from '../support/fixtures.js';

const CACHED = 'f3b1a9c07d5e4b2a.zip';

describe.each(backends)('import under the name the source is known by (%s)', (backend) => {
  const test = useFreshDatabase(backend);
  let scratch: string;
  beforeAll(async () => {
    scratch = await scratchDir();
  });

  it('identifies the release by that name and records it as source_name and in release_files', async () => {
    // members renamed so that only the source name says which release it is
    const members = await zipMembers(pfsZip('rvu25d'));
    const renamed = Object.fromEntries(Object.entries(members).map(([name, bytes]) => [name.replace('PPRRVU2025_Oct', 'PPRRVU'), bytes]));
    const cached = await writeZip(scratch, CACHED, renamed);

    const unnamed = await importRelease(test.database, cached).catch((error: unknown) => error);
    expect(unnamed).toBeInstanceOf(InputError);
    expect((unnamed as InputError).file).toBe(CACHED);

    const result = await importRelease(test.database, cached, { sourceName: 'rvu25d-updated-09-11-2025.zip' });
    expect(result).toMatchObject({ status: 'loaded', code: 'RVU25D', revision: 0 });
    const release = await test.database.db.selectFrom('cms.releases').select(['source_name']).executeTakeFirstOrThrow();
    expect(release.source_name).toBe('rvu25d-updated-09-11-2025.zip');
    const files = await test.database.db.selectFrom('cms.release_files').select('name').orderBy('name').execute();
    expect(files.map((file) => file.name)).toContain('rvu25d-updated-09-11-2025.zip:PPRRVU.csv');
    expect(files.every((file) => file.name.startsWith('rvu25d-updated-09-11-2025.zip:'))).toBe(true);
  });

  it('names the source in its errors by that name, members included', async () => {
    const members = await zipMembers(pfsZip('rvu24b'));
    const broken = Object.fromEntries(
      Object.entries(members).map(([name, bytes]) => [name, name.startsWith('GPCI') ? new TextEncoder().encode('not,a,gpci,file\n') : bytes]),
    );
    const cached = await writeZip(path.join(scratch, 'broken'), CACHED, broken);
    const error = await importRelease(test.database, cached, { sourceName: 'rvu24b.zip' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).file).toMatch(/^rvu24b\.zip:GPCI/);
    expect(await test.database.db.selectFrom('cms.releases').select('id').execute()).toEqual([]);
  });

  it('opens a data file by the kind its name says, and a folder by its given name', async () => {
    const csv = path.join(scratch, 'download.bin');
    await copyFile(fixture('pfs', 'rvu25d', 'ANES2025.csv'), csv);
    const file = await importRelease(test.database, csv, { sourceName: 'ANES2025.csv', code: 'RVU25D' });
    expect(file.datasets.map((dataset) => [dataset.dataset, dataset.files[0]!.name])).toEqual([['anes', 'ANES2025.csv']]);

    const folder = await importRelease(test.database, fixture('pfs', 'rvu24b'), { sourceName: 'RVU24B' });
    expect(folder).toMatchObject({ status: 'loaded', code: 'RVU24B' });
    expect(folder.datasets.flatMap((dataset) => dataset.files.map((member) => member.name)).every((name) => name.startsWith('RVU24B/'))).toBe(true);
  });
});
