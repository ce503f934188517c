/** What discovery finds: one downloadable release archive, named the way CMS names it. */

export type Family = 'pfs' | 'hcpcs';

export interface ReleaseRef {
  family: Family;
  /** as CMS names it: `RVU25A`, `RVU26AR`, `RVU24AR1`, `HCPC2026_JAN` */
  code: string;
  /** calendar year the release belongs to (2000 + yy for PFS) */
  year: number;
  /** 1–4: A/AR = 1, B = 2, C = 3, D = 4; the month for HCPCS (annual files count as 1) */
  quarter: 1 | 2 | 3 | 4;
  /** the "Updated" date as ISO yyyy-mm-dd (PFS), or null when CMS gives none */
  updated: string | null;
  /** the page the zip link was found on (mirror applied) */
  pageUrl: string;
  /** the zip to download (mirror applied) */
  url: string;
}

/** Order of effective date: year, quarter, then code (RVU26A before RVU26AR before RVU26AR1). */
export function compareReleaseRefs(a: ReleaseRef, b: ReleaseRef): number {
  return a.year - b.year || a.quarter - b.quarter || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
}
