/**
 * Which PFS release a price uses: `--release CODE|CODE@REV|latest`, `--date D` (the active release
 * in effect that day: the latest effective_from on or before D, in the registry's order, so a
 * correction such as RVU24AR takes over from its effective date — and of D's year: a release never
 * applies in a later year), or else the current one.
 * Only releases with a PPRRVU file count; the release's own GPCI file is required.
 */
import type { Kysely } from 'kysely';
import type { Schema } from '../db/schema.js';
import { UsageError } from '../errors.js';
import { parseRef } from '../diff/refs.js';
import { activeInOrder, loadedReleases, releaseName, type RegisteredRelease } from '../releases/registry.js';
import type { PricingRelease } from './types.js';

const FAMILY = 'pfs';
const RVUS = 'pprrvu';
const GPCI = 'gpci';

export async function resolvePricingRelease(db: Kysely<Schema>, choice: { release?: string; date?: string }): Promise<PricingRelease> {
  if (choice.release !== undefined && choice.date !== undefined) throw new UsageError('--release and --date both pick a release: give one');
  const all = (await loadedReleases(db)).filter((release) => release.family === FAMILY);
  const priced = all.filter((release) => release.datasets.includes(RVUS));
  if (priced.length === 0) throw new UsageError('no PFS release with a PPRRVU file is loaded: load one with `cms-ingest import` or `cms-ingest sync`');
  const release = choice.release !== undefined ? byReference(priced, choice.release) : choice.date !== undefined ? inEffectOn(priced, choice.date) : latest(priced);
  if (!release.datasets.includes(GPCI)) {
    throw new UsageError(`${releaseName(release)} has no GPCI file loaded, so it cannot be priced by locality (its amounts use its own GPCIs)`);
  }
  return toPricingRelease(release);
}

function byReference(releases: readonly RegisteredRelease[], text: string): RegisteredRelease {
  const ref = parseRef(text);
  if (ref.kind !== 'code') {
    if (ref.kind === 'latest') return latest(releases);
    const before = activeInOrder(releases, FAMILY).at(-2);
    if (!before) throw new UsageError('previous: only one PFS release is loaded');
    return before;
  }
  const revisions = releases.filter((release) => release.code.toUpperCase() === ref.code);
  if (revisions.length === 0) throw new UsageError(`unknown PFS release ${text}; loaded: ${listed(releases)}`);
  if (ref.revision === undefined) {
    const active = revisions.find((release) => release.status === 'active');
    if (!active) throw new UsageError(`${ref.code} has no active revision; name one: ${revisions.map((r) => `${r.code}@${r.revision}`).join(', ')}`);
    return active;
  }
  const exact = revisions.find((release) => release.revision === ref.revision);
  if (!exact) throw new UsageError(`${ref.code} has no revision ${ref.revision}; loaded: ${revisions.map((r) => `${r.code}@${r.revision}`).join(', ')}`);
  return exact;
}

function inEffectOn(releases: readonly RegisteredRelease[], date: string): RegisteredRelease {
  if (!isCalendarDate(date)) throw new UsageError(`--date ${date}: expected a date as YYYY-MM-DD`);
  const ordered = activeInOrder(releases, FAMILY);
  const release = ordered.filter((candidate) => candidate.effective_from <= date).at(-1);
  if (!release) {
    throw new UsageError(`no loaded PFS release is in effect on ${date}: the earliest, ${ordered[0]!.code}, takes effect on ${ordered[0]!.effective_from}`);
  }
  // The fee schedule is yearly: each January's release replaces the last year's, whose CF and RVUs
  // never apply in a later year. Pricing 2025 with 2024's release because 2025's is not loaded
  // would print a wrong amount as if it were right.
  const year = Number(date.slice(0, 4));
  if (release.year < year) {
    throw new UsageError(
      `no loaded PFS release is in effect on ${date}: the latest before it, ${releaseName(release)} (in effect from ${release.effective_from}), ` +
        `is ${release.year}'s fee schedule, which does not apply in ${year}; load a ${year} release (RVU${String(year).slice(2)}A, …)`,
    );
  }
  return release;
}

function latest(releases: readonly RegisteredRelease[]): RegisteredRelease {
  const release = activeInOrder(releases, FAMILY).at(-1);
  if (!release) throw new UsageError(`no active PFS release is loaded; loaded: ${listed(releases)}`);
  return release;
}

function isCalendarDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const parsed = new Date(Date.UTC(year, month - 1, day));
  return parsed.getUTCFullYear() === year && parsed.getUTCMonth() === month - 1 && parsed.getUTCDate() === day;
}

const listed = (releases: readonly RegisteredRelease[]): string => releases.map(releaseName).join(', ');

function toPricingRelease(release: RegisteredRelease): PricingRelease {
  return {
    id: release.id,
    code: release.code,
    revision: release.revision,
    status: release.status,
    effectiveFrom: release.effective_from,
    publishedOn: release.published_on,
    datasets: release.datasets,
  };
}
