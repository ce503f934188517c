/**
 * The Clinical Laboratory Fee Schedule: per code and modifier, the effective date, indicator and
 * national limit rate of one quarter (`clfs_rate`).
 *
 * Rates are exact `numeric` (CMS zero-pads them: `00010.56` is 10.56). Indicator `L` rows are
 * priced by the local contractor: CMS writes their rate as 0, and it is stored as written; what a
 * code page shows for them is words, never that 0. The descriptors are AMA CPT text for CPT codes
 * and are kept under the same terms as PPRRVU's. Empty modifier is ''. `release_id` has no foreign
 * key (see 0001_pfs.ts).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table cms.clfs_rate (
      release_id bigint not null,
      hcpcs text not null check (hcpcs ~ '^[A-Z0-9]{5}$'),
      modifier text not null default '',
      year integer not null,
      effective_date date not null,
      indicator text not null,
      rate numeric not null,
      short_description text,
      long_description text,
      extended_long_description text,
      primary key (release_id, hcpcs, modifier)
    )`.execute(db);

  await sql`
    create view cms.clfs_rate_current as
    select t.* from cms.clfs_rate t
    join cms.current_releases c on c.release_id = t.release_id and c.dataset = 'clfs'`.execute(db);
}
