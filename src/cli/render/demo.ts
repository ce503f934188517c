/** What `demo` prints after its sync: pure functions of what it loaded. */
import path from 'node:path';
import { renderCatalogRecord, renderImportResult, renderReview, type CatalogRecord, type EditorialImportResult, type ReviewQueue } from '../../editorial/index.js';
import type { ReleaseSummary } from '../../releases/list.js';
import { formatReleases } from './releases.js';

export function describeDemoReleases(location: string, releases: readonly ReleaseSummary[]): string {
  return `\nLoaded releases (cms.releases in ${location}):\n${formatReleases(releases, 'source')}`;
}

export function describeDemoEditorial(dir: string, imported: EditorialImportResult, code: string, record: CatalogRecord | undefined, queue: ReviewQueue): string {
  return [
    `\nEditorial sample (${path.relative(process.cwd(), dir) || dir}):`,
    renderImportResult(imported),
    ...(record ? [`\nThe catalog record of ${code} (cms.code_catalog):\n`, renderCatalogRecord(record)] : []),
    '\nThe review queue (cms.review_item):\n',
    renderReview(queue, 'table') as string,
    '\nRun `npm run demo` again: nothing new is downloaded, loaded or imported. Then try `npx cms-ingest releases`, ' +
      '`npx cms-ingest diff RVU25D RVU26C`, `npx cms-ingest catalog search ambulance` or `npx cms-ingest editorial review --format md`.',
  ].join('\n');
}
