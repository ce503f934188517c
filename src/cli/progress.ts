/** Progress of a load on a terminal: one line per dataset with the rows read so far. */
import cliProgress from 'cli-progress';
import type { ImportEvent } from '../releases/import.js';
import type { Output } from './output.js';

export interface ProgressDisplay {
  onEvent(event: ImportEvent): void;
  stop(): void;
}

export function loadProgress(output: Output, label: string): ProgressDisplay {
  if (!output.interactive) {
    // Logs, not bars: warnings always, progress with --verbose.
    return {
      onEvent: (event) =>
        event.type === 'warning'
          ? output.warn(event.message)
          : output.debug(`${label}: ${event.dataset} ${event.rows} rows read from ${event.file}`),
      stop: () => undefined,
    };
  }
  const bars = new cliProgress.MultiBar(
    {
      format: `${label} {dataset} {value} rows`,
      stream: output.errorStream as NodeJS.WriteStream,
      clearOnComplete: true,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const perDataset = new Map<string, cliProgress.SingleBar>();
  const warnings: string[] = [];
  return {
    onEvent(event) {
      if (event.type === 'warning') {
        warnings.push(event.message);
        return;
      }
      let bar = perDataset.get(event.dataset);
      if (!bar) {
        bar = bars.create(0, 0, { dataset: event.dataset.padEnd(8) });
        perDataset.set(event.dataset, bar);
      }
      bar.setTotal(Math.max(event.rows, 1));
      bar.update(event.rows);
    },
    stop() {
      bars.stop();
      for (const message of warnings) output.warn(message);
    },
  };
}
