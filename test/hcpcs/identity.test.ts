/** Which HCPCS release a zip, folder or file is, from its name and its data file's name. */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { inputError } from '../pipelines/pfs-support.js';
import { hcpcsFamily, releaseFromName } from '../../pipelines/hcpcs/index.js';

const code = (name: string) => releaseFromName(name)?.code ?? null;

describe('release codes from names', () => {
  it.each([
    // quarterly data files, with the suffixes CMS adds on re-posts
    ['HCPC2025_OCT_ANWEB.xlsx', 'HCPC2025_OCT'],
    ['HCPC2026_JAN_ANWEB.txt', 'HCPC2026_JAN'],
    ['HCPC2026_APR_ANWEB_v2.txt', 'HCPC2026_APR'],
    ['HCPC2025_JAN_ANWEB_12172024.xlsx', 'HCPC2025_JAN'],
    ['HCPC2026_JAN_ANWEB_12292025.txt', 'HCPC2026_JAN'],
    ['HCPC2024_JUL_ANWEB_disc.txt', 'HCPC2024_JUL'],
    // annual files: the January release of their year
    ['HCPC2020_ANWEB_w_disclaimer.txt', 'HCPC2020_JAN'],
    ['HCPC2020_CONTR_ANWEB.xls', 'HCPC2020_JAN'],
    ['HCPC17_CONTR_ANWEB.txt', 'HCPC2017_JAN'],
    // zips, quarterly (singular and plural) and annual
    ['january-2026-alpha-numeric-hcpcs-file.zip', 'HCPC2026_JAN'],
    ['october-2023-alpha-numeric-hcpcs-files.zip', 'HCPC2023_OCT'],
    ['April-2024-Alpha-Numeric-HCPCS-Files.zip', 'HCPC2024_APR'],
    ['july-2025-alpha-numeric-hcpcs-file-0.zip', 'HCPC2025_JUL'],
    ['2020-Alpha-Numeric-HCPCS-File.zip', 'HCPC2020_JAN'],
    // a folder named after the release, or a path
    ['HCPC2025_OCT', 'HCPC2025_OCT'],
    ['/downloads/cms/october-2025-alpha-numeric-hcpcs-file.zip', 'HCPC2025_OCT'],
    ['downloads/HCPC2025_OCT/', 'HCPC2025_OCT'],
    ['C:\\cms\\HCPC2026_JAN_ANWEB.txt', 'HCPC2026_JAN'],
  ])('%s is %s', (name, expected) => {
    expect(code(name)).toBe(expected);
  });

  it.each(['hcpcs.zip', 'RVU25D.zip', 'march-2024-alpha-numeric-hcpcs-file.zip', 'HCPC2025_MAY_ANWEB.txt', 'NOC codes_OCT2025.xlsx'])(
    '%s names no release',
    (name) => {
      expect(releaseFromName(name)).toBeNull();
    },
  );

  it('gives year, quarter and the first day of the quarter', () => {
    expect(releaseFromName('HCPC2025_JAN_ANWEB.txt')).toEqual({ code: 'HCPC2025_JAN', year: 2025, quarter: 1, effectiveFrom: '2025-01-01' });
    expect(releaseFromName('april-2026-alpha-numeric-hcpcs-file.zip')).toMatchObject({ quarter: 2, effectiveFrom: '2026-04-01' });
    expect(releaseFromName('HCPC2025_JUL_ANWEB.txt')).toMatchObject({ quarter: 3, effectiveFrom: '2025-07-01' });
    expect(releaseFromName('HCPC2025_OCT_ANWEB.xlsx')).toMatchObject({ quarter: 4, effectiveFrom: '2025-10-01' });
  });
});

