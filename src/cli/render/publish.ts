/** Publish and export results as text: pure functions of the results. */
import type { ExportManifest, PublishTargetResult } from '../../publish/index.js';
import { formatCount, formatDuration, formatTable } from '../../text-table.js';

export function describePublish(results: readonly PublishTargetResult[]): string {
  return results
    .map((result) => {
      if (result.outcome === 'failed') {
        return result.maybeCommitted
          ? `${result.target}: failed while committing (the target may hold the new version; the next publish says "up to date" if it does)`
          : `${result.target}: failed (nothing changed there)`;
      }
      const releases = [...new Set(result.releases.map((release) => `${release.code}@${release.revision}`))].join(', ') || 'no releases';
      if (result.outcome === 'unchanged') return `${result.target} ${result.schema}: up to date (${releases}); nothing rebuilt`;
      return [
        `${result.target} ${result.schema}: published ${releases} in ${formatDuration(result.durationMs)} (swap ${formatDuration(result.swapMs)})`,
        formatTable(['TABLE', 'ROWS', 'SHA256'], result.tables.map((table) => [table.name, formatCount(table.rows), table.sha256.slice(0, 16)])),
      ].join('\n');
    })
    .join('\n');
}

/** `--publish-to` after a sync: each target's result, or why no target was contacted. */
export function describePublishAfterSync(published: readonly PublishTargetResult[]): string {
  return published.length === 0 ? 'nothing new loaded: nothing to publish' : describePublish(published);
}

/** The error of each target that failed. */
export function publishErrors(published: readonly PublishTargetResult[]): string[] {
  return published.flatMap((target) => (target.outcome === 'failed' ? [target.error ?? `${target.target}: publish failed`] : []));
}

export function describeExport(dir: string, manifest: ExportManifest): string {
  return [
    `exported to ${dir} (${manifest.format}), manifest.json lists ${manifest.files.length} files`,
    formatTable(['FILE', 'ROWS', 'SHA256'], manifest.files.map((file) => [file.name, formatCount(file.rows), file.sha256.slice(0, 16)])),
  ].join('\n');
}
