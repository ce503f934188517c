/** The flags `sync` and `schedule` share, and flags → the API's sync options (checked by the API before anything opens). */
import path from 'node:path';
import type { Command } from 'commander';
import { UsageError, checkPublishTargets, checkSyncOptions, normalizeMirror, type PublishAfterSync, type SyncOptions } from '../index.js';
import type { CommandContext } from './context.js';
import { syncFamilyChoices } from './help.js';

export interface SyncFlags {
  family?: string;
  since?: string;
  dryRun?: boolean;
  mirror?: string;
  cache?: string;
  pageDeadline?: string;
  downloadDeadline?: string;
  allowShrink?: boolean;
  publishTo?: string[];
  publishSchema?: string;
}

/** Options shared by `sync` and `schedule`. */
export function addSyncOptions(command: Command): Command {
  return command
    .option('--family <family>', `only ${syncFamilyChoices()} (default: all of them)`)
    .option('--since <year>', 'only releases of this year or later (default: the previous calendar year)')
    .option('--mirror <url>', 'fetch from this copy of the CMS site instead of https://www.cms.gov (paths unchanged)')
    .option('--cache <dir>', 'download cache (default: $CMS_INGEST_HOME/cache)')
    .option('--page-deadline <seconds>', 'longest one page request may take, retries included (default: 60)')
    .option('--download-deadline <seconds>', 'longest one zip download may take, retries included (default: 1800)')
    .option('--publish-to <url>', 'after a run that loaded something, publish to this PostgreSQL database (repeatable)', (value: string, previous: string[]) => [...previous, value], [])
    .option('--publish-schema <name>', 'the schema --publish-to writes (default: cms_catalog)');
}

/** The --publish-to targets, checked before anything runs; undefined when there are none. */
export function publishTargetsOf(flags: SyncFlags): PublishAfterSync | undefined {
  const targets = flags.publishTo ?? [];
  if (targets.length === 0) {
    if (flags.publishSchema !== undefined) throw new UsageError('--publish-schema goes with --publish-to');
    return undefined;
  }
  return { targets, schema: checkPublishTargets(targets, flags.publishSchema) };
}

/** Flags → sync options, checked by the API before anything opens. */
export function syncOptionsOf(flags: SyncFlags, context: CommandContext): SyncOptions {
  const options: SyncOptions = {
    cacheDir: path.resolve(flags.cache ?? path.join(context.config.home, 'cache')),
    dryRun: Boolean(flags.dryRun),
  };
  if (flags.allowShrink) options.allowShrink = true;
  if (flags.family !== undefined) options.families = flags.family.split(',').map((family) => family.trim().toLowerCase()).filter((family) => family !== '');
  if (flags.mirror !== undefined) options.mirror = normalizeMirror(flags.mirror);
  if (flags.pageDeadline !== undefined) options.pageDeadline = flags.pageDeadline;
  if (flags.downloadDeadline !== undefined) options.downloadDeadline = flags.downloadDeadline;
  // the API's own checks (families, --since, deadlines …), run before the database opens
  const checked = checkSyncOptions({ ...options, since: flags.since });
  if (flags.since !== undefined) options.since = checked.since;
  return options;
}
