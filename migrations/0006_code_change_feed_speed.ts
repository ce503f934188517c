/**
 * The change feed without its per-row checks (issue 14): the two foreign keys to cms.releases and
 * the unique index on (to_release_id, dataset, key) cost half of the feed's time on a full PFS
 * release (≈ 28,000 rows). The columns and their meaning are unchanged.
 *
 * What guards the invariants instead (src/diff/feed.ts):
 * - both release ids come from cms.releases rows read inside the load's transaction (the release
 *   being loaded and its predecessor), and releases are never deleted;
 * - one row per changed key: the feed is one INSERT … SELECT over a full join of two snapshots on
 *   their primary key (release_id + natural key), so a key cannot come out twice;
 * - written once per release: writeChangeFeed refuses a release that already has feed rows.
 * Finding one release's rows (that check, and readers of a release's changes, which the unique
 * index served) goes through a BRIN index on to_release_id: the feed is append-only and each load
 * writes its rows under the newest release id, so the column rises with the table and a BRIN
 * index (a few pages, almost free to keep) narrows a lookup to the blocks of that load. The btree
 * index on from_release_id only served the foreign key; it goes too.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table cms.code_change
      drop constraint code_change_from_release_id_fkey,
      drop constraint code_change_to_release_id_fkey,
      drop constraint code_change_to_release_id_dataset_key_key`.execute(db);
  await sql`drop index cms.code_change_from`.execute(db);
  await sql`create index code_change_to on cms.code_change using brin (to_release_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index cms.code_change_to`.execute(db);
  await sql`create index code_change_from on cms.code_change (from_release_id)`.execute(db);
  await sql`
    alter table cms.code_change
      add constraint code_change_from_release_id_fkey foreign key (from_release_id) references cms.releases (id),
      add constraint code_change_to_release_id_fkey foreign key (to_release_id) references cms.releases (id),
      add constraint code_change_to_release_id_dataset_key_key unique (to_release_id, dataset, key)`.execute(db);
}
