/**
 * HCPCS Level II snapshot tables: one row per code (`hcpcs_code`) and per modifier
 * (`hcpcs_modifier`) per release, from the quarterly ANWEB file.
 *
 * Conventions: an empty field is NULL; a numbered group of fields (PRICE1-4, CIM1-3, MCM1-3,
 * LABCERT1-8, XREF1-5, TOS1-5) is a text[] of its non-blank values in field order, and NULL
 * (never `{}`) when all are blank; the checks below hold the loader to that. Dates are `date`
 * (YYYYMMDD in the files). Long descriptions are the continuation records joined, with runs of
 * whitespace collapsed to one space. `release_id` has no foreign key, like the PFS snapshots
 * (see 0001_pfs.ts).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table cms.hcpcs_code (
      release_id bigint not null,
      hcpcs text not null check (hcpcs ~ '^[A-Z][0-9]{4}$'),
      long_description text not null,
      short_description text not null,
      pricing_ind text[] check (cardinality(pricing_ind) > 0),
      mult_pricing_ind text,
      cim text[] check (cardinality(cim) > 0),
      mcm text[] check (cardinality(mcm) > 0),
      statute text,
      lab_cert text[] check (cardinality(lab_cert) > 0),
      xref text[] check (cardinality(xref) > 0),
      coverage text,
      asc_group text,
      asc_date date,
      opps text,
      opps_pi text,
      opps_date date,
      proc_note text,
      betos text,
      tos text[] check (cardinality(tos) > 0),
      anes_base_units numeric,
      add_date date,
      action_effective_date date,
      termination_date date,
      action_code text not null,
      primary key (release_id, hcpcs)
    )`.execute(db);

  // Modifier records carry descriptions, coverage, manual references, a processing note and
  // the dates; they never have pricing, lab, ASC, OPPS, BETOS, TOS or anesthesia data.
  await sql`
    create table cms.hcpcs_modifier (
      release_id bigint not null,
      modifier text not null check (modifier ~ '^[A-Z0-9]{2}$'),
      long_description text not null,
      short_description text not null,
      cim text[] check (cardinality(cim) > 0),
      mcm text[] check (cardinality(mcm) > 0),
      statute text,
      xref text[] check (cardinality(xref) > 0),
      coverage text,
      proc_note text,
      add_date date,
      action_effective_date date,
      termination_date date,
      action_code text not null,
      primary key (release_id, modifier)
    )`.execute(db);

  for (const [table, dataset] of [
    ['hcpcs_code', 'hcpcs_code'],
    ['hcpcs_modifier', 'hcpcs_modifier'],
  ] as const) {
    await sql`
      create view ${sql.table(`cms.${table}_current`)} as
      select t.* from ${sql.table(`cms.${table}`)} t
      join cms.current_releases c on c.release_id = t.release_id and c.dataset = ${sql.lit(dataset)}`.execute(db);
  }
}
