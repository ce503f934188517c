/**
 * What a person sees while sync runs, on stderr: a line per step (src/cli/render/sync.ts), and on
 * a terminal a progress bar per download and per load.
 */
import cliProgress from 'cli-progress';
import type { SyncEvent, SyncOptions } from '../index.js';
import { redactUrl } from '../errors.js';
import { formatCount, type Output } from './output.js';
import { formatBytes, narrateSync } from './render/sync.js';

export interface SyncDisplay {
  onEvent(event: SyncEvent): void;
  stop(): void;
}

/**
 * What a person sees while sync runs, on stderr: a line per step, and on a terminal a progress
 * bar per download and per load. Nothing with --json or --quiet (warnings still, unless --quiet).
 */
export function syncDisplay(output: Output, options: SyncOptions): SyncDisplay {
  const narrate = !output.options.json && !output.options.quiet;
  const where = options.mirror === undefined ? 'https://www.cms.gov' : redactUrl(options.mirror);

  if (!output.interactive) {
    const line = (text: string) => narrate && output.errorStream.write(`${text}\n`);
    return {
      onEvent(event) {
        if (event.type === 'warning') output.warn(event.code ? `${event.code}: ${event.message}` : event.message);
        const text = narrateSync(event, where, options);
        if (text !== null) line(text);
      },
      stop: () => undefined,
    };
  }

  const bars = new cliProgress.MultiBar(
    {
      format: '{code} {bar} {percentage}% {size}',
      stream: output.errorStream as NodeJS.WriteStream,
      clearOnComplete: true,
      hideCursor: true,
      autopadding: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const downloads = new Map<string, cliProgress.SingleBar>();
  let load: cliProgress.SingleBar | undefined;
  const log = (text: string) => bars.log(`${text}\n`);
  return {
    onEvent(event) {
      switch (event.type) {
        case 'warning':
          log(`warning: ${event.code ? `${event.code}: ` : ''}${event.message}`);
          return;
        case 'download-start':
          downloads.set(event.release.code, bars.create(1, 0, { code: event.release.code.padEnd(12), size: '' }));
          return;
        case 'download-progress': {
          const bar = downloads.get(event.release.code);
          bar?.setTotal(event.total ?? Math.max(event.received, 1));
          bar?.update(event.received, { size: `${formatBytes(event.received)}${event.total !== null ? ` / ${formatBytes(event.total)}` : ''}` });
          return;
        }
        case 'load-start':
          load = bars.create(1, 0, { code: event.release.code.padEnd(12), dataset: '', rows: '0' }, { format: '{code} loading {dataset} {rows} rows' });
          return;
        case 'load-progress':
          load?.update(0, { dataset: event.dataset, rows: formatCount(event.rows) });
          return;
        default:
      }
      if (event.type === 'fetched' || (event.type === 'failed' && event.stage === 'download')) {
        const bar = downloads.get(event.release.code);
        if (bar !== undefined) bars.remove(bar);
        downloads.delete(event.release.code);
      }
      if ((event.type === 'loaded' || (event.type === 'failed' && event.stage === 'load')) && load !== undefined) {
        bars.remove(load);
        load = undefined;
      }
      const text = narrateSync(event, where, options);
      if (text !== null && narrate) log(text);
    },
    stop() {
      bars.stop();
    },
  };
}
