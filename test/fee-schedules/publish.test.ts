/**
 * Publishing the fee-schedule families' change feed with --omit-cpt-descriptors: the AMA's
 * descriptors of CPT rows (CLFS's three, OPPS's and ASP's short one) are withheld like PPRRVU's;
 * Level II descriptors and the rates are published.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importRelease, publish } from '../../src/index.js';
import { backends, useFreshDatabase } from '../support/db.js';
import { replaceOnce, scratchDir, writeZip, zipMembers } from '../support/fixtures.js';
import { useTargetDatabase } from '../publish/support.js';
import { CLFS_2025_Q1, CLFS_2025_Q1_CSV } from './support.js';

// The target is a PostgreSQL database: without TEST_DATABASE_URL the suite is listed as skipped
// (an empty `describe.each([])` left the file without a suite, which fails `npm test`).
describe.runIf(process.env.TEST_DATABASE_URL).each(backends)('publishing CLFS changes from %s', (backend) => {
  const source = useFreshDatabase(backend);
  const target = useTargetDatabase();

  it('withholds the CPT descriptors of a changed lab code, keeps its rate and the Level II text', async () => {
    const scratch = await scratchDir();
    const members = await zipMembers(CLFS_2025_Q1);
    let csv = Buffer.from(members[CLFS_2025_Q1_CSV]!).toString('latin1');
    csv = replaceOnce(csv, '2025,36415,,20250101,N,00009.09,CPT descriptor withheld 36415,', '2025,36415,,20250101,N,00009.10,CPT descriptor reworded 36415,');
    csv = replaceOnce(csv, '2025,Q0114,,20250101,N,9.74,Fern test,', '2025,Q0114,,20250101,N,9.74,Fern test (reworded),');
    members[CLFS_2025_Q1_CSV] = new Uint8Array(Buffer.from(csv, 'latin1'));
    delete members['CLFS 2025 Q1V1.xlsx'];
    await importRelease(source.database, CLFS_2025_Q1);
    await importRelease(source.database, await writeZip(path.join(scratch, 'v2'), '25CLABQ1V2.zip', members));

    const [result] = await publish(source.database, { targets: [target.url], omitCptDescriptors: true });
    expect(result!.outcome).toBe('published');
    const rows = await target.query<{ hcpcs: string; fields: Record<string, { from: unknown; to: unknown }> }>(
      `select hcpcs, fields from cms_catalog.code_change where family = 'clfs' order by hcpcs`,
    );
    expect(rows).toEqual([
      { hcpcs: '36415', fields: { rate: { from: '9.09', to: '9.10' }, short_description: { from: null, to: null } } },
      { hcpcs: 'Q0114', fields: { short_description: { from: 'Fern test', to: 'Fern test (reworded)' } } },
    ]);
  });
});
