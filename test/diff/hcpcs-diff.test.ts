/**
 * HCPCS Level II diffs: added, discontinued (termination date set, or gone), reinstated,
 * descriptor, coverage, pricing and BETOS changes, and CMS's action codes checked against the
 * computed change. October 2025 is the real fixture; January 2026 is derived from it with known
 * edits (test/diff/support.ts).
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffReleases, importRelease, UsageError, type DiffOptions, type ImportResult } from '../../src/index.js';
import { backends, openTestDatabase, type TestDatabase } from '../support/db.js';
import { pfsZip, scratchDir } from '../support/fixtures.js';
import { HCPCS_2020, HCPCS_OCT_2025, writeHcpcsJanuary2026 } from './support.js';

describe.each(backends)('HCPCS release diffs on %s', (backend) => {
  let test: TestDatabase;
  let january: ImportResult;
  beforeAll(async () => {
    test = await openTestDatabase(backend);
    await importRelease(test.database, HCPCS_2020);
    await importRelease(test.database, HCPCS_OCT_2025);
    january = await importRelease(test.database, await writeHcpcsJanuary2026(await scratchDir()));
    await importRelease(test.database, pfsZip('rvu25d'));
  });
  afterAll(() => test.close());
  const diff = (from: string, to: string, options: DiffOptions = {}) => diffReleases(test.database, from, to, options);

  it('HCPC2025_OCT → HCPC2026_JAN: added, gone, discontinued, reinstated, descriptor, coverage, pricing and BETOS changes', async () => {
    const result = await diff('HCPC2025_OCT', 'HCPC2026_JAN');
    expect(result).toMatchObject({ family: 'hcpcs', dataset: 'hcpcs_code', key: ['hcpcs'], label: 'short_description' });
    expect(result.changes.map((c) => [c.hcpcs, c.change, c.tags, c.change === 'changed' ? c.fields : undefined])).toEqual([
      ['A4252', 'changed', ['coverage'], { coverage: { from: 'S', to: 'C' } }],
      ['A6531', 'changed', ['pricing'], { pricing_ind: { from: ['35'], to: ['36'] } }],
      ['A9613', 'added', [], undefined],
      ['C9035', 'removed', ['discontinued'], undefined],
      ['C9742', 'changed', ['reinstated'], { termination_date: { from: '2016-12-31', to: null } }],
      ['E0100', 'changed', ['discontinued'], { termination_date: { from: null, to: '2025-12-31' } }],
      ['E0210', 'changed', ['betos'], { betos: { from: 'D1E', to: 'D1F' } }],
      ['J7518', 'changed', ['short_descriptor'], { short_description: { from: 'Mycophenolic acid', to: 'Mycophenolic acid, oral' } }],
    ]);
    expect(result.summary).toMatchObject({
      added: 1,
      removed: 1,
      changed: 6,
      categories: { discontinued: 2, reinstated: 1, long_descriptor: 0, short_descriptor: 1, coverage: 1, pricing: 1, betos: 1, administrative: 0 },
      mismatches: 2,
    });
    // The action code and its date are CMS's bookkeeping of the change, not compared.
    expect(result.summary.fields).not.toHaveProperty('action_code');
    expect(result.changes.find((c) => c.hcpcs === 'A9613')!.fields).toMatchObject({
      short_description: { from: null, to: 'Inj, fluorescein, 1 mg' },
      pricing_ind: { from: null, to: ['57'] },
    });
  });

  it("reports the codes whose action code disagrees with the computed change (HCPC2026_JAN's against HCPC2025_OCT)", async () => {
    const expected = {
      column: 'action_code',
      release: 'HCPC2026_JAN',
      against: 'HCPC2025_OCT',
      mismatches: [
        { hcpcs: 'A4252', stated: 'N', meaning: 'No maintenance', computed: 'changed', fields: ['coverage'] },
        { hcpcs: 'G0124', stated: 'C', meaning: 'Long description change', computed: 'unchanged', fields: [] },
      ],
    };
    expect((await diff('HCPC2025_OCT', 'HCPC2026_JAN')).reconciliation).toEqual(expected);
    // In either order: the newer release's statements, against the older one.
    expect((await diff('HCPC2026_JAN', 'HCPC2025_OCT')).reconciliation).toEqual(expected);
    // The load said so too.
    expect(january.warnings).toEqual([
      expect.stringMatching(/^HCPC2026_JAN hcpcs_code: 2 action_code values disagree with the changes computed against HCPC2025_OCT: A4252 \(N; changed: coverage\), G0124 \(C; unchanged\)/),
    ]);
  });

  it('does not check action codes across a gap: they describe only the step from the quarter before', async () => {
    const result = await diff('HCPC2020_JAN', 'HCPC2026_JAN');
    expect(result.reconciliation).toMatchObject({
      mismatches: [],
      skipped: "HCPC2026_JAN's action_code values describe the step from the release of the quarter before it (HCPC2025_OCT), not from HCPC2020_JAN",
    });
    const gap = await diff('HCPC2020_JAN', 'HCPC2025_OCT');
    expect(gap.reconciliation).toMatchObject({ skipped: expect.stringMatching(/quarter before it, which is not loaded$/) });
    expect(gap.summary).not.toHaveProperty('mismatches');
    expect((await diff('HCPC2026_JAN', 'HCPC2026_JAN')).reconciliation).toMatchObject({ skipped: 'a release compared with itself' });
  });

  it('HCPC2020_JAN → HCPC2025_OCT on codes and on modifiers', async () => {
    const codes = await diff('HCPC2020_JAN', 'HCPC2025_OCT');
    expect(codes.changes.filter((c) => c.change === 'added').map((c) => c.hcpcs)).toEqual(['A2001', 'A9612', 'C1739', 'C1742', 'C9088', 'G0137', 'J9333', 'L6028', 'L6034']);
    expect(codes.changes.filter((c) => c.change === 'removed').map((c) => c.hcpcs)).toEqual(['B4185', 'C9036', 'G8654']);
    const modifiers = await diff('HCPC2020_JAN', 'HCPC2025_OCT', { dataset: 'modifiers' });
    expect(modifiers).toMatchObject({ dataset: 'hcpcs_modifier', key: ['modifier'] });
    expect(modifiers.changes.filter((c) => c.change === 'added').map((c) => c.modifier)).toEqual(['AB', 'JZ']);
    expect(modifiers.changes.filter((c) => c.change === 'removed')).toEqual([]);
  });

  it('writes the HCPCS change feed with tags, the code in hcpcs (codes) or modifier (modifiers)', async () => {
    const { rows } = await sql<{ dataset: string; hcpcs: string | null; modifier: string | null; change: string; tags: string[] }>`
      select c.dataset, c.hcpcs, c.modifier, c.change, c.tags from cms.code_change c join cms.releases t on t.id = c.to_release_id
      where t.code = 'HCPC2026_JAN' order by c.dataset, c.hcpcs`.execute(test.database.db);
    expect(rows).toEqual([
      { dataset: 'hcpcs_code', hcpcs: 'A4252', modifier: null, change: 'changed', tags: ['coverage'] },
      { dataset: 'hcpcs_code', hcpcs: 'A6531', modifier: null, change: 'changed', tags: ['pricing'] },
      { dataset: 'hcpcs_code', hcpcs: 'A9613', modifier: null, change: 'added', tags: [] },
      { dataset: 'hcpcs_code', hcpcs: 'C9035', modifier: null, change: 'removed', tags: ['discontinued'] },
      { dataset: 'hcpcs_code', hcpcs: 'C9742', modifier: null, change: 'changed', tags: ['reinstated'] },
      { dataset: 'hcpcs_code', hcpcs: 'E0100', modifier: null, change: 'changed', tags: ['discontinued'] },
      { dataset: 'hcpcs_code', hcpcs: 'E0210', modifier: null, change: 'changed', tags: ['betos'] },
      { dataset: 'hcpcs_code', hcpcs: 'J7518', modifier: null, change: 'changed', tags: ['short_descriptor'] },
    ]);
    const modifiers = await sql<{ modifier: string; change: string }>`
      select c.modifier, c.change from cms.code_change c join cms.releases t on t.id = c.to_release_id
      where t.code = 'HCPC2025_OCT' and c.dataset = 'hcpcs_modifier' and c.change = 'added' order by 1`.execute(test.database.db);
    expect(modifiers.rows).toEqual([{ modifier: 'AB', change: 'added' }, { modifier: 'JZ', change: 'added' }]);
  });

  it('two releases of different families are a usage error; latest needs a family when several are loaded', async () => {
    const error = await diff('RVU25D', 'HCPC2025_OCT').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe('RVU25D is a pfs release and HCPC2025_OCT a hcpcs release: diff compares two releases of one family');
    await expect(diff('previous', 'latest')).rejects.toThrow(/latest and previous need a family: several are loaded \(hcpcs, pfs\)/);
    expect(await diff('previous', 'latest', { family: 'hcpcs' })).toMatchObject({ from: 'HCPC2025_OCT', to: 'HCPC2026_JAN' });
    expect(await diff('HCPC2025_OCT', 'latest')).toMatchObject({ to: 'HCPC2026_JAN' });
    await expect(diff('HCPC2099_JAN', 'latest')).rejects.toThrow(
      'unknown release HCPC2099_JAN; loaded releases: HCPC2020_JAN, HCPC2025_OCT, HCPC2026_JAN (hcpcs); RVU25D (pfs)',
    );
  });
});
