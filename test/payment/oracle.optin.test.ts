/**
 * Opt-in (`npm run test:samples`): the real RVU25D zip priced for 76145 in all 109 localities,
 * against CMS's own amounts in oracle/PFREV25C.txt, both settings, to the cent.
 */
import path from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { importRelease } from '../../src/index.js';
import { backends, useFreshDatabase } from '../support/db.js';
import { readOracle } from './support.js';

function samples(...parts: string[]): string {
  const dir = process.env.CMS_SAMPLES_DIR;
  if (!dir) throw new Error('CMS_SAMPLES_DIR is not set: it must point at the cms-samples folder');
  return path.join(dir, ...parts);
}

describe.each(backends)('76145 against CMS PFREV25C (all localities) on %s', (backend) => {
  const test = useFreshDatabase(backend);

  it('reproduces all 218 CMS amounts from the real RVU25D zip', { timeout: 180_000 }, async () => {
    const oracle = readOracle(samples('oracle', 'PFREV25C.txt'));
    expect(oracle).toHaveLength(109);
    const loaded = await importRelease(test.database, samples('pfs', 'rvu25d.zip'));
    expect(loaded.status).toBe('loaded');
    const { rows } = await sql<{ mac: string; locality: string; nonfac_amount: string; fac_amount: string }>`
      select mac, locality, nonfac_amount::text, fac_amount::text from cms.pfs_payment
      where release_id = ${loaded.releaseId} and hcpcs = '76145' and modifier = ''`.execute(test.database.db);
    expect(rows).toHaveLength(109);
    const ours = new Map(rows.map((row) => [`${row.mac}-${row.locality}`, row]));
    const mismatches = oracle.filter((cms) => {
      const row = ours.get(`${cms.carrier}-${cms.locality}`);
      return row?.nonfac_amount !== cms.nonfac || row?.fac_amount !== cms.fac;
    });
    expect(mismatches).toEqual([]);
  });
});
