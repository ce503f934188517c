/**
 * The release registry, the audit trail, and the PFS snapshot tables.
 * Every number is exact `numeric`; every code (HCPCS, modifier, MAC, locality) is text.
 *
 * Snapshot tables carry `release_id` without a foreign key: the loader writes it from the
 * release row it inserted in the same transaction, releases are never deleted, and a per-row
 * foreign-key check cost a third of the load time (≈200 ms of a 35k-row release).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create schema if not exists cms`.execute(db);

  await sql`
    create table cms.releases (
      id bigint generated always as identity primary key,
      family text not null,
      code text not null,
      year integer not null,
      quarter integer not null check (quarter between 1 and 4),
      revision integer not null,
      effective_from date not null,
      published_on date,
      source_name text not null,
      source_url text,
      archive_sha256 text not null check (archive_sha256 ~ '^[0-9a-f]{64}$'),
      status text not null check (status in ('active', 'superseded')),
      superseded_by bigint references cms.releases (id),
      loaded_at timestamptz not null default now(),
      unique (family, archive_sha256),
      unique (family, code, revision)
    )`.execute(db);
  // At most one active revision of a release code.
  await sql`create unique index releases_one_active on cms.releases (family, code) where status = 'active'`.execute(db);

  await sql`
    create table cms.release_datasets (
      release_id bigint not null references cms.releases (id),
      dataset text not null,
      table_name text not null,
      row_count integer not null,
      primary key (release_id, dataset)
    )`.execute(db);

  await sql`
    create table cms.release_files (
      release_id bigint not null references cms.releases (id),
      dataset text not null,
      name text not null,
      format text not null,
      role text not null,
      size_bytes bigint not null,
      sha256 text not null,
      row_count integer not null,
      -- one member can feed several datasets (HCPCS ANWEB: codes and modifiers)
      primary key (release_id, dataset, name)
    )`.execute(db);

  await sql`
    create table cms.import_runs (
      id bigint generated always as identity primary key,
      source text not null,
      family text,
      release_code text,
      archive_sha256 text,
      started_at timestamptz not null default now(),
      finished_at timestamptz,
      outcome text check (outcome in ('loaded', 'unchanged', 'failed')),
      error text,
      warnings jsonb not null default '[]'::jsonb,
      release_id bigint references cms.releases (id)
    )`.execute(db);

  await sql`
    create table cms.pfs_rvu (
      release_id bigint not null,
      hcpcs text not null,
      modifier text not null default '',
      description text,
      status_code text not null,
      not_used_for_medicare boolean not null,
      work_rvu numeric,
      nonfac_pe_rvu numeric,
      nonfac_na boolean not null,
      fac_pe_rvu numeric,
      fac_na boolean not null,
      mp_rvu numeric,
      nonfac_total numeric,
      fac_total numeric,
      pctc_ind text,
      global_days text,
      pre_op numeric,
      intra_op numeric,
      post_op numeric,
      mult_proc text,
      bilat_surg text,
      asst_surg text,
      co_surg text,
      team_surg text,
      pricing_ind text,
      endo_base text,
      conv_factor numeric,
      conv_factor_qpp numeric,
      phys_supervision text,
      calc_flag text,
      diag_imaging_family text,
      nonfac_pe_opps numeric,
      fac_pe_opps numeric,
      mp_opps numeric,
      primary key (release_id, hcpcs, modifier)
    )`.execute(db);

  await sql`
    create table cms.pfs_gpci (
      release_id bigint not null,
      mac text not null,
      state text not null,
      locality text not null,
      locality_name text not null,
      pw_gpci numeric not null,
      pw_gpci_no_floor numeric,
      pe_gpci numeric not null,
      mp_gpci numeric not null,
      -- (state, locality), not (mac, locality): 2026 files list two localities 00 under MAC 05102
      primary key (release_id, state, locality)
    )`.execute(db);

  await sql`
    create table cms.pfs_locality_county (
      release_id bigint not null,
      mac text not null,
      locality text not null,
      state text not null,
      fee_schedule_area text not null,
      counties text not null,
      primary key (release_id, state, locality)
    )`.execute(db);

  await sql`
    create table cms.pfs_anes_cf (
      release_id bigint not null,
      mac text not null,
      locality text not null,
      locality_name text not null,
      anes_cf numeric not null,
      national_anes_cf numeric,
      primary key (release_id, mac, locality)
    )`.execute(db);

  await sql`
    create table cms.pfs_opps_cap (
      release_id bigint not null,
      hcpcs text not null,
      modifier text not null default '',
      proc_status text not null,
      mac text not null,
      locality text not null,
      fac_price numeric not null,
      nonfac_price numeric not null,
      primary key (release_id, hcpcs, modifier, mac, locality)
    )`.execute(db);

  // The release each dataset is current in: the newest active release (by effective date,
  // then publication) that contains it. A release need not carry every dataset.
  await sql`
    create view cms.current_releases as
    select distinct on (r.family, d.dataset)
      r.family, d.dataset, d.table_name, r.id as release_id, r.code, r.revision, r.effective_from
    from cms.releases r
    join cms.release_datasets d on d.release_id = r.id
    where r.status = 'active'
    order by r.family, d.dataset, r.effective_from desc, r.published_on desc nulls last, r.id desc`.execute(db);

  for (const [table, dataset] of [
    ['pfs_rvu', 'pprrvu'],
    ['pfs_gpci', 'gpci'],
    ['pfs_locality_county', 'locco'],
    ['pfs_anes_cf', 'anes'],
    ['pfs_opps_cap', 'oppscap'],
  ] as const) {
    await sql`
      create view ${sql.table(`cms.${table}_current`)} as
      select t.* from ${sql.table(`cms.${table}`)} t
      join cms.current_releases c on c.release_id = t.release_id and c.dataset = ${sql.lit(dataset)}`.execute(db);
  }
}
