/**
 * `diffReleases` on the PFS fixture releases, checked against the fixture oracle
 * (fixtures/pfs/expected-facts.json), on PGlite and (with TEST_DATABASE_URL) PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffReleases, importRelease, UsageError, type DiffChange, type ReleaseDiff } from '../../src/index.js';
import { backends, openTestDatabase, type TestDatabase } from '../support/db.js';
import { pfsZip } from '../support/fixtures.js';
import { CHANGES_99213_RVU24B_TO_RVU25D, codeMod, expectedFacts, keysOf, PPRRVU_COLUMN } from './support.js';

const sorted = (values: readonly string[]) => [...values].sort();

/** |to − from| ≥ delta, exactly: decimals as scaled BigInts (no floating point). */
function movedAtLeast(from: string, to: string, delta: string): boolean {
  const scale = Math.max(...[from, to, delta].map((text) => (text.split('.')[1] ?? '').length));
  const scaled = (text: string) => {
    const [whole = '0', fraction = ''] = text.replace('-', '').split('.');
    const value = BigInt(whole + fraction.padEnd(scale, '0'));
    return text.startsWith('-') ? -value : value;
  };
  const move = scaled(to) - scaled(from);
  return (move < 0n ? -move : move) >= scaled(delta);
}

describe.each(backends)('PFS release diffs on %s', (backend) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await openTestDatabase(backend);
    for (const release of ['rvu24b', 'rvu25d', 'rvu26c'] as const) await importRelease(test.database, pfsZip(release));
  });
  afterAll(() => test.close());
  const diff = (from: string, to: string, options = {}) => diffReleases(test.database, from, to, options);

  /** The oracle's view of a PPRRVU diff: code → the labels of the fields that changed. */
  function changedFieldsByCode(result: ReleaseDiff): Record<string, string[]> {
    return Object.fromEntries(result.changes.filter((c) => c.change === 'changed').map((c) => [codeMod(c), Object.keys(c.fields).sort()]));
  }
  const oracleFields = (facts: Record<string, string[]>) =>
    Object.fromEntries(Object.entries(facts).map(([code, labels]) => [code, labels.map((label) => PPRRVU_COLUMN[label]!).sort()]));

  it('RVU24B → RVU25D: the codes the oracle lists as added, removed and changed, field by field', async () => {
    const facts = expectedFacts.diffs['rvu24b->rvu25d']!;
    const result = await diff('RVU24B', 'RVU25D');
    expect(result).toMatchObject({ from: 'RVU24B', to: 'RVU25D', family: 'pfs', dataset: 'pfs_rvu', key: ['hcpcs', 'modifier'] });
    expect(keysOf(result.changes, 'added')).toEqual(sorted(facts.added));
    expect(keysOf(result.changes, 'added')).toEqual(['0867T', 'G0183', 'G0566', 'G0566-26', 'G0566-TC', 'G9037']);
    expect(keysOf(result.changes, 'removed')).toEqual(['15819', 'G2012']);
    expect(changedFieldsByCode(result)).toEqual(oracleFields(facts.changed));
    expect(result.summary).toMatchObject({ added: 6, removed: 2, changed: 29, conv_factor: { from: '33.2875', to: '32.3465' } });

    const perField: Record<string, number> = {};
    for (const labels of Object.values(oracleFields(facts.changed))) for (const field of labels) perField[field] = (perField[field] ?? 0) + 1;
    expect(result.summary.fields).toEqual(perField);

    const e99213 = result.changes.find((c) => c.hcpcs === '99213' && c.modifier === '');
    expect(e99213).toEqual({
      hcpcs: '99213',
      modifier: '',
      change: 'changed',
      fields: CHANGES_99213_RVU24B_TO_RVU25D,
    });
    // The conversion factor is in the summary only, never a per-code change.
    expect(result.changes.some((c) => 'conv_factor' in c.fields || 'conv_factor_qpp' in c.fields)).toBe(false);
  });

  it('RVU25D → RVU26C: PRIC IND (2026 layout only) and the QPP factor are not counted as changes', async () => {
    const facts = expectedFacts.diffs['rvu25d->rvu26c']!;
    const result = await diff('RVU25D', 'RVU26C');
    expect(keysOf(result.changes, 'added')).toEqual(sorted(facts.added));
    expect(keysOf(result.changes, 'removed')).toEqual(sorted(facts.removed));
    expect(changedFieldsByCode(result)).toEqual(oracleFields(facts.changed));
    expect(result.summary).toMatchObject({
      added: 2,
      removed: 6,
      changed: 34,
      conv_factor: { from: '32.3465', to: '33.4009' },
      conv_factor_qpp: { from: null, to: '33.5675' },
      not_compared: ['pricing_ind'],
    });
    expect(result.summary.fields).not.toHaveProperty('pricing_ind');
    expect(result.changes.filter((c) => 'pricing_ind' in c.fields)).toEqual([]);
    // An added code lists its values, PRIC IND left out as well.
    const added = result.changes.find((c) => c.hcpcs === 'G0568')!;
    expect(added.fields).toMatchObject({ status_code: { from: null, to: expect.any(String) }, not_used_for_medicare: { from: null, to: false } });
    expect(added.fields).not.toHaveProperty('pricing_ind');
  });

  it('either order: the reverse diff swaps added and removed, and from and to', async () => {
    const forward = await diff('RVU24B', 'RVU25D');
    const reverse = await diff('RVU25D', 'RVU24B');
    expect(reverse).toMatchObject({ from: 'RVU25D', to: 'RVU24B' });
    expect(keysOf(reverse.changes, 'added')).toEqual(keysOf(forward.changes, 'removed'));
    expect(keysOf(reverse.changes, 'removed')).toEqual(keysOf(forward.changes, 'added'));
    expect(reverse.summary).toMatchObject({ added: 2, removed: 6, changed: 29, conv_factor: { from: '32.3465', to: '33.2875' } });
    const flip = (change: DiffChange) =>
      Object.fromEntries(Object.entries(change.fields).map(([field, value]) => [field, { from: value.to, to: value.from }]));
    for (const change of forward.changes.filter((c) => c.change === 'changed')) {
      const back = reverse.changes.find((c) => c.hcpcs === change.hcpcs && c.modifier === change.modifier)!;
      expect(back.fields).toEqual(flip(change));
    }
  });

  it('a release diffed with itself is empty', async () => {
    const result = await diff('RVU25D', 'rvu25d');
    expect(result.changes).toEqual([]);
    expect(result.summary).toMatchObject({ added: 0, removed: 0, changed: 0, fields: {}, largest_moves: [] });
    expect(result.summary.conv_factor).toEqual({ from: '32.3465', to: '32.3465' });
  });

  it('latest and previous are the newest active releases by effective date; CODE@N names a revision', async () => {
    expect(await diff('previous', 'latest')).toMatchObject({ from: 'RVU25D', to: 'RVU26C' });
    expect(await diff('latest', 'RVU24B')).toMatchObject({ from: 'RVU26C', to: 'RVU24B' });
    expect(await diff('RVU24B@0', 'RVU25D')).toMatchObject({ from: 'RVU24B', to: 'RVU25D' });
    await expect(diff('RVU24B@3', 'RVU25D')).rejects.toThrow(/RVU24B has no revision 3; loaded: RVU24B@0 \(active\)/);
  });

  it('an unknown release code is a usage error that lists the loaded releases', async () => {
    const error = await diff('RVU99Z', 'RVU25D').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe('unknown release RVU99Z; loaded releases: RVU24B, RVU25D, RVU26C (pfs)');
    await expect(diff('RVU25D', 'not a code!')).rejects.toThrow(UsageError);
  });

  it('--code, --change and --field narrow the changes; the summary stays that of the whole diff', async () => {
    const byCode = await diff('RVU24B', 'RVU25D', { codes: ['99213', 'g0566'] });
    expect(byCode.changes.map(codeMod)).toEqual(['99213', 'G0566', 'G0566-26', 'G0566-TC']);
    expect(byCode.summary).toMatchObject({ added: 6, removed: 2, changed: 29 });

    const removed = await diff('RVU24B', 'RVU25D', { changes: ['removed'] });
    expect(removed.changes.map(codeMod)).toEqual(['15819', 'G2012']);
    const addedOrRemoved = await diff('RVU24B', 'RVU25D', { changes: ['added', 'removed'] });
    expect(addedOrRemoved.changes).toHaveLength(8);

    const status = await diff('RVU25D', 'RVU26C', { fields: ['status_code'] });
    // Keys whose status changed, and the added/removed keys (whose status went from or to nothing).
    expect(status.changes.filter((c) => c.change === 'changed').map(codeMod)).toEqual(['75898', '75898-TC', '77417', 'A2001']);
    expect(status.changes.every((c) => Object.keys(c.fields).join() === 'status_code')).toBe(true);
    const j0171 = (await diff('RVU24B', 'RVU25D', { fields: ['status_code'], changes: ['changed'] })).changes;
    expect(j0171).toEqual([{ hcpcs: 'J0171', modifier: '', change: 'changed', fields: { status_code: { from: 'E', to: 'I' } } }]);

    await expect(diff('RVU24B', 'RVU25D', { fields: ['nope'] })).rejects.toThrow(/--field nope: not a compared field of pfs_rvu; fields are description, status_code/);
    await expect(diff('RVU24B', 'RVU25D', { fields: ['conv_factor'] })).rejects.toThrow(/summary/);
    await expect(diff('RVU24B', 'RVU25D', { changes: ['renamed'] })).rejects.toThrow(/--change renamed: expected added, removed, changed/);
  });

  it('--min-delta keeps numeric fields that moved at least that much, compared exactly', async () => {
    const full = await diff('RVU24B', 'RVU25D');
    const numeric = new Set(['work_rvu', 'nonfac_pe_rvu', 'fac_pe_rvu', 'mp_rvu', 'nonfac_total', 'fac_total', 'pre_op', 'intra_op', 'post_op', 'nonfac_pe_opps', 'fac_pe_opps', 'mp_opps']);
    const expected = (delta: string) =>
      full.changes
        .filter((c) => c.change === 'changed')
        .map((c) => ({
          code: codeMod(c),
          fields: Object.entries(c.fields)
            .filter(([field, value]) => numeric.has(field) && movedAtLeast(value.from as string, value.to as string, delta))
            .map(([field]) => field),
        }))
        .filter((c) => c.fields.length > 0);
    for (const delta of ['0.1', '0.34', '0.35', '2.75', '2.76', '2.77', '0']) {
      const narrowed = await diff('RVU24B', 'RVU25D', { minDelta: delta });
      expect(narrowed.changes.map((c) => ({ code: codeMod(c), fields: Object.keys(c.fields) })), `--min-delta ${delta}`).toEqual(expected(delta));
    }
    // 0.34 is exactly 27447's PE move (14.96 → 15.30): included; 0.35 is not.
    expect((await diff('RVU24B', 'RVU25D', { minDelta: '0.34', codes: ['27447'] })).changes[0]!.fields).toEqual({
      nonfac_pe_rvu: { from: '14.96', to: '15.30' },
      fac_pe_rvu: { from: '14.96', to: '15.30' },
    });
    const withField = await diff('RVU24B', 'RVU25D', { minDelta: '0.1', fields: ['fac_total'] });
    expect(withField.changes.map((c) => ({ code: codeMod(c), fields: Object.keys(c.fields) }))).toEqual(
      expected('0.1').filter((c) => c.fields.includes('fac_total')).map((c) => ({ code: c.code, fields: ['fac_total'] })),
    );
    expect(withField.changes.map(codeMod)).toEqual(['27445', '27447', '59400', 'G6001-TC']);
    await expect(diff('RVU24B', 'RVU25D', { minDelta: '-1' })).rejects.toThrow(/--min-delta -1/);
    await expect(diff('RVU24B', 'RVU25D', { minDelta: '1e3' })).rejects.toThrow(UsageError);
  });

  it('refuses a --code that is not an HCPCS code on a dataset keyed by one, instead of an empty diff; other keys take their own values', async () => {
    await expect(diff('RVU24B', 'RVU25D', { codes: ['27447', '99213x'] })).rejects.toThrow(
      new UsageError('--code must be an HCPCS/CPT code (5 letters or digits, such as 99213 or G0008), not "99213x"'),
    );
    expect((await diff('RVU24B', 'RVU25D', { codes: [' 27447 '] })).changes.map(codeMod)).toEqual(['27447']);
    // GPCI's code column is the state: two letters, not a code
    const alabama = await diff('RVU25D', 'RVU26C', { dataset: 'gpci', codes: ['al'] });
    expect(alabama.changes.length).toBeGreaterThan(0);
    expect(new Set(alabama.changes.map((change) => change.state))).toEqual(new Set(['AL']));
  });

  it('lists the largest RVU moves, biggest first', async () => {
    const result = await diff('RVU24B', 'RVU25D', { moves: 3 });
    expect(result.summary.largest_moves).toEqual([
      { hcpcs: '22526', modifier: '', field: 'nonfac_pe_rvu', from: '52.15', to: '49.39', delta: '-2.76' },
      { hcpcs: '27447', modifier: '', field: 'fac_pe_rvu', from: '14.96', to: '15.30', delta: '0.34' },
      { hcpcs: '27445', modifier: '', field: 'fac_pe_rvu', from: '15.29', to: '15.62', delta: '0.33' },
    ]);
  });

  it('--dataset gpci: localities added, removed and renamed, and index changes', async () => {
    const result = await diff('RVU25D', 'RVU26C', { dataset: 'gpci' });
    const locality = (c: DiffChange) => `${String(c.state)}|${String(c.locality)}`;
    const facts = expectedFacts.gpciLocalities['rvu25d->rvu26c']!;
    expect(result).toMatchObject({ dataset: 'pfs_gpci', key: ['state', 'locality'], label: 'locality_name' });
    expect(result.changes.filter((c) => c.change === 'added').map(locality)).toEqual(sorted(facts.added));
    expect(result.changes.filter((c) => c.change === 'removed').map(locality)).toEqual(sorted(facts.removed));
    expect(result.changes.find((c) => locality(c) === 'CA|26')!.fields.locality_name).toEqual({ from: null, to: 'LOS ANGELES-LONG BEACH-ANAHEIM (ORANGE CNTY)' });
    // Missouri's localities 01 and 02 swapped names; Hawaii lost Guam.
    const renamed = await diff('RVU25D', 'RVU26C', { dataset: 'gpci', fields: ['locality_name'], changes: ['changed'] });
    expect(renamed.changes.map((c) => [locality(c), c.fields.locality_name])).toEqual([
      ['CA|18', { from: 'LOS ANGELES-LONG BEACH-ANAHEIM (LOS ANGELES/ORANGE CNTY)', to: 'LOS ANGELES-LONG BEACH-ANAHEIM (LOS ANGELES CNTY)' }],
      ['HI|01', { from: 'HAWAII, GUAM', to: 'HAWAII' }],
      ['MO|01', { from: 'METROPOLITAN ST. LOUIS', to: 'METROPOLITAN KANSAS CITY' }],
      ['MO|02', { from: 'METROPOLITAN KANSAS CITY', to: 'METROPOLITAN ST. LOUIS' }],
    ]);
    expect(result.summary).toMatchObject({ added: 4, removed: 3, changed: 11, fields: { locality_name: 4, pw_gpci: 5, pe_gpci: 11, mp_gpci: 11 } });
    expect(result.summary.largest_moves[0]).toEqual({ state: 'TX', locality: '18', field: 'mp_gpci', from: '1.409', to: '0.934', delta: '-0.475' });
    // 2025 wrote `1.5` where 2024 wrote `1.500`: numbers compare as numbers.
    expect((await diff('RVU24B', 'RVU25D', { dataset: 'gpci' })).changes).toEqual([]);
  });

  it('--dataset locality, anes and opps; a dataset one release lacks is a usage error', async () => {
    const anes = await diff('RVU24B', 'RVU25D', { dataset: 'anes' });
    expect(anes.summary).toMatchObject({ changed: 14, national_anes_cf: { from: null, to: '20.3178' } });
    expect(anes.changes.find((c) => c.mac === '02102')!.fields).toEqual({ anes_cf: { from: '28.54', to: '27.86' } });
    const opps = await diff('RVU24B', 'RVU25D', { dataset: 'opps', codes: ['70496'] });
    expect(opps.changes.find((c) => c.modifier === 'TC' && c.mac === '01112' && c.locality === '18')!.fields).toEqual({
      fac_price: { from: '212.13', to: '212.32' },
      nonfac_price: { from: '212.13', to: '212.32' },
    });
    expect((await diff('RVU25D', 'RVU26C', { dataset: 'locality' })).changes).toEqual([]);
    await expect(diff('RVU25D', 'RVU26C', { dataset: 'anes' })).rejects.toThrow(
      'RVU26C has no anes data; datasets in both RVU25D and RVU26C: gpci, locco, pprrvu',
    );
    await expect(diff('RVU25D', 'RVU26C', { dataset: 'zip' })).rejects.toThrow(/--dataset zip: pfs datasets are pprrvu, gpci, locco or locality or localities/);
  });
});
