/** What every command shares: global flags → config, output, and an open database. */
import type { Command } from 'commander';
import { InputError, LockHeldError, UsageError, forgetReleases, openDatabase, rememberReleases, resolveConfig, type Config, type Database } from '../index.js';
import { Output } from './output.js';

export interface GlobalFlags {
  databaseUrl?: string;
  home?: string;
  json?: boolean;
  quiet?: boolean;
  verbose?: boolean;
}

export interface CommandContext {
  config: Config;
  output: Output;
}

export function contextOf(command: Command): CommandContext {
  const flags = command.optsWithGlobals<GlobalFlags>();
  return {
    config: resolveConfig({ databaseUrl: flags.databaseUrl, home: flags.home }),
    output: new Output({ json: Boolean(flags.json), quiet: Boolean(flags.quiet), verbose: Boolean(flags.verbose) }),
  };
}

export async function withDatabase<T>(
  context: CommandContext,
  work: (database: Database) => Promise<T>,
  options: Parameters<typeof openDatabase>[1] = {},
): Promise<T> {
  const database = await openDatabaseFor(context, options);
  context.output.debug(`database: ${database.kind} ${database.location}`);
  try {
    const result = await work(database);
    await keepReleaseList(database, context);
    return result;
  } catch (error) {
    if (keepsReleaseList(error)) await keepReleaseList(database, context);
    throw error;
  } finally {
    await database.close();
  }
}

/**
 * Whether a command that failed with `error` still keeps the release list at its close. A failure
 * on the command's input or its usage (a bad file, an unknown release) comes after a load has
 * rolled back, or before anything was written: the database holds what it held, and the list is
 * read from it as after a success. Any other failure (the database's, the network's, a bug) keeps
 * nothing, and the next `releases` opens the database.
 */
export function keepsReleaseList(error: unknown): boolean {
  return error instanceof InputError || error instanceof UsageError;
}

/**
 * The database opened on first need, for a command that may not need it (`sync`, which finds
 * nothing new without it): close() closes it if it was opened, keeping the release list first
 * when `keepList` (the command succeeded, or failed as keepsReleaseList allows), as withDatabase does.
 */
export function databaseWhenNeeded(context: CommandContext): { open(): Promise<Database>; close(keepList: boolean): Promise<void> } {
  let opening: Promise<Database> | undefined;
  return {
    open: () =>
      (opening ??= openDatabaseFor(context).then((database) => {
        context.output.debug(`database: ${database.kind} ${database.location}`);
        return database;
      })),
    async close(keepList) {
      if (opening === undefined) return context.output.debug('database: not opened (nothing needed it)');
      const database = await opening.catch(() => undefined);
      if (database === undefined) return;
      try {
        if (keepList) await keepReleaseList(database, context);
      } finally {
        await database.close();
      }
    },
  };
}

/** For a command that opens and closes the database itself (`schedule`, once per run): its close keeps the list first. */
export function closingWithReleaseList(database: Database, context: CommandContext): Database {
  if (database.afterCleanClose === undefined) return database;
  return {
    ...database,
    async close() {
      await keepReleaseList(database, context);
      await database.close();
    },
  };
}

/**
 * The database, opened. When the embedded one fails to open for any reason but another process
 * holding it, the release list kept at its last close goes: `releases` would serve it as if all
 * were well, since a failed open leaves the control file it is keyed by as it was.
 */
export async function openDatabaseFor(context: CommandContext, options: Parameters<typeof openDatabase>[1] = {}): Promise<Database> {
  try {
    return await openDatabase(context.config, options);
  } catch (error) {
    if (context.config.databaseUrl === undefined && !(error instanceof LockHeldError)) await forgetReleases(context.config.home).catch(() => undefined);
    throw error;
  }
}

/** For the next `releases`, which then need not start the embedded database (src/releases/remembered.ts). Never fails. */
async function keepReleaseList(database: Database, { config, output }: CommandContext): Promise<void> {
  const note = (message: string) => output.debug(message);
  await rememberReleases(database, config.home, note).catch((error: unknown) =>
    note(`the release list is not kept for the next \`releases\`: ${(error as Error).message}`),
  );
}
