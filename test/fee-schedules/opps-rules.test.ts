/**
 * The row rules of OPPS Addendum B that opps.test.ts does not break: a number where a code or an
 * APC was (leading zeros lost), a value of the wrong shape in each amount column, a mark other
 * than `*` in a flag column, and the rows that are skipped rather than read (blank rows, the
 * header repeated). Each refusal names line, column, value, problem and what was expected, and
 * leaves nothing loaded (expectRefused).
 */
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { importRelease } from '../../src/index.js';
import { backends, useFreshDatabase } from '../support/db.js';
import { replaceOnce, scratchDir, writeFixtureFile } from '../support/fixtures.js';
import { OPPS_JAN_2025, expectRefused } from './support.js';

describe.each(backends)('OPPS Addendum B row rules on %s', (backend) => {
  const test = useFreshDatabase(backend);
  let scratch: string;
  beforeAll(async () => {
    scratch = await scratchDir();
  });

  /** A copy of the January 2025 fixture with one edit (latin1 in, latin1 out: every byte kept). */
  async function edited(label: string, from: string, to: string): Promise<string> {
    const text = (await readFile(OPPS_JAN_2025)).toString('latin1');
    return writeFixtureFile(path.join(scratch, label), path.basename(OPPS_JAN_2025), replaceOnce(text, from, to));
  }
  const refused = (source: string, expected: Record<string, unknown>) => expectRefused(test.database, 'opps_addendum_b', source, expected);

  it('an APC stored as a number (762 for 0762) is named as such', async () => {
    const source = await edited('apc-number', 'C9089,"Bupivacaine implant, 1 mg",K1,0762,', 'C9089,"Bupivacaine implant, 1 mg",K1,762,');
    await refused(source, {
      line: 22, column: 'APC', value: '762', problem: 'APC lost its leading zeros (a spreadsheet stored it as a number)', expected: '4 digits such as 0762',
    });
  });

  it('an APC of five digits is refused with the shape expected', async () => {
    const source = await edited('apc-long', 'C9089,"Bupivacaine implant, 1 mg",K1,0762,', 'C9089,"Bupivacaine implant, 1 mg",K1,07620,');
    await refused(source, { line: 22, column: 'APC', value: '07620', problem: 'unexpected value', expected: '4 digits such as 0762, or blank' });
  });

  it('a code stored as a number (101 for 00101) is named as such', async () => {
    const source = await edited('code-number', '\r\n0101T,CPT descriptor withheld 0101T,', '\r\n101,CPT descriptor withheld 0101T,');
    await refused(source, {
      line: 7, column: 'HCPCS CODE', value: '101', problem: 'code lost its leading zeros (a spreadsheet stored it as a number)', expected: 'a 5-character code such as 0001F',
    });
  });

  it('a code of six characters is refused', async () => {
    const source = await edited('code-long', '\r\n0101T,CPT descriptor withheld 0101T,', '\r\n0101TX,CPT descriptor withheld 0101T,');
    await refused(source, { line: 7, column: 'HCPCS CODE', value: '0101TX', problem: 'unexpected value', expected: 'a 5-character HCPCS code' });
  });

  it('a relative weight that is not a number is refused', async () => {
    const source = await edited('weight', ',T,5111,2.6902,$239.88,', ',T,5111,2.69O2,$239.88,');
    await refused(source, { line: 7, column: 'RELATIVE WEIGHT', value: '2.69O2', problem: 'not an amount', expected: 'a decimal number' });
  });

  it('an IRA percentage that is not one is refused', async () => {
    const source = await edited('ira', ',$4.56,18.559%,$4.23,', ',$4.56,$18.559,$4.23,');
    await refused(source, { column: 'IRA COINSURANCE PERCENTAGE', value: '$18.559', problem: 'not an amount', expected: 'a percentage such as 20.000 or 19.315%' });
  });

  it('a minimum copayment, a national copayment and an adjusted copayment of the wrong shape are each refused', async () => {
    const cases: [label: string, from: string, to: string, column: string, value: string][] = [
      ['minimum', ',T,5111,2.6902,$239.88,.,$47.98,', ',T,5111,2.6902,$239.88,.,$47.98%,', 'MINIMUM UNADJUSTED COPAYMENT', '$47.98%'],
      ['national', ',$46.14,$0.00,$0.00,', ',$46.14,$0.0.0,$0.00,', 'NATIONAL UNADJUSTED COPAYMENT', '$0.0.0'],
      ['adjusted', ',$4.56,18.559%,$4.23,', ',$4.56,18.559%,4.23%,', 'ADJUSTED BENEFICIARY COPAYMENT', '4.23%'],
    ];
    for (const [label, from, to, column, value] of cases) {
      const source = await edited(label, from, to);
      await refused(source, { column, value, problem: 'not an amount', expected: 'an amount such as $73.19 or $1,137.991' });
      await test.database.db.deleteFrom('cms.import_runs').execute();
    }
  });

  it('a mark other than * in the change or pass-through column is refused', async () => {
    const change = await edited('change-mark', 'J9035,Bevacizumab injection,K,9214,,$73.19,.,$14.64,,$14.64,,,*', 'J9035,Bevacizumab injection,K,9214,,$73.19,.,$14.64,,$14.64,,,x');
    await refused(change, { line: 34, column: 'INDICATES A CHANGE', value: 'x', problem: 'unexpected flag', expected: '"*" or blank' });
    await test.database.db.deleteFrom('cms.import_runs').execute();
    const passThrough = await edited('pass-mark', ',$207.49,,$207.49,*,,*', ',$207.49,,$207.49,Y,,*');
    await refused(passThrough, {
      column: 'DRUG AND DEVICE PASS-THROUGH EXPIRATION DURING CALENDAR YEAR', value: 'Y', problem: 'unexpected flag', expected: '"*" or blank',
    });
  });

  it('blank rows and a repeated header row among the data are skipped, not read', async () => {
    const header = (await readFile(OPPS_JAN_2025)).toString('latin1').split('\r\n')[4]!;
    const source = await edited('blank-and-header', '\r\nJ9035,', `\r\n,,,,,,,,,,,,\r\n${header}\r\n\r\nJ9035,`);
    const result = await importRelease(test.database, source);
    expect(result).toMatchObject({ status: 'loaded', datasets: [{ rows: 31 }], warnings: [] });
  });
});
