/**
 * Issue 8: what a release carries besides its own files.
 *
 * - `release_datasets.carried_from`: a re-post that ships only some of the datasets of the
 *   revision it supersedes gets the others copied from that revision (so the current views
 *   never fall back to an older release for them); this names the release they were copied from.
 *   NULL for a dataset loaded from the release's own files.
 * - `release_errata`: each declared erratum (pipelines/<family>/errata.ts) applied while the
 *   release was parsed: where, what the file says, what was loaded instead, and why.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table cms.release_datasets add column carried_from bigint references cms.releases (id)`.execute(db);

  await sql`
    create table cms.release_errata (
      release_id bigint not null references cms.releases (id),
      dataset text not null,
      file text not null,
      line integer not null,
      key text not null,
      field text not null,
      found text not null,
      corrected text not null,
      reason text not null,
      primary key (release_id, dataset, key, field)
    )`.execute(db);
}
