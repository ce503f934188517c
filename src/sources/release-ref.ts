/** What discovery finds: one downloadable release archive, named the way CMS names it. */
import type { DiscoveredRelease, FamilyId } from '../pipeline.js';

export interface ReleaseRef extends DiscoveredRelease {
  family: FamilyId;
}

/** Order of effective date: year, quarter, then code (RVU26A before RVU26AR before RVU26AR1). */
export function compareReleaseRefs(a: ReleaseRef, b: ReleaseRef): number {
  return a.year - b.year || a.quarter - b.quarter || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
}
