/**
 * The review queue's items: raising the ones an import finds, resolving by re-import or by an
 * editor, and listing what is open. One open item per code and reason (a unique index): raising
 * one that is open refreshes it.
 */
import { sql, type Kysely } from 'kysely';
import type { ReviewReason, Schema } from '../../db/schema.js';
import { UsageError } from '../../errors.js';

export const REVIEW_REASONS: readonly ReviewReason[] = [
  'added_without_editorial', 'editorial_for_removed', 'descriptor_changed', 'status_changed', 'unknown_code',
];

export function checkReason(reason: string): ReviewReason {
  if (!(REVIEW_REASONS as readonly string[]).includes(reason)) throw new UsageError(`--reason ${reason}: expected one of ${REVIEW_REASONS.join(', ')}`);
  return reason as ReviewReason;
}

/** Codes accepted with --allow-unknown-codes: the queue lists each until a release carries it. */
export async function raiseUnknownCodes(
  db: Kysely<Schema>,
  codes: readonly { code: string; versionId: string; file: string; line: number }[],
): Promise<void> {
  for (const item of codes) {
    await sql`
      insert into cms.review_item (hcpcs, reason, version_id, details)
      values (${item.code}, 'unknown_code', ${item.versionId}, ${JSON.stringify({ file: item.file, line: item.line })}::jsonb)
      on conflict (hcpcs, reason) where resolved_at is null
      do update set version_id = excluded.version_id, details = excluded.details, raised_at = now()`.execute(db);
  }
}

/** Resolve every open item of these codes (a new version of their entry, or its retirement). */
export async function resolveItemsOf(
  db: Kysely<Schema>,
  codes: readonly { code: string; versionId: string | null }[],
  resolution: 'reimported' | 'retired',
  by: string,
): Promise<number> {
  if (codes.length === 0) return 0;
  const result = await sql`
    update cms.review_item i set resolved_at = now(), resolution = ${resolution}, resolved_by = ${by},
      resolved_by_version_id = v.version_id::bigint
    from unnest(${codes.map((c) => c.code)}::text[], ${codes.map((c) => c.versionId)}::text[]) as v(code, version_id)
    where i.hcpcs = v.code and i.resolved_at is null`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

export interface ResolveOptions {
  readonly reason?: string | undefined;
  readonly note?: string | undefined;
  readonly by: string;
}

export interface ResolveResult {
  resolved: { code: string; reason: ReviewReason }[];
  /** codes given that had no open item (of that reason) */
  notOpen: string[];
}

/** `editorial resolve`: an editor looked at these codes' open items. */
export async function resolveByEditor(db: Kysely<Schema>, codes: readonly string[], options: ResolveOptions): Promise<ResolveResult> {
  const reason = options.reason === undefined ? undefined : checkReason(options.reason);
  let query = db
    .updateTable('cms.review_item')
    .set({ resolved_at: sql`now()`, resolution: 'resolved', resolved_by: options.by, resolution_note: options.note ?? null })
    .where('resolved_at', 'is', null)
    .where(sql<boolean>`hcpcs = any(${[...codes]}::text[])`);
  if (reason) query = query.where('reason', '=', reason);
  const rows = await query.returning(['hcpcs', 'reason']).execute();
  const found = new Set(rows.map((row) => row.hcpcs));
  return {
    resolved: rows.map((row) => ({ code: row.hcpcs, reason: row.reason })).sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)),
    notOpen: codes.filter((code) => !found.has(code)),
  };
}
