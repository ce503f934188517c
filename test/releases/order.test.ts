/**
 * The family's order of releases and what follows from it, without a database (registry.ts and
 * history.ts are pure over the registry): effective date, then publication date (none first),
 * then load order; the active release before another one, the one of another code, and the
 * quarter just before. Releases are the OPPS postings of 2025 as this project loads them.
 */
import { describe, expect, it } from 'vitest';
import { chronologicalPredecessor, feedPredecessor, stepBefore } from '../../src/releases/history.js';
import { activeInOrder, compareReleases, currentRelease, latestActive, releaseName, type RegisteredRelease } from '../../src/releases/registry.js';
import { KeyIndex } from '../../src/releases/keys.js';

function release(id: string, code: string, fields: Partial<RegisteredRelease> = {}): RegisteredRelease {
  const quarter = { JAN: 1, APR: 2, JUL: 3, OCT: 4 }[code.slice(-3) as 'JAN'] ?? 1;
  const year = Number(code.slice(4, 8));
  return {
    id, family: 'opps', code, year, quarter, revision: 0, status: 'active', effective_from: `${year}-${String((quarter - 1) * 3 + 1).padStart(2, '0')}-01`,
    published_on: null, superseded_by: null, datasets: ['addendum_b'], ...fields,
  };
}

describe('the family order', () => {
  const jan = release('1', 'OPPS2025_JAN', { published_on: '2024-12-31' });
  const julOriginal = release('2', 'OPPS2025_JUL', { published_on: '2025-06-26', status: 'superseded', superseded_by: '3' });
  const julRepost = release('3', 'OPPS2025_JUL', { published_on: '2025-07-25', revision: 1 });
  const julUndated = release('4', 'OPPS2025_JUL', { revision: 2 });
  const julSameDay = release('5', 'OPPS2025_JUL', { published_on: '2025-07-25', revision: 3 });

  it('effective date first, then publication date with none first, then load order', () => {
    const sorted = [julSameDay, julRepost, julUndated, julOriginal, jan].sort(compareReleases).map((entry) => entry.id);
    expect(sorted).toEqual(['1', '4', '2', '3', '5']);
    expect(compareReleases(julRepost, julRepost)).toBe(0);
    expect(compareReleases(julUndated, julOriginal)).toBe(-1);
    expect(compareReleases(julOriginal, julUndated)).toBe(1);
    expect(compareReleases(julRepost, julOriginal)).toBe(1);
    expect(compareReleases(julOriginal, julRepost)).toBe(-1);
    // load order compares ids as numbers: 10 after 9
    expect(compareReleases(release('10', 'OPPS2025_JAN'), release('9', 'OPPS2025_JAN'))).toBe(1);
  });

  it('active releases of one family in that order; the latest; the current one of a dataset', () => {
    const asp = release('6', 'OPPS2026_JAN', { family: 'asp' });
    const releases = [julRepost, julOriginal, jan, asp];
    expect(activeInOrder(releases, 'opps').map((entry) => entry.id)).toEqual(['1', '3']);
    expect(latestActive(releases, 'opps')?.id).toBe('3');
    expect(currentRelease([...releases, release('7', 'OPPS2025_OCT', { datasets: ['other'] })], 'opps', 'addendum_b')?.id).toBe('3');
    expect(currentRelease(releases, 'opps', 'none')).toBeUndefined();
  });

  it('names a superseded revision with @revision, the active one by its code', () => {
    expect(releaseName(julOriginal)).toBe('OPPS2025_JUL@0');
    expect(releaseName(julRepost)).toBe('OPPS2025_JUL');
  });
});

describe('what comes before a release', () => {
  const oct24 = release('1', 'OPPS2024_OCT');
  const jan = release('2', 'OPPS2025_JAN');
  const janLater = release('3', 'OPPS2025_JAN', { published_on: '2025-02-01', revision: 1 });
  const apr = release('4', 'OPPS2025_APR');
  const jul = release('5', 'OPPS2025_JUL');

  it('the newest active release before it, itself and later ones excluded; of another code when asked', () => {
    const releases = [oct24, jan, janLater, apr, jul];
    expect(chronologicalPredecessor(releases, janLater)?.id).toBe('2');
    expect(chronologicalPredecessor(releases, janLater, { otherCode: true })?.id).toBe('1');
    expect(chronologicalPredecessor(releases, oct24)).toBeUndefined();
    expect(chronologicalPredecessor(releases, apr, { dataset: 'other' })).toBeUndefined();
    // a release equal in order is not before it
    const twin = release('4', 'OPPS2025_APR');
    expect(chronologicalPredecessor([apr, twin], apr)).toBeUndefined();
  });

  it('the step before: the release of another code in the quarter just before, or none', () => {
    expect(stepBefore([oct24, jan, janLater], janLater, 'addendum_b')?.id).toBe('1');
    expect(stepBefore([oct24, jan, apr], apr, 'addendum_b')?.id).toBe('2');
    // July after January: April is missing, so no step
    expect(stepBefore([jan, jul], jul, 'addendum_b')).toBeUndefined();
  });

  it('the feed diffs a re-post against what it superseded, else against the release before it', () => {
    const original = release('6', 'OPPS2025_JUL', { status: 'superseded', superseded_by: '7' });
    const repost = release('7', 'OPPS2025_JUL', { published_on: '2025-07-25', revision: 1 });
    expect(feedPredecessor([apr, original, repost], repost, 'addendum_b')?.id).toBe('6');
    expect(feedPredecessor([apr, original, repost], repost, 'other')).toBeUndefined();
    expect(feedPredecessor([jan, apr], apr, 'addendum_b')?.id).toBe('2');
  });
});

describe('the key index with a column missing', () => {
  it('a missing first key column is the empty text, as a blank one', () => {
    const index = new KeyIndex({ key: ['hcpcs', 'modifier'] });
    expect(index.add({ modifier: '26' }, 1)).toBeUndefined();
    expect(index.add({ hcpcs: '', modifier: '26' }, 2)).toBe(1);
    expect(index.add({ hcpcs: 'undefined', modifier: '26' }, 3)).toBeUndefined();
  });
});