describe('hcpcsFamily.identify', () => {
  it('agrees with the members when the zip names the release', () => {
    expect(
      hcpcsFamily.identify({ name: 'october-2025-alpha-numeric-hcpcs-file.zip', members: ['HCPC2025_OCT_ANWEB.txt'] }),
    ).toMatchObject({ code: 'HCPC2025_OCT', effectiveFrom: '2025-10-01' });
    expect(
      hcpcsFamily.identify({ name: '2020-Alpha-Numeric-HCPCS-File.zip', members: ['HCPC2020_ANWEB_w_disclaimer.txt'] }),
    ).toMatchObject({ code: 'HCPC2020_JAN', year: 2020, quarter: 1 });
  });

  it('identifies a single workbook by its own name', () => {
    expect(hcpcsFamily.identify({ name: 'HCPC2025_OCT_ANWEB.xlsx', members: ['HCPC2025_OCT_ANWEB.xlsx'] }).code).toBe('HCPC2025_OCT');
  });

  it('uses the data file name when the source name says nothing', () => {
    expect(hcpcsFamily.identify({ name: 'download.zip', members: ['HCPC2026_JAN_ANWEB_v2.txt'] }).code).toBe('HCPC2026_JAN');
  });

  it('fails, naming both, when the source name and the data file disagree', () => {
    const attempt = () =>
      hcpcsFamily.identify({ name: 'january-2026-alpha-numeric-hcpcs-file.zip', members: ['HCPC2025_OCT_ANWEB.txt'] });
    expect(attempt).toThrow(InputError);
    expect(attempt).toThrow(/january-2026-alpha-numeric-hcpcs-file is HCPC2026_JAN, HCPC2025_OCT_ANWEB.txt is HCPC2025_OCT/);
  });

  it('fails when the data files name different releases', () => {
    expect(() =>
      hcpcsFamily.identify({ name: 'hcpcs.zip', members: ['HCPC2025_OCT_ANWEB.txt', 'HCPC2025_JUL_ANWEB.txt'] }),
    ).toThrow(/data files name different releases/);
  });

  it('names both releases, the source by its name without the extension', () => {
    const error = inputError(() => hcpcsFamily.identify({ name: 'HCPC2025_OCT_ANWEB.xlsx.zip', members: ['HCPC2026_JAN_ANWEB.txt'] }));
    expect(error).toMatchObject({
      problem: 'the source name and its data file name different releases',
      file: 'HCPC2025_OCT_ANWEB.xlsx.zip',
      value: 'HCPC2025_OCT_ANWEB.xlsx is HCPC2025_OCT, HCPC2026_JAN_ANWEB.txt is HCPC2026_JAN',
      expected: 'the same release in both names',
    });
  });

  it('names the first two data files of different releases', () => {
    const error = inputError(() =>
      hcpcsFamily.identify({ name: 'hcpcs.zip', members: ['README.txt', 'HCPC2025_OCT_ANWEB.txt', 'HCPC2025_OCT_ANWEB.xlsx', 'HCPC2025_JUL_ANWEB.txt'] }),
    );
    expect(error).toMatchObject({
      problem: 'the data files name different releases',
      file: 'hcpcs.zip',
      value: 'HCPC2025_OCT_ANWEB.txt is HCPC2025_OCT, HCPC2025_JUL_ANWEB.txt is HCPC2025_JUL',
      expected: 'data files of one release',
    });
  });

  it('lists every name it looked at when none names a release', () => {
    const error = inputError(() => hcpcsFamily.identify({ name: 'hcpcs.zip', members: ['ANWEB.txt', 'README.txt'] }));
    expect(error).toMatchObject({
      problem: 'cannot tell which HCPCS release this is',
      file: 'hcpcs.zip',
      value: 'hcpcs.zip, ANWEB.txt, README.txt',
      expected: 'a name like HCPC2025_OCT_ANWEB.txt, october-2025-alpha-numeric-hcpcs-file.zip or 2020-Alpha-Numeric-HCPCS-File.zip',
    });
  });

  it('fails when nothing names a release', () => {
    expect(() => hcpcsFamily.identify({ name: 'hcpcs.zip', members: ['ANWEB.txt'] })).toThrow(/cannot tell which HCPCS release/);
  });
});

describe('hcpcsFamily.fromCode', () => {
  it('accepts CMS release codes, upper-casing them', () => {
    expect(hcpcsFamily.fromCode('HCPC2026_JAN')).toEqual({ code: 'HCPC2026_JAN', year: 2026, quarter: 1, effectiveFrom: '2026-01-01' });
    expect(hcpcsFamily.fromCode('hcpc2025_oct')?.code).toBe('HCPC2025_OCT');
    expect(hcpcsFamily.fromCode(' HCPC2026_APR\n')?.code).toBe('HCPC2026_APR');
  });

  it("returns null for other families' codes and malformed ones", () => {
    for (const other of ['RVU26A', 'HCPC2025', 'HCPC2025_MAY', 'HCPC25_OCT', 'HCPC2025_OCT_ANWEB']) {
      expect(hcpcsFamily.fromCode(other)).toBeNull();
    }
  });
});
