/**
 * Release references as users write them:
 * - `RVU25D`, `HCPC2026_JAN` (any case): the active revision of that code;
 * - `RVU25D@0`: a specific revision, superseded or not;
 * - `latest`: the family's newest active release (by effective date, then publication date);
 * - `previous`: the active release just before `latest`.
 * `latest` and `previous` take their family from the other reference when it names a code, else
 * from `family`, else from the only family loaded.
 */
import { UsageError } from '../errors.js';
import { activeInOrder, releaseName, type RegisteredRelease } from '../releases/registry.js';

type Ref = { kind: 'latest' | 'previous'; text: string } | { kind: 'code'; text: string; code: string; revision?: number };

export function parseRef(text: string): Ref {
  const trimmed = text.trim();
  const lower = trimmed.toLowerCase();
  if (lower === 'latest' || lower === 'previous') return { kind: lower, text: trimmed };
  const match = /^([A-Za-z0-9_-]+?)(?:@(\d+))?$/.exec(trimmed);
  if (!match) throw new UsageError(`"${text}" is not a release: expected a code like RVU25D or HCPC2026_JAN, CODE@REVISION, latest or previous`);
  return match[2] === undefined
    ? { kind: 'code', text: trimmed, code: match[1]!.toUpperCase() }
    : { kind: 'code', text: trimmed, code: match[1]!.toUpperCase(), revision: Number(match[2]) };
}

/** Resolve `from` and `to` against the loaded releases; both must be of one family. */
export function resolvePair(
  releases: readonly RegisteredRelease[],
  fromText: string,
  toText: string,
  family?: string,
): { from: RegisteredRelease; to: RegisteredRelease } {
  const refs = [parseRef(fromText), parseRef(toText)] as const;
  const named = refs.map((ref) => (ref.kind === 'code' ? resolveCode(releases, ref) : undefined));
  const families = new Set(named.filter((release) => release !== undefined).map((release) => release!.family));
  if (families.size > 1) {
    throw new UsageError(
      `${named[0]!.code} is a ${named[0]!.family} release and ${named[1]!.code} a ${named[1]!.family} release: diff compares two releases of one family`,
    );
  }
  if (family !== undefined && families.size === 1 && !families.has(family)) {
    throw new UsageError(`--family ${family} does not match ${[...families][0]} releases`);
  }
  const familyName = [...families][0] ?? family ?? onlyFamily(releases);
  const [from, to] = refs.map((ref, index) => named[index] ?? resolveRelative(releases, ref.kind as 'latest' | 'previous', familyName));
  return { from: from!, to: to! };
}

function resolveCode(releases: readonly RegisteredRelease[], ref: Extract<Ref, { kind: 'code' }>): RegisteredRelease {
  const revisions = releases.filter((release) => release.code.toUpperCase() === ref.code);
  if (revisions.length === 0) throw new UsageError(`unknown release ${ref.text}; ${describeLoaded(releases)}`);
  if (ref.revision === undefined) {
    const active = revisions.find((release) => release.status === 'active');
    if (active) return active;
    throw new UsageError(`${ref.code} has no active revision; name one: ${revisions.map(releaseRef).join(', ')}`);
  }
  const exact = revisions.find((release) => release.revision === ref.revision);
  if (!exact) throw new UsageError(`${ref.code} has no revision ${ref.revision}; loaded: ${revisions.map(releaseRef).join(', ')}`);
  return exact;
}

function resolveRelative(releases: readonly RegisteredRelease[], kind: 'latest' | 'previous', family: string): RegisteredRelease {
  const ordered = activeInOrder(releases, family);
  const release = kind === 'latest' ? ordered.at(-1) : ordered.at(-2);
  if (!release) {
    throw new UsageError(
      ordered.length === 0
        ? `no ${family} release is loaded; ${describeLoaded(releases)}`
        : `${kind}: only one ${family} release is loaded (${ordered[0]!.code})`,
    );
  }
  return release;
}

function onlyFamily(releases: readonly RegisteredRelease[]): string {
  const families = [...new Set(releases.map((release) => release.family))].sort();
  if (families.length === 1) return families[0]!;
  if (families.length === 0) throw new UsageError('no releases are loaded yet: load some with `cms-ingest import` or `cms-ingest sync`');
  throw new UsageError(`latest and previous need a family: several are loaded (${families.join(', ')}); add --family or name a release code`);
}

function releaseRef(release: RegisteredRelease): string {
  return `${release.code}@${release.revision} (${release.status})`;
}

/** `loaded releases: RVU24B, RVU25D (pfs); HCPC2025_OCT (hcpcs)` (active revisions; @N names others). */
export function describeLoaded(releases: readonly RegisteredRelease[]): string {
  if (releases.length === 0) return 'no releases are loaded yet';
  const byFamily = new Map<string, string[]>();
  for (const release of releases) {
    if (release.status !== 'active') continue;
    byFamily.set(release.family, [...(byFamily.get(release.family) ?? []), releaseName(release)]);
  }
  const superseded = releases.some((release) => release.status !== 'active');
  const list = [...byFamily].map(([family, codes]) => `${codes.join(', ')} (${family})`).join('; ');
  return `loaded releases: ${list}${superseded ? '; CODE@REVISION names a superseded revision' : ''}`;
}
