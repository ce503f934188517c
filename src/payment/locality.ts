/**
 * Which locality `--locality` means: `01112-05` (MAC-LOCALITY), `CA-05` (STATE-LOCALITY), or
 * words to find in the locality names, fee schedule areas and counties of the release. One
 * match is used; several are listed (exit 2); none is an error that says what exists.
 */
import { UsageError } from '../errors.js';
import type { PricingLocality } from './types.js';

export type LocalityMatch = { kind: 'one'; locality: PricingLocality } | { kind: 'several'; localities: PricingLocality[] } | { kind: 'none' };

export function matchLocality(query: string, localities: readonly PricingLocality[]): LocalityMatch {
  const text = query.trim();
  const byMac = /^(\d{5})-(\d{1,2})$/.exec(text);
  if (byMac) return result(localities.filter((l) => l.mac === byMac[1] && l.locality === byMac[2]!.padStart(2, '0')));
  const byState = /^([A-Za-z]{2})-(\d{1,2})$/.exec(text);
  if (byState) return result(localities.filter((l) => l.state === byState[1]!.toUpperCase() && l.locality === byState[2]!.padStart(2, '0')));
  const words = normalize(text);
  if (words === '') return { kind: 'none' };
  const found = localities.filter((l) => searchable(l).some((field) => field.includes(words)));
  // "san francisco" is in two locality names but is the whole name of one county: prefer that.
  const exact = found.filter((l) => searchable(l).some((field) => field === words) || counties(l).includes(words));
  return result(exact.length === 1 ? exact : found);
}

/** The locality, or a UsageError listing the candidates (several) or saying how to name one (none). */
export function resolveLocality(query: string, localities: readonly PricingLocality[], releaseName: string): PricingLocality {
  const match = matchLocality(query, localities);
  if (match.kind === 'one') return match.locality;
  if (match.kind === 'several') {
    throw new UsageError(
      `--locality "${query}" matches ${match.localities.length} localities of ${releaseName}; name one:\n` +
        match.localities.map((l) => `  ${describeLocality(l)}`).join('\n'),
    );
  }
  throw new UsageError(
    `--locality "${query}": no locality of ${releaseName} matches; give MAC-LOCALITY (01112-05), STATE-LOCALITY (CA-05) or part of a locality or county name`,
  );
}

/** `01112-05 CA-05 SAN FRANCISCO-OAKLAND-BERKELEY (…)` */
export function describeLocality(locality: PricingLocality): string {
  return `${locality.mac}-${locality.locality}  ${locality.state}-${locality.locality}  ${locality.name}`;
}

function result(localities: PricingLocality[]): LocalityMatch {
  if (localities.length === 1) return { kind: 'one', locality: localities[0]! };
  return localities.length === 0 ? { kind: 'none' } : { kind: 'several', localities };
}

const normalize = (text: string): string => text.toUpperCase().replace(/\s+/g, ' ').trim();
const searchable = (l: PricingLocality): string[] => [normalize(l.name), ...l.counties.split(';').map(normalize)];
/**
 * Each county of LOCCO's lists ("SAN FRANCISCO/ALAMEDA/CONTRA COSTA", "ST. CHARLES, ST. LOUIS AND
 * ST. LOUIS CITY"), each area name, and the counties in parentheses in the GPCI and LOCCO names
 * ("LOS ANGELES/ORANGE CNTY"), without a trailing CNTY or COUNTY. LOCCO alone would miss some:
 * RVU25D's LOCCO spells CA-18's second county "ORAGNGE CNTY" (CMS's typo), and "orange" was then a
 * whole county of NY-03 only and priced Poughkeepsie for Orange County, California.
 */
const counties = (l: PricingLocality): string[] => {
  const inParentheses = [...`${l.name} ${l.counties}`.matchAll(/\(([^)]*)\)/g)].map((match) => match[1]!);
  return [l.counties, ...inParentheses]
    .flatMap((text) => text.split(/[;:/,()]|\s+AND\s+/i))
    .map((part) => normalize(part).replace(/ (CNTY|CNTYS|COUNTY|COUNTIES)$/, ''))
    .filter((part) => part !== '');
};
