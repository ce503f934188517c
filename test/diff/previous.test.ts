/** Which release another is compared with, and how release references resolve (pure functions). */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { parseRef, resolvePair } from '../../src/diff/refs.js';
import { chronologicalPredecessor, feedPredecessor, stepBefore } from '../../src/releases/history.js';
import { latestActive, type RegisteredRelease } from '../../src/releases/registry.js';

let nextId = 0;
function release(code: string, effective: string, extra: Partial<RegisteredRelease> = {}): RegisteredRelease {
  return {
    id: String(++nextId),
    family: code.startsWith('HCPC') ? 'hcpcs' : 'pfs',
    code,
    year: Number(effective.slice(0, 4)),
    quarter: Math.floor((Number(effective.slice(5, 7)) - 1) / 3) + 1,
    revision: 0,
    status: 'active',
    effective_from: effective,
    published_on: null,
    superseded_by: null,
    datasets: ['pprrvu', 'gpci'],
    ...extra,
  };
}

describe('the release a load is compared with', () => {
  const a24 = release('RVU24A', '2024-01-01', { published_on: '2023-12-01' });
  const b24 = release('RVU24B', '2024-04-01', { published_on: '2024-03-15' });
  // A correction of RVU24A: same effective date, published later.
  const ar24 = release('RVU24AR', '2024-01-01', { published_on: '2024-01-20' });
  const d25old = release('RVU25D', '2025-10-01', { status: 'superseded', published_on: '2025-09-11' });
  const d25 = release('RVU25D', '2025-10-01', { revision: 1, published_on: '2025-09-30' });
  const c26 = release('RVU26C', '2026-07-01', { datasets: ['pprrvu'] });
  const all = [a24, b24, ar24, { ...d25old, superseded_by: d25.id }, d25, c26, release('HCPC2025_OCT', '2025-10-01')];

  it('orders by effective date, then publication date, then load order; latest is the newest active', () => {
    expect(latestActive(all, 'pfs')).toBe(c26);
    expect(chronologicalPredecessor(all, ar24)?.code).toBe('RVU24A');
    expect(chronologicalPredecessor(all, b24)?.code).toBe('RVU24AR');
    expect(chronologicalPredecessor(all, a24)).toBeUndefined();
  });

  it('a re-post is compared with the revision it supersedes', () => {
    expect(feedPredecessor(all, d25, 'pprrvu')).toMatchObject({ code: 'RVU25D', revision: 0 });
    expect(chronologicalPredecessor(all, d25, { otherCode: true })?.code).toBe('RVU24B');
  });

  it('per dataset: the latest release before it that carries the dataset', () => {
    const d26 = release('RVU26D', '2026-10-01');
    expect(feedPredecessor([...all, d26], d26, 'gpci')).toMatchObject({ code: 'RVU25D', revision: 1 });
    expect(feedPredecessor([...all, d26], d26, 'pprrvu')).toMatchObject({ code: 'RVU26C' });
  });

  it('action codes describe the step from the release of the quarter before, when it is loaded', () => {
    const jan20 = release('HCPC2020_JAN', '2020-01-01', { datasets: ['hcpcs_code'] });
    const oct25 = release('HCPC2025_OCT', '2025-10-01', { datasets: ['hcpcs_code'] });
    const jan26 = release('HCPC2026_JAN', '2026-01-01', { datasets: ['hcpcs_code'] });
    const hcpcs = [jan20, oct25, jan26];
    expect(stepBefore(hcpcs, jan26, 'hcpcs_code')).toBe(oct25);
    expect(stepBefore(hcpcs, oct25, 'hcpcs_code')).toBeUndefined();
    expect(feedPredecessor(hcpcs, oct25, 'hcpcs_code')).toBe(jan20);
  });

  it('a backfilled release is compared with the release before it', () => {
    const a25 = release('RVU25A', '2025-01-01');
    expect(feedPredecessor([...all, a25], a25, 'pprrvu')?.code).toBe('RVU24B');
  });
});

describe('release references', () => {
  const releases = [
    release('RVU24B', '2024-04-01'),
    release('RVU25D', '2025-10-01', { status: 'superseded', revision: 0 }),
    release('RVU25D', '2025-10-01', { revision: 1 }),
    release('HCPC2025_OCT', '2025-10-01'),
  ];

  it('parses codes (any case), CODE@REVISION, latest and previous', () => {
    expect(parseRef('rvu25d')).toEqual({ kind: 'code', text: 'rvu25d', code: 'RVU25D' });
    expect(parseRef('RVU25D@0')).toEqual({ kind: 'code', text: 'RVU25D@0', code: 'RVU25D', revision: 0 });
    expect(parseRef(' Latest ')).toEqual({ kind: 'latest', text: 'Latest' });
    expect(() => parseRef('RVU25D@x')).toThrow(UsageError);
  });

  it('resolves a code to its active revision and CODE@N to that revision', () => {
    expect(resolvePair(releases, 'RVU25D@0', 'RVU25D')).toMatchObject({ from: { revision: 0, status: 'superseded' }, to: { revision: 1 } });
    expect(resolvePair(releases, 'previous', 'latest', 'pfs')).toMatchObject({ from: { code: 'RVU24B' }, to: { code: 'RVU25D', revision: 1 } });
  });

  it('says what is loaded when a reference does not resolve', () => {
    expect(() => resolvePair(releases, 'RVU99A', 'latest')).toThrow(
      'unknown release RVU99A; loaded releases: RVU24B, RVU25D (pfs); HCPC2025_OCT (hcpcs); CODE@REVISION names a superseded revision',
    );
    expect(() => resolvePair(releases, 'previous', 'latest', 'hcpcs')).toThrow('previous: only one hcpcs release is loaded (HCPC2025_OCT)');
    expect(() => resolvePair([], 'previous', 'latest')).toThrow(/no releases are loaded yet/);
    expect(() => resolvePair(releases, 'RVU24B', 'HCPC2025_OCT')).toThrow(/diff compares two releases of one family/);
  });
});
