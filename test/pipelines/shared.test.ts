/**
 * The pieces of CMS naming and formats that several families share (pipelines/*.ts), tested on
 * their own: quarter and month names, the month-year and posting-date grammar of file names,
 * zip links on fee-schedule pages, the 0xFF non-breaking space, the amount cells, the family list.
 * No database: each case is a string or a few bytes written as CMS writes them.
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { dollars, number, parseAmount, percent } from '../../pipelines/amounts.js';
import { childPages, dateInZipName, latestZip, zipLinks, type ZipLink } from '../../pipelines/cms-links.js';
import { families } from '../../pipelines/index.js';
import { withNbspByte } from '../../pipelines/nbsp-byte.js';
import { fullYear, monthOfQuarter, QUARTER_MONTH_PATTERN, quarterOfMonth, quarterRelease, quarterStart } from '../../pipelines/quarters.js';
import { monthYearIn, postingDateIn, quarterFromNames } from '../../pipelines/release-names.js';
import type { MemberFile } from '../../src/pipeline.js';
import { memberFromBytes } from '../hcpcs/support.js';
import { inputError, stubRow } from './pfs-support.js';

describe('quarters (pipelines/quarters.ts)', () => {
  it.each([
    ['JAN', 1], ['Apr', 2], ['july', 3], ['OCTOBER', 4],
    ['January', 1], ['APRIL', 2], ['Jul', 3], ['oct', 4],
  ] as const)('%s starts quarter %i', (name, quarter) => {
    expect(quarterOfMonth(name)).toBe(quarter);
  });

  it.each(['FEB', 'March', 'June', 'DEC', 'JANU', '', 'Q1'])('%j starts no quarter', (name) => {
    expect(quarterOfMonth(name)).toBeUndefined();
  });

  it('names the months of the quarters, and their first days', () => {
    expect([1, 2, 3, 4].map((q) => monthOfQuarter(q as 1 | 2 | 3 | 4))).toEqual(['JAN', 'APR', 'JUL', 'OCT']);
    expect([1, 2, 3, 4].map((q) => quarterStart(2025, q as 1 | 2 | 3 | 4))).toEqual(['2025-01-01', '2025-04-01', '2025-07-01', '2025-10-01']);
    expect(quarterRelease('RVU24B', 2024, 2)).toEqual({ code: 'RVU24B', year: 2024, quarter: 2, effectiveFrom: '2024-04-01' });
  });

  it('reads two- and four-digit years', () => {
    expect(fullYear('24')).toBe(2024);
    expect(fullYear('07')).toBe(2007);
    expect(fullYear('2026')).toBe(2026);
  });

  it('matches every month name, in full before abbreviated', () => {
    const pattern = new RegExp(`^(?:${QUARTER_MONTH_PATTERN})$`, 'i');
    for (const name of ['JANUARY', 'jan', 'April', 'APR', 'july', 'JUL', 'October', 'oct']) expect(pattern.test(name)).toBe(true);
    expect(pattern.test('MAY')).toBe(false);
    // the full name is tried first, so a prefix match takes the whole word
    expect(new RegExp(`(?:${QUARTER_MONTH_PATTERN})`, 'i').exec('OCTOBER-2025')?.[0]).toBe('OCTOBER');
  });
});

describe('month and year in a name (pipelines/release-names.ts)', () => {
  it.each([
    ['January 2025 Web Addendum B', 2025, 1],
    ['jul-2024-asp-pricing-file', 2024, 3],
    ['section 508 version of Jul 2024 ASP Pricing File 062024', 2024, 3],
    ['april2026-medicare-part-b', 2026, 2],
    ['July - 2022 Addendum B', 2022, 3],
    ['October_2023', 2023, 4],
    ['2025_OCT_addendum', 2025, 4],
    ['2025-october-addendum-b', 2025, 4],
    ['2024 april', 2024, 2],
    ['2026jan', 2026, 1],
    ['Addendum B 2024 april', 2024, 2],
  ] as const)('%s → %i quarter %i', (name, year, quarter) => {
    expect(monthYearIn(name)).toEqual({ year, quarter });
  });

  it.each([
    'XJAN 2025', //           a month inside a word
    'January 20251', //       a year of five digits
    '12025 OCT', //           the same, year first
    '2025 OCTX', //           the month runs on into a word
    'March 2025', //          not a quarter month
    'January 1999', //        years are 20xx
    'no date at all',
  ])('%s holds no quarter', (name) => {
    expect(monthYearIn(name)).toBeUndefined();
  });

  it('prefers month-then-year over year-then-month in one name', () => {
    expect(monthYearIn('2024 April vs January 2025')).toEqual({ year: 2025, quarter: 1 });
  });

  it.each([
    ['ASP Pricing File updated 030725', '2025-03-07'],
    ['ASP Pricing File updated030725', '2025-03-07'],
    ['ASP Pricing File Updated_-_110124', '2024-11-01'],
    ['Web Addendum B.12.31.24', '2024-12-31'],
    ['July_2022_Web_Addendum_B.062222', '2022-06-22'],
    ['asp-pricing-file-12_19_24-final-file', '2024-12-19'],
    ['ASP Pricing File 062024', '2024-06-20'],
  ])('posting date of %s is %s', (stem, date) => {
    expect(postingDateIn(stem)).toBe(date);
  });

  it.each([
    'ASP Pricing File updated 0307251', // seven digits after updated
    'Web Addendum B.12.31.24.x', //       not at the end
    'Addendum B.0622221', //              seven digits
    'file-112_19_24', //                  the day-month-year run inside a longer number
    'file-12_19_245',
    'File062024', //                      no space before the date
    'Addendum B.02.30.24', //             30 February
  ])('no posting date in %s', (stem) => {
    expect(postingDateIn(stem)).toBeUndefined();
  });

  it('takes the most specific posting date first', () => {
    // `updated 010225` and the trailing `.12.31.24`: the updated date is what CMS means
    expect(postingDateIn('File updated 010225 copy.12.31.24')).toBe('2025-01-02');
  });

  const make = (year: number, quarter: 1 | 2 | 3 | 4) => quarterRelease(`X${year}_${monthOfQuarter(quarter)}`, year, quarter);
  const describeIt = { what: 'the test family', expected: 'a name with a quarter' };

  it('one quarter from the source name and its members, which must agree', () => {
    expect(quarterFromNames({ name: 'july-2025-files.zip', members: ['July 2025 data.csv', 'readme.pdf'] }, make, describeIt)).toEqual({
      code: 'X2025_JUL', year: 2025, quarter: 3, effectiveFrom: '2025-07-01',
    });
    expect(quarterFromNames({ name: 'files.zip', members: ['readme.txt', 'Oct 2024 data.csv'] }, make, describeIt).code).toBe('X2024_OCT');
  });

  it('no quarter in any name is an InputError naming the source and its members', () => {
    const error = inputError(() => quarterFromNames({ name: 'files.zip', members: ['a.csv', 'b.csv'] }, make, describeIt));
    expect(error.problem).toBe('cannot tell which quarter of the test family this is');
    expect(error.file).toBe('files.zip');
    expect(error.value).toBe('a.csv, b.csv');
    expect(error.expected).toBe('a name with a quarter');
  });

  it('names of two quarters are an InputError naming both (a differing year or a differing quarter)', () => {
    const error = inputError(() => quarterFromNames({ name: 'january-2025.zip', members: ['January 2025 a.csv', 'April 2025 b.csv'] }, make, describeIt));
    expect(error.problem).toBe('the names belong to two quarters (X2025_JAN and X2025_APR)');
    expect(error.file).toBe('january-2025.zip');
    expect(error.value).toBe('january-2025.zip, January 2025 a.csv, April 2025 b.csv');
    expect(error.expected).toBe('one quarter of the test family');
    const years = inputError(() => quarterFromNames({ name: 'january-2025.zip', members: ['January 2024 a.csv'] }, make, describeIt));
    expect(years.problem).toBe('the names belong to two quarters (X2025_JAN and X2024_JAN)');
  });
});

describe('zip links on fee-schedule pages (pipelines/cms-links.ts)', () => {
  const page = 'https://www.cms.gov/medicare/payment/x/quarter';
  const options = { warn: () => undefined };
  const html = `
    <a href="/files/zip/january-2025-addendum-b.zip">January 2025
        Addendum   B</a>
    <a href="/license/ama?file=/files/zip/july-2025-addendum-b.zip">July (licence)</a>
    <a href="/license/ama/?file=/files/zip/april-2025.ZIP">April (licence, slash)</a>
    <a href="https://www.cms.gov/apps/ama/license.asp?file=/files/zip/oct%202024.zip">Old licence page</a>
    <a href="/license/ama?file=https://evil.example/x.zip">not a CMS path</a>
    <a href="/license/ama">no file</a>
    <a href="/apps/ama/license.asp">no file either</a>
    <a href="/files/document/readme.pdf">PDF</a>
    <a href="/files/zip/notazip.zip.pdf">PDF named like a zip</a>
    <a href="mailto:someone@cms.hhs.gov">mail</a>
    <a href="/somewhere/license/ama/x.zip">a zip whose path only contains license/ama</a>`;

  it('finds direct zips and the zips behind the CPT-licence pages, with their names and texts', () => {
    const links = zipLinks(html, page, options);
    expect(links.map((link) => [link.target.url.href, link.name, link.text])).toEqual([
      ['https://www.cms.gov/files/zip/january-2025-addendum-b.zip', 'january-2025-addendum-b.zip', 'January 2025 Addendum B'],
      ['https://www.cms.gov/files/zip/july-2025-addendum-b.zip', 'july-2025-addendum-b.zip', 'July (licence)'],
      ['https://www.cms.gov/files/zip/april-2025.ZIP', 'april-2025.ZIP', 'April (licence, slash)'],
      ['https://www.cms.gov/files/zip/oct%202024.zip', 'oct 2024.zip', 'Old licence page'],
      ['https://www.cms.gov/somewhere/license/ama/x.zip', 'x.zip', 'a zip whose path only contains license/ama'],
    ]);
    expect(links.every((link) => link.target.onCms)).toBe(true);
  });

  it('resolves the licence file through the mirror', () => {
    const mirror = 'http://127.0.0.1:9/cms';
    const links = zipLinks('<a href="/license/ama?file=/files/zip/a.zip">a</a>', `${mirror}/medicare/x`, { mirror, warn: () => undefined });
    expect(links.map((link) => link.target.url.href)).toEqual(['https://www.cms.gov/files/zip/a.zip']);
  });

  it('child pages: one more path segment below the base, each once, case-insensitively', () => {
    const base = '/medicare/payment/x';
    const children = childPages(
      `<a href="/medicare/payment/x/january-2025">a</a>
       <a href="/Medicare/Payment/X/April-2025//">b</a>
       <a href="/medicare/payment/x/JANUARY-2025">same as a</a>
       <a href="/medicare/payment/x/july-2025/files">deeper</a>
       <a href="/medicare/payment/x/">the base itself</a>
       <a href="/medicare/payment/x">the base without slash</a>
       <a href="/medicare/payment/xy/z">a sibling that shares the prefix</a>
       <a href="mailto:a@b">mail</a>`,
      `https://www.cms.gov${base}`,
      base,
      undefined,
    );
    expect(children.map((child) => [child.slug, child.target.url.href])).toEqual([
      ['january-2025', 'https://www.cms.gov/medicare/payment/x/january-2025'],
      ['April-2025', 'https://www.cms.gov/Medicare/Payment/X/April-2025//'],
    ]);
  });

  it.each([
    ['july-2025-addendum-b-07-25-25.zip', '2025-07-25'],
    ['asp-updated-07-25-2025.zip', '2025-07-25'],
    ['asp-12_19_24-final.zip', '2024-12-19'],
    ['x-12-19_2024.zip', '2024-12-19'],
    ['january-2025-addendum-b.zip', null],
    ['x-112-19-24.zip', null],
    ['x-12-19-245.zip', null],
    ['x-13-45-24.zip', null],
  ])('date in %s is %s', (name, date) => {
    expect(dateInZipName(name)).toBe(date);
  });

  const link = (name: string): ZipLink => ({ target: { url: new URL(`https://www.cms.gov/files/zip/${name}`), onCms: true }, name, text: name });

  it('the latest zip by the date in its name, undated first; a warning only when there was a choice', () => {
    const warnings: string[] = [];
    const warn = (message: string) => void warnings.push(message);
    const chosen = latestZip([link('a-07-25-25.zip'), link('b.zip'), link('c-12-01-25.zip'), link('d-01-02-25.zip')], 'OPPS2025_JUL', page, warn);
    expect(chosen).toEqual({ link: link('c-12-01-25.zip'), updated: '2025-12-01' });
    expect(warnings).toEqual([`${page}: 4 zips for OPPS2025_JUL; using c-12-01-25.zip`]);

    warnings.length = 0;
    expect(latestZip([link('b.zip'), link('a.zip')], 'X', page, warn).updated).toBeNull();
    expect(latestZip([link('only-07-25-25.zip')], 'X', page, warn)).toEqual({ link: link('only-07-25-25.zip'), updated: '2025-07-25' });
    expect(warnings).toEqual([`${page}: 2 zips for X; using a.zip`]);
  });
});

describe('the 0xFF non-breaking space (pipelines/nbsp-byte.ts)', () => {
  const read = async (file: MemberFile): Promise<Buffer> => {
    const chunks: Buffer[] = [];
    for await (const chunk of await file.open()) chunks.push(Buffer.from(chunk as Buffer));
    return Buffer.concat(chunks);
  };

  it('turns every 0xFF into 0xA0 in the stream of a csv or txt, in every chunk; size and checksum stay the file’s', async () => {
    const bytes = Buffer.from('A4341\xff,Kit\xff\xff x\r\nB,plain\r\nC\xff\r\n', 'latin1');
    // chunks of 5 bytes: 0xFF at the start, inside and at the end of a chunk
    const file = memberFromBytes('Addendum B.csv', bytes, 5);
    const nbsp = withNbspByte(file, 0xff);
    expect((await read(nbsp)).toString('latin1')).toBe('A4341\xa0,Kit\xa0\xa0 x\r\nB,plain\r\nC\xa0\r\n');
    expect([nbsp.name, nbsp.stem, nbsp.path, nbsp.format, nbsp.size]).toEqual(['Addendum B.csv', 'Addendum B', 'Addendum B.csv', 'csv', bytes.length]);
    expect(await nbsp.sha256()).toBe(await file.sha256());
    expect(Buffer.compare(await nbsp.bytes(), bytes)).toBe(0);
    const txt = withNbspByte(memberFromBytes('clfs.txt', bytes), 0xff);
    expect(txt.format).toBe('txt');
    expect((await read(txt)).includes(0xff)).toBe(false);
  });

  it('changes only the byte it was given', async () => {
    const file = withNbspByte(memberFromBytes('a.csv', Buffer.from([0x41, 0xff, 0xfe, 0x42])), 0xfe);
    expect([...(await read(file))]).toEqual([0x41, 0xff, 0xa0, 0x42]);
  });

  it('leaves a workbook as it is', () => {
    const workbook = memberFromBytes('a.xlsx', Buffer.from('PK'));
    expect(withNbspByte(workbook, 0xff)).toBe(workbook);
  });

  it('passes a read error of the member on to the reader', async () => {
    const failing: MemberFile = {
      ...memberFromBytes('a.csv', Buffer.from('x')),
      open: async () =>
        new Readable({
          read() {
            this.destroy(new Error('invalid stored block lengths'));
          },
        }),
    };
    await expect(read(withNbspByte(failing, 0xff))).rejects.toThrow('invalid stored block lengths');
  });
});

describe('amount cells (pipelines/amounts.ts)', () => {
  it.each([
    [' $73.19 ', '73.19'],
    ['$1,137.991', '1137.991'],
    ['12,345,678', '12345678'],
    ['.5', '0.5'],
    ['007.10', '7.10'],
  ])('%j is %s', (text, value) => {
    expect(parseAmount(text)).toBe(value);
  });

  it.each(['', '$', '1,2345', '12,34,567', '1.2.3', '$5%', '5 %'])('%j is no amount', (text) => {
    expect(parseAmount(text, { dollar: true, percent: true })).toBeNull();
  });

  it('$ and % only where the column allows them', () => {
    expect(parseAmount('$5.00', { dollar: false })).toBeNull();
    expect(parseAmount('5.00', { dollar: false })).toBe('5.00');
    expect(parseAmount('20.000%', { percent: true })).toBe('20.000');
    expect(parseAmount('20.000%')).toBeNull();
  });

  it('dollars: $ optional, blank is null unless required, anything else fails naming the column', () => {
    expect(dollars(stubRow({ price: '$1,137.99' }), 'price')).toBe('1137.99');
    expect(dollars(stubRow({ price: '73.19' }), 'price', false)).toBe('73.19');
    expect(dollars(stubRow({ price: '' }), 'price')).toBeNull();
    const missing = inputError(() => dollars(stubRow({ price: '' }), 'price', false));
    expect([missing.problem, missing.column, missing.line, missing.expected]).toEqual(['missing amount', 'PRICE', 7, 'an amount such as $73.19 or $1,137.991']);
    const bad = inputError(() => dollars(stubRow({ price: '20%' }), 'price'));
    expect([bad.problem, bad.value, bad.expected]).toEqual(['not an amount', '20%', 'an amount such as $73.19 or $1,137.991']);
  });

  it('percent: % optional, no $', () => {
    expect(percent(stubRow({ rate: '19.315%' }), 'rate')).toBe('19.315');
    expect(percent(stubRow({ rate: '20.000' }), 'rate')).toBe('20.000');
    expect(percent(stubRow({ rate: '' }), 'rate')).toBeNull();
    expect(inputError(() => percent(stubRow({ rate: '' }), 'rate', false)).problem).toBe('missing amount');
    const bad = inputError(() => percent(stubRow({ rate: '$20' }), 'rate'));
    expect([bad.problem, bad.expected]).toEqual(['not an amount', 'a percentage such as 20.000 or 19.315%']);
  });

  it('number: thousands separators, no $ or %', () => {
    expect(number(stubRow({ weight: '1,234.5678' }), 'weight')).toBe('1234.5678');
    expect(number(stubRow({ weight: '' }), 'weight')).toBeNull();
    expect(inputError(() => number(stubRow({ weight: '' }), 'weight', false)).problem).toBe('missing amount');
    const bad = inputError(() => number(stubRow({ weight: '$5' }), 'weight'));
    expect([bad.problem, bad.expected]).toEqual(['not an amount', 'a decimal number']);
    expect(inputError(() => number(stubRow({ weight: '5%' }), 'weight')).problem).toBe('not an amount');
  });
});

describe('the families (pipelines/index.ts)', () => {
  it('lists every family once, PFS first (the order sync imports them in)', () => {
    expect(families.map((family) => family.name)).toEqual(['pfs', 'hcpcs', 'opps', 'asp', 'clfs']);
  });
});
