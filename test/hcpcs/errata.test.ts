/**
 * Declared errata (pipelines/hcpcs/errata.ts, issue 8 item 6), on an excerpt of the real 2018
 * annual ANWEB txt: the five records whose ASC date CMS shifted over the ASC group load
 * corrected, each correction reported as a warning and recorded in cms.release_errata; anything
 * not declared — another record shifted, a different value, another release — still fails.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { HCPCS_ERRATA } from '../../pipelines/hcpcs/errata.js';
import { InputError, importRelease } from '../../src/index.js';
import { backends, useFreshDatabase } from '../support/db.js';
import { fixture, scratchDir, writeFixtureFile } from '../support/fixtures.js';

const TXT = 'HCPC2018_CONTR_ANWEB_disc.txt';
const SHIFTED = ['C9488', 'C9745', 'C9746', 'C9747', 'C9748'];

describe.each(backends)('HCPCS errata on %s', (backend) => {
  const test = useFreshDatabase(backend);
  let scratch: string;
  let original: string;
  beforeAll(async () => {
    scratch = await scratchDir();
    original = (await readFile(fixture('hcpcs', '2018', TXT))).toString('latin1');
  });

  /** The excerpt with one record's text edited, written to its own folder. */
  async function edited(label: string, code: string, edit: (line: string) => string): Promise<string> {
    const lines = original.split('\r\n');
    const index = lines.findIndex((line) => line.startsWith(`${code}001003`));
    lines[index] = edit(lines[index]!);
    return writeFixtureFile(path.join(scratch, label), TXT, lines.join('\r\n'));
  }
  const at = (line: string, start: number, text: string) => line.slice(0, start - 1) + text + line.slice(start - 1 + text.length);

  it('loads the 2018 excerpt with its declared errata, reported and recorded with the release', async () => {
    const result = await importRelease(test.database, fixture('hcpcs', '2018', TXT));
    expect(result).toMatchObject({ status: 'loaded', code: 'HCPC2018_JAN' });
    expect(result.warnings).toHaveLength(10);
    expect(result.warnings[0]).toBe(
      `${TXT}, line 17, column ASC_GRP (pos 231-232): erratum applied to C9488: found "20", loaded "YY" (${HCPCS_ERRATA[0]!.reason})`,
    );
    expect(result.warnings[1]).toMatch(/^HCPC2018_CONTR_ANWEB_disc\.txt, line 17, column ASC_DT \(pos 233-240\): erratum applied to C9488: found "170401", loaded "20170401"/);

    const codes = await test.database.db
      .selectFrom('cms.hcpcs_code')
      .select(['hcpcs', 'asc_group', 'asc_date', 'add_date'])
      .where('release_id', '=', result.releaseId)
      .where('asc_group', 'is not', null)
      .orderBy('hcpcs')
      .execute();
    expect(codes).toEqual([
      { hcpcs: 'C9482', asc_group: 'YY', asc_date: '2016-10-01', add_date: '2016-10-01' },
      { hcpcs: 'C9488', asc_group: 'YY', asc_date: '2017-04-01', add_date: '2017-04-01' },
      { hcpcs: 'C9745', asc_group: 'YY', asc_date: '2017-07-01', add_date: '2017-07-01' },
      { hcpcs: 'C9746', asc_group: 'YY', asc_date: '2017-07-01', add_date: '2017-07-01' },
      { hcpcs: 'C9747', asc_group: 'YY', asc_date: '2017-07-01', add_date: '2017-07-01' },
      { hcpcs: 'C9748', asc_group: 'YY', asc_date: '2018-01-01', add_date: '2018-01-01' },
    ]);

    const recorded = await test.database.db
      .selectFrom('cms.release_errata')
      .select(['dataset', 'file', 'line', 'key', 'field', 'found', 'corrected'])
      .where('release_id', '=', result.releaseId)
      .orderBy('line')
      .orderBy('field')
      .execute();
    expect(recorded).toHaveLength(10);
    expect(recorded.slice(0, 2)).toEqual([
      { dataset: 'hcpcs_code', file: TXT, line: 17, key: 'C9488', field: 'ASC_DT', found: '170401', corrected: '20170401' },
      { dataset: 'hcpcs_code', file: TXT, line: 17, key: 'C9488', field: 'ASC_GRP', found: '20', corrected: 'YY' },
    ]);
    expect([...new Set(recorded.map((row) => row.key))]).toEqual(SHIFTED);
  });

  it('still refuses a shifted record that no erratum declares (the code tables stay strict)', async () => {
    // C9482 shifted the same way: its ASC group "YY" overwritten by the date's first digits.
    const source = await edited('undeclared', 'C9482', (line) => at(at(line, 231, '20161001'), 239, '  '));
    const error = (await importRelease(test.database, source).catch((caught: unknown) => caught)) as InputError;
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ line: 15, column: 'ASC_GRP (pos 231-232)', value: '20', problem: 'unknown code' });
    expect(await test.database.db.selectFrom('cms.releases').select('id').execute()).toEqual([]);
  });

  it('refuses a record that says something other than what its erratum declares', async () => {
    const source = await edited('other-value', 'C9488', (line) => at(line, 231, '21'));
    const error = (await importRelease(test.database, source).catch((caught: unknown) => caught)) as InputError;
    expect(error).toMatchObject({ line: 17, column: 'ASC_GRP (pos 231-232)', value: '21', problem: 'the declared erratum for C9488 ASC_GRP does not match the file' });
  });

  it('applies errata only to the release they are declared for', async () => {
    // the 2018 records under a name without a year, so that --code may call them 2019's
    const unnamed = await writeFixtureFile(path.join(scratch, 'no-year'), 'HCPC_CONTR_ANWEB_disc.txt', original);
    const error = (await importRelease(test.database, unnamed, { code: 'HCPC2019_JAN' }).catch((caught: unknown) => caught)) as InputError;
    expect(error).toMatchObject({ line: 17, column: 'ASC_GRP (pos 231-232)', value: '20', problem: 'unknown code' });
  });

  it('leaves a record that already holds the correction alone (a re-post CMS fixed)', async () => {
    const source = await edited('fixed', 'C9488', (line) => at(line, 231, 'YY20170401'));
    const result = await importRelease(test.database, source);
    expect(result.warnings.filter((warning) => warning.includes('C9488'))).toEqual([]);
    expect(result.warnings).toHaveLength(8);
  });
});
