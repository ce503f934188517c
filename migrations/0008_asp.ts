/**
 * ASP pricing files (Medicare Part B drug payment limits): per HCPCS code, one quarter's payment
 * limit and coinsurance, with the vaccine, blood and clotting-factor columns (`asp_payment_limit`).
 *
 * A limit CMS writes as `N/A` is NULL with `payment_limit_na` true, never 0; the check below holds
 * the loader to that. Percentages are numbers (`20.000`, `95`). `release_id` has no foreign key
 * (see 0001_pfs.ts).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table cms.asp_payment_limit (
      release_id bigint not null,
      hcpcs text not null check (hcpcs ~ '^[A-Z0-9]{5}$'),
      short_description text not null,
      dosage text,
      payment_limit numeric,
      payment_limit_na boolean not null default false,
      coinsurance_pct numeric,
      vaccine_awp_pct numeric,
      vaccine_limit numeric,
      blood_awp_pct numeric,
      blood_limit numeric,
      clotting_factor boolean not null default false,
      notes text,
      check ((payment_limit is null) = payment_limit_na),
      primary key (release_id, hcpcs)
    )`.execute(db);

  await sql`
    create view cms.asp_payment_limit_current as
    select t.* from cms.asp_payment_limit t
    join cms.current_releases c on c.release_id = t.release_id and c.dataset = 'asp'`.execute(db);
}
