/**
 * The change feed: what each loaded release changed against the release before it (src/diff),
 * written inside the release's load transaction, so a release and its changes commit together.
 *
 * One row per key that was added, removed or changed, per dataset:
 * - `dataset` is the snapshot table the change is about (`pfs_rvu`, `pfs_gpci`, `hcpcs_code` …);
 * - `key` is the row's whole natural key, column → value (`{"state": "CA", "locality": "26"}`);
 *   `hcpcs` and `modifier` repeat the code and modifier for datasets keyed by them (NULL for the
 *   locality datasets; `modifier` is `''` where a code row has none, as in the snapshots);
 * - `fields` holds column → `{"from": …, "to": …}` for every compared column whose value differs
 *   (numbers as exact decimal strings); an added key lists its non-NULL values with `from` NULL,
 *   a removed key its old values with `to` NULL;
 * - `tags` are the dataset's named kinds of change (HCPCS: `discontinued`, `reinstated` …).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table cms.code_change (
      id bigint generated always as identity primary key,
      family text not null,
      dataset text not null,
      from_release_id bigint not null references cms.releases (id),
      to_release_id bigint not null references cms.releases (id),
      hcpcs text,
      modifier text,
      key jsonb not null,
      change text not null check (change in ('added', 'removed', 'changed')),
      fields jsonb not null,
      tags text[] not null default '{}',
      check (from_release_id <> to_release_id),
      -- a release's changes are written once, at its load, against one previous release per dataset
      unique (to_release_id, dataset, key)
    )`.execute(db);
  await sql`create index code_change_hcpcs on cms.code_change (hcpcs, to_release_id) where hcpcs is not null`.execute(db);
  await sql`create index code_change_from on cms.code_change (from_release_id)`.execute(db);
}
