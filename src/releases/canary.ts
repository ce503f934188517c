/**
 * The shrink canary: a dataset that arrives with under half the rows it had in the previous
 * release of its family is far more likely a truncated or wrong file than CMS's real
 * quarter-to-quarter change (a few percent), so the release is refused, with both counts,
 * unless the caller says the drop is meant (`allowShrink`, `--allow-shrink`).
 */
import { sql, type Kysely } from 'kysely';
import type { Schema } from '../db/schema.js';
import { InputError } from '../errors.js';

export interface LoadedCount {
  readonly dataset: string;
  readonly rows: number;
  /** the file the rows came from, for the message */
  readonly file: string;
}

interface PreviousCount {
  code: string;
  revision: number;
  row_count: number;
}

/**
 * The same dataset in the release before `releaseId`: the revision it supersedes when it is a
 * re-post, else the newest active release of the family before it (effective date, then
 * publication date, then load order) that has the dataset.
 */
export async function previousCount(db: Kysely<Schema>, releaseId: string, dataset: string): Promise<PreviousCount | undefined> {
  const { rows } = await sql<PreviousCount>`
    select r.code, r.revision, d.row_count
    from cms.releases me
    join cms.releases r on r.family = me.family and r.id <> me.id
    join cms.release_datasets d on d.release_id = r.id and d.dataset = ${dataset}
    where me.id = ${releaseId}
      and (r.superseded_by = me.id
           or (r.status = 'active'
               and (r.effective_from, coalesce(r.published_on, '-infinity'::date), r.id)
                 < (me.effective_from, coalesce(me.published_on, '-infinity'::date), me.id)))
    -- the superseded revision first ("=" would give NULL for the others, which DESC sorts first)
    order by (r.superseded_by is not distinct from me.id) desc, r.effective_from desc, r.published_on desc nulls last, r.id desc
    limit 1`.execute(db);
  const row = rows[0];
  return row ? { ...row, row_count: Number(row.row_count), revision: Number(row.revision) } : undefined;
}

/** Throw when a dataset shrank below half of its previous count. */
export async function checkShrink(db: Kysely<Schema>, releaseId: string, loaded: readonly LoadedCount[]): Promise<void> {
  for (const { dataset, rows, file } of loaded) {
    const previous = await previousCount(db, releaseId, dataset);
    if (!previous || rows * 2 >= previous.row_count) continue;
    const before = `${previous.code}${previous.revision > 0 ? ` revision ${previous.revision}` : ''}`;
    throw new InputError(`${dataset} has ${rows} rows, under half of the ${previous.row_count} it had in ${before}`, {
      file,
      value: `${rows} rows`,
      expected: `at least ${Math.ceil(previous.row_count / 2)} rows (half of ${before}'s ${previous.row_count}); if the drop is meant, import with --allow-shrink (allowShrink: true)`,
    });
  }
}
