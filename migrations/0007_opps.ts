/**
 * OPPS Addendum B: per HCPCS code, the hospital outpatient status indicator, APC, relative
 * weight, payment rate and copayments of one quarter (`opps_addendum_b`).
 *
 * Addendum B has no modifier column: the key is the code. Money is exact `numeric` with CMS's
 * `$` and thousands separators removed; a blank rate (CMS writes a single space) is NULL, never 0.
 * `national_copay_na` is true where CMS wrote `.` (no national unadjusted copayment) instead of
 * an amount. Columns only some years have (IRA coinsurance, adjusted copayment, note from 2023 on;
 * the copayment-cap marker and the inpatient deductible of its header in 2022) are NULL in the
 * releases whose layout lacks them. `release_id` has no foreign key (see 0001_pfs.ts).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table cms.opps_addendum_b (
      release_id bigint not null,
      hcpcs text not null check (hcpcs ~ '^[A-Z0-9]{5}$'),
      short_description text,
      status_indicator text not null,
      apc text check (apc ~ '^[0-9]{4}$'),
      relative_weight numeric,
      payment_rate numeric,
      national_copay numeric,
      national_copay_na boolean not null default false,
      minimum_copay numeric,
      ira_coinsurance_pct numeric,
      adjusted_copay numeric,
      copay_capped boolean,
      inpatient_deductible numeric,
      pass_through_expires boolean not null default false,
      note text,
      changed boolean not null default false,
      check (not (national_copay_na and national_copay is not null)),
      primary key (release_id, hcpcs)
    )`.execute(db);

  await sql`
    create view cms.opps_addendum_b_current as
    select t.* from cms.opps_addendum_b t
    join cms.current_releases c on c.release_id = t.release_id and c.dataset = 'addendum_b'`.execute(db);
}
