/**
 * Every publish and export attempt, failed ones included: the audit trail of what went downstream.
 * `target` never holds a password (it is redacted before it is written).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table cms.publish_runs (
      id bigint generated always as identity primary key,
      kind text not null check (kind in ('postgres', 'files')),
      target text not null,
      started_at timestamptz not null default now(),
      finished_at timestamptz,
      outcome text check (outcome in ('published', 'unchanged', 'failed')),
      error text,
      releases jsonb,
      editorial_version text,
      options jsonb not null default '{}'::jsonb,
      tables jsonb
    )`.execute(db);
}
