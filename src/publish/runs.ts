/** cms.publish_runs: one row per publish or export attempt, written outside the snapshot's transaction. */
import type { Database } from '../db/database.js';

export interface RunRecord {
  finish(result: {
    outcome: 'published' | 'unchanged' | 'failed';
    error?: string;
    releases?: unknown[];
    editorialVersion?: string | null;
    tables?: unknown[];
  }): Promise<void>;
}

export async function startRun(source: Database, kind: 'postgres' | 'files', target: string, options: Record<string, unknown>): Promise<RunRecord> {
  const { id } = await source.db
    .insertInto('cms.publish_runs')
    .values({ kind, target, options: JSON.stringify(options) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return {
    async finish(result) {
      await source.db
        .updateTable('cms.publish_runs')
        .set({
          finished_at: new Date(),
          outcome: result.outcome,
          error: result.error ?? null,
          releases: result.releases ? JSON.stringify(result.releases) : null,
          editorial_version: result.editorialVersion ?? null,
          tables: result.tables ? JSON.stringify(result.tables) : null,
        })
        .where('id', '=', id)
        .execute();
    },
  };
}
