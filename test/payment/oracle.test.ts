/**
 * CMS's own payment file as oracle (default run): fixtures/payment holds 76145's row of RVU25D,
 * ten localities of GPCI2025, and CMS's PFREV25C amounts for 76145 in those ten, all cut from the
 * real files (fixtures/payment/cut.ts). Both settings must come out to the cent.
 */
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { importRelease } from '../../src/index.js';
import { backends, useFreshDatabase } from '../support/db.js';
import { fixture } from '../support/fixtures.js';
import { readOracle } from './support.js';

describe.each(backends)('76145 against CMS PFREV25C (fixture) on %s', (backend) => {
  const test = useFreshDatabase(backend);
  const oracle = readOracle(fixture('payment', 'PFREV25C-76145.txt'));

  beforeAll(() => expect(oracle).toHaveLength(10));

  it('reproduces every non-facility and facility amount of CMS', async () => {
    const loaded = await importRelease(test.database, fixture('payment', 'rvu25d'));
    expect(loaded.status).toBe('loaded');
    const { rows } = await sql<{ mac: string; locality: string; nonfac_amount: string; fac_amount: string }>`
      select mac, locality, nonfac_amount::text, fac_amount::text from cms.pfs_payment
      where release_id = ${loaded.releaseId} and hcpcs = '76145' and modifier = ''`.execute(test.database.db);
    expect(rows).toHaveLength(oracle.length);
    const ours = new Map(rows.map((row) => [`${row.mac}-${row.locality}`, row]));
    for (const cms of oracle) {
      const row = ours.get(`${cms.carrier}-${cms.locality}`);
      expect(row, `${cms.carrier}-${cms.locality}`).toBeDefined();
      expect({ where: `${cms.carrier}-${cms.locality}`, nonfac: row!.nonfac_amount, fac: row!.fac_amount }).toEqual({
        where: `${cms.carrier}-${cms.locality}`,
        nonfac: cms.nonfac,
        fac: cms.fac,
      });
    }
  });
});
