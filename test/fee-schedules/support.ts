/** Fixture paths of the fee-schedule families, and the refusal check their bad-input tests share. */
import { sql } from 'kysely';
import { expect } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { InputError, importRelease } from '../../src/index.js';
import { fixture } from '../support/fixtures.js';

export const OPPS_JAN_2025 = fixture('opps', '2025-01', 'Section 508 version of January 2025 Web Addendum B.12.31.24.csv');
export const OPPS_JUL_2025 = fixture('opps', '2025-07-original', 'Section 508 version of July 2025 Web Addendum B.06.26.25.csv');
export const OPPS_JUL_2025_REPOST = fixture('opps', '2025-07-repost', 'Section 508 of July 2025 Web Addendum B.07.25.25.csv');
export const OPPS_JUL_2022 = fixture('opps', '2022-07', 'July_2022_Web_Addendum_B.062222.xlsx');

export const ASP_JAN_2025_NAME = 'january-2025-asp-pricing-file-12_19_24-final-file';
export const ASP_JAN_2025 = fixture('asp', `${ASP_JAN_2025_NAME}.zip`);
export const ASP_JAN_2025_CSV = 'section 508 version of Jan 2025 ASP Pricing File updated 030725.csv';
export const ASP_JAN_2025_XLS = 'Jan 2025 ASP Pricing File updated 030725.xls';
export const ASP_JUL_2024 = fixture('asp', 'section 508 version of Jul 2024 ASP Pricing File 062024.csv');

export const CLFS_2025_Q1 = fixture('clfs', '25CLABQ1.zip');
export const CLFS_2025_Q1_CSV = 'CLFS 2025 Q1V1.csv';

/** The import fails with an InputError like `expected`; no release, no rows and no file records remain; the attempt is audited. */
export async function expectRefused(database: Database, table: string, source: string, expected: Partial<InputError>): Promise<InputError> {
  const error = await importRelease(database, source).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(InputError);
  expect(error).toMatchObject(expected);
  const counts = await sql<{ releases: string; rows: string; files: string }>`
    select (select count(*) from cms.releases) as releases,
           (select count(*) from ${sql.table(`cms.${table}`)}) as rows,
           (select count(*) from cms.release_files) + (select count(*) from cms.release_datasets) as files`.execute(database.db);
  expect(counts.rows[0]).toEqual({ releases: '0', rows: '0', files: '0' });
  const runs = await database.db.selectFrom('cms.import_runs').select(['outcome', 'error']).execute();
  expect(runs).toEqual([{ outcome: 'failed', error: (error as Error).message }]);
  return error as InputError;
}
