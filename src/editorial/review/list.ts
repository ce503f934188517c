/** The open items of the review queue, grouped by reason, oldest first within each. */
import { sql, type Kysely } from 'kysely';
import type { ReviewReason, Schema } from '../../db/schema.js';
import { UsageError } from '../../errors.js';
import { REVIEW_REASONS, checkReason } from './items.js';

export interface ReviewItem {
  code: string;
  reason: ReviewReason;
  /** the release whose load raised it (null: raised by an editorial import) */
  release: string | null;
  raised_at: string;
  /** per reason: from/to, dataset, previous_release, change, termination_date, file/line */
  [detail: string]: unknown;
}

export type ReviewQueue = Record<ReviewReason, ReviewItem[]>;

export interface ReviewFilter {
  readonly reason?: string | undefined;
  /** only items raised by this release (code, or CODE@REVISION) */
  readonly release?: string | undefined;
}

export async function openReviewItems(db: Kysely<Schema>, filter: ReviewFilter = {}): Promise<ReviewQueue> {
  const reason = filter.reason === undefined ? undefined : checkReason(filter.reason);
  let releaseIds: string[] | undefined;
  if (filter.release !== undefined) {
    const match = /^([A-Za-z0-9_]+?)(?:@(\d+))?$/.exec(filter.release.trim());
    const rows = match
      ? await db
          .selectFrom('cms.releases')
          .select('id')
          .where(sql<boolean>`upper(code) = ${match[1]!.toUpperCase()}`)
          .$if(match[2] !== undefined, (q) => q.where('revision', '=', Number(match[2])))
          .execute()
      : [];
    if (rows.length === 0) throw new UsageError(`--release ${filter.release}: no such release is loaded (cms-ingest releases lists them)`);
    releaseIds = rows.map((row) => row.id);
  }
  const { rows } = await sql<{ hcpcs: string; reason: ReviewReason; release: string | null; raised_at: string; details: Record<string, unknown> }>`
    select i.hcpcs, i.reason, r.code as release, i.details,
      to_char(i.raised_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as raised_at
    from cms.review_item i left join cms.releases r on r.id = i.release_id
    where i.resolved_at is null
      ${reason ? sql`and i.reason = ${reason}` : sql``}
      ${releaseIds ? sql`and i.release_id = any(${releaseIds}::bigint[])` : sql``}
    order by i.reason, i.hcpcs collate "C"`.execute(db);
  const queue = Object.fromEntries(REVIEW_REASONS.filter((r) => !reason || r === reason).map((r) => [r, [] as ReviewItem[]])) as ReviewQueue;
  for (const row of rows) {
    queue[row.reason].push({ code: row.hcpcs, reason: row.reason, release: row.release, raised_at: row.raised_at, ...row.details });
  }
  return queue;
}
