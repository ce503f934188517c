/**
 * ASP pricing files end to end: the zip with its 508 csv and .xls, the 2024 csv with 13 header
 * cells, `N/A` limits, quoted line breaks, NBSP, a correction re-posted under the same zip name,
 * the workbook cross-check, and the failure rules.
 */
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { sql } from 'kysely';
import * as XLSX from 'xlsx';
import { beforeAll, describe, expect, it } from 'vitest';
import { diffReleases, importRelease } from '../../src/index.js';
import { backends, useFreshDatabase } from '../support/db.js';
import { replaceOnce, scratchDir, writeFixtureFile, writeZip, zipMembers } from '../support/fixtures.js';
import { ASP_JAN_2025, ASP_JAN_2025_CSV, ASP_JAN_2025_NAME, ASP_JAN_2025_XLS, ASP_JUL_2024, expectRefused } from './support.js';

type Row = Record<string, unknown>;

describe.each(backends)('ASP payment limits on %s', (backend) => {
  const test = useFreshDatabase(backend);
  let scratch: string;
  beforeAll(async () => {
    scratch = await scratchDir();
  });
  const load = (source: string) => importRelease(test.database, source);
  const limits = async (code: string, hcpcs: string) =>
    (
      await sql<Row>`
        select a.hcpcs, a.short_description, a.dosage, a.payment_limit::text as payment_limit, a.payment_limit_na,
               a.coinsurance_pct::text as coinsurance_pct, a.vaccine_awp_pct::text as vaccine_awp_pct,
               a.vaccine_limit::text as vaccine_limit, a.blood_awp_pct::text as blood_awp_pct,
               a.blood_limit::text as blood_limit, a.clotting_factor, a.notes
        from cms.asp_payment_limit a join cms.releases r on r.id = a.release_id and r.status = 'active'
        where r.code = ${code} and a.hcpcs = ${hcpcs}`.execute(test.database.db)
    ).rows[0];

  /** The January 2025 zip with its csv edited (and the .xls kept or left out). */
  async function editedZip(label: string, edit: (csv: string) => string, keepXls = true): Promise<string> {
    const members = await zipMembers(ASP_JAN_2025);
    members[ASP_JAN_2025_CSV] = new Uint8Array(Buffer.from(edit(Buffer.from(members[ASP_JAN_2025_CSV]!).toString('latin1')), 'latin1'));
    if (!keepXls) delete members[ASP_JAN_2025_XLS];
    return writeZip(path.join(scratch, label), `${ASP_JAN_2025_NAME}.zip`, members);
  }

  it('loads the January 2025 zip from its 508 csv, the .xls beside it agreeing', async () => {
    const result = await load(ASP_JAN_2025);
    expect(result).toMatchObject({
      status: 'loaded',
      family: 'asp',
      code: 'ASP2025_JAN',
      revision: 0,
      effectiveFrom: '2025-01-01',
      // "… updated 030725": the correction's posting date, from the csv's name
      publishedOn: '2025-03-07',
      warnings: [],
    });
    expect(result.datasets).toMatchObject([
      { dataset: 'asp', table: 'asp_payment_limit', rows: 14, files: [{ name: `${ASP_JAN_2025_NAME}.zip:${ASP_JAN_2025_CSV}`, format: 'csv', rows: 14 }] },
    ]);
    expect(await limits('ASP2025_JAN', 'J9035')).toEqual({
      hcpcs: 'J9035', short_description: 'Bevacizumab injection', dosage: '10 MG', payment_limit: '73.190', payment_limit_na: false,
      coinsurance_pct: '20.000', vaccine_awp_pct: null, vaccine_limit: null, blood_awp_pct: null, blood_limit: null,
      clotting_factor: false, notes: null,
    });
    // N/A is no limit (NULL with the flag), never 0; the note keeps its line break.
    expect(await limits('ASP2025_JAN', 'A9606')).toMatchObject({
      payment_limit: null,
      payment_limit_na: true,
      notes: 'microCurie 100% AWP = $196.92\nmicroCurie 100% WAC = $164.10',
    });
    // NBSP (0xA0) inside a value is CMS's text and stays; the inflation-adjusted coinsurance is a number.
    expect(await limits('ASP2025_JAN', 'J9325')).toMatchObject({ dosage: '1 million\u00a0PFU', coinsurance_pct: '19.315' });
    expect(await limits('ASP2025_JAN', 'P9041')).toMatchObject({ blood_awp_pct: '95', blood_limit: '10.615' });
    expect(await limits('ASP2025_JAN', 'J7192')).toMatchObject({ clotting_factor: true, payment_limit: '1.542' });
    expect(await limits('ASP2025_JAN', '90653')).toMatchObject({ vaccine_awp_pct: '95', vaccine_limit: '83.490', coinsurance_pct: '0.000' });
  });

  it('loads the July 2024 csv with its 13 header cells (two empty at the end)', async () => {
    const result = await load(ASP_JUL_2024);
    expect(result).toMatchObject({ status: 'loaded', code: 'ASP2024_JUL', effectiveFrom: '2024-07-01', publishedOn: '2024-06-20', warnings: [] });
    expect(await limits('ASP2024_JUL', 'J9035')).toMatchObject({ payment_limit: '72.462' });
  });

  it('a correction re-posted under the same zip name is revision 1 of ASP2025_JAN, and the diff shows what it changed', async () => {
    await load(ASP_JAN_2025);
    const corrected = await editedZip('repost', (csv) => replaceOnce(csv, 'J9035,Bevacizumab injection,10 MG,73.190,', 'J9035,Bevacizumab injection,10 MG,73.210,'), false);
    const result = await load(corrected);
    expect(result).toMatchObject({ code: 'ASP2025_JAN', revision: 1, superseded: { code: 'ASP2025_JAN', revision: 0 } });
    const diff = await diffReleases(test.database, 'ASP2025_JAN@0', 'ASP2025_JAN@1');
    expect(diff.changes).toEqual([expect.objectContaining({ hcpcs: 'J9035', change: 'changed', fields: { payment_limit: { from: '73.190', to: '73.210' } } })]);
  });

  it('the .xls disagreeing with the csv is reported, with the csv loaded', async () => {
    const members = await zipMembers(ASP_JAN_2025);
    const book = XLSX.read(members[ASP_JAN_2025_XLS]!, { cellNF: true });
    const sheet = book.Sheets[book.SheetNames[0]!]!;
    const address = Object.keys(sheet).find((key) => (sheet[key] as XLSX.CellObject).v === 'J9035')!;
    const limit = XLSX.utils.encode_cell({ ...XLSX.utils.decode_cell(address), c: 3 });
    sheet[limit] = { t: 'n', v: 74.19, z: '0.000' };
    delete (sheet[limit] as XLSX.CellObject).w;
    members[ASP_JAN_2025_XLS] = new Uint8Array(XLSX.write(book, { type: 'buffer', bookType: 'biff8' }) as Buffer);
    const source = await writeZip(path.join(scratch, 'xls-disagrees'), `${ASP_JAN_2025_NAME}.zip`, members);
    const result = await load(source);
    expect(result.status).toBe('loaded');
    expect(result.warnings).toEqual([
      `${ASP_JAN_2025_NAME}.zip:${ASP_JAN_2025_XLS} disagrees with ${ASP_JAN_2025_NAME}.zip:${ASP_JAN_2025_CSV} (loaded): 0 keys only in xls, 0 only in csv, 1 rows differ (payment_limit 1)`,
    ]);
    expect(await limits('ASP2025_JAN', 'J9035')).toMatchObject({ payment_limit: '73.190' });
  });

  it('a payment limit of 0 written as words other than N/A is refused', async () => {
    const source = await editedZip('bad-limit', (csv) => replaceOnce(csv, 'J9035,Bevacizumab injection,10 MG,73.190,', 'J9035,Bevacizumab injection,10 MG,see note,'), false);
    await expectRefused(test.database, 'asp_payment_limit', source, { line: 20, column: 'PAYMENT LIMIT', value: 'see note', problem: 'not an amount' });
  });

  it('a blank payment limit is refused: a limit is an amount or N/A', async () => {
    const source = await editedZip('blank-limit', (csv) => replaceOnce(csv, 'J9035,Bevacizumab injection,10 MG,73.190,', 'J9035,Bevacizumab injection,10 MG,,'), false);
    await expectRefused(test.database, 'asp_payment_limit', source, { line: 20, column: 'PAYMENT LIMIT', problem: 'missing amount' });
  });

  it('a value under an empty header cell is refused', async () => {
    const text = (await readFile(ASP_JUL_2024)).toString('latin1');
    const source = await writeFixtureFile(
      path.join(scratch, 'stray'),
      path.basename(ASP_JUL_2024),
      replaceOnce(text, 'J9035,Bevacizumab injection,10 MG,72.462,20.000,,,,,,,,', 'J9035,Bevacizumab injection,10 MG,72.462,20.000,,,,,,,,x'),
    );
    await expectRefused(test.database, 'asp_payment_limit', source, { column: '#13', value: 'x', problem: 'a value in a column without a header' });
  });
});
