/**
 * The audit trail: every import attempt gets a row in `import_runs` before it starts, written
 * outside the load transaction so that failed attempts are kept. A run whose process was killed
 * keeps outcome NULL (and no finished_at).
 */
import type { Kysely } from 'kysely';
import type { Schema } from '../db/schema.js';
import { errorMessage } from '../errors.js';

export async function startRun(db: Kysely<Schema>, source: string, archiveSha256: string | null): Promise<string> {
  const { id } = await db
    .insertInto('cms.import_runs')
    .values({ source, archive_sha256: archiveSha256 })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export interface RunOutcome {
  outcome: 'loaded' | 'unchanged' | 'failed';
  family?: string | undefined;
  releaseCode?: string | undefined;
  releaseId?: string | undefined;
  error?: unknown;
  warnings?: readonly string[];
}

export async function finishRun(db: Kysely<Schema>, runId: string, result: RunOutcome): Promise<void> {
  await db
    .updateTable('cms.import_runs')
    .set({
      finished_at: new Date(),
      outcome: result.outcome,
      family: result.family ?? null,
      release_code: result.releaseCode ?? null,
      release_id: result.releaseId ?? null,
      error: result.error === undefined ? null : errorMessage(result.error),
      warnings: JSON.stringify(result.warnings ?? []),
    })
    .where('id', '=', runId)
    .execute();
}
