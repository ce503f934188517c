/**
 * Editorial content, its history, the editors' review queue, and the merged per-code catalog.
 *
 * - `editorial_entry`: the current content of each code (`entry_type` 'code', `entry_key` the
 *   HCPCS code) or category (`entry_type` 'category', `entry_key` e.g. `hcpcs:A`, `cpt:surgery`).
 *   Lists are text[] (never NULL: `{}` when empty); an empty text field is NULL.
 * - `editorial_version`: every change of an entry (created, updated, retired), with its content,
 *   content hash, source file and line, and the releases and CMS descriptors current when it was
 *   written: what the review queue's `descriptor_changed` compares a new release against.
 *   `id` is the editorial version of the whole content (it only grows).
 * - `review_item`: one open item per code and reason, raised by a load (`release_id`) or an
 *   editorial import (`version_id`), resolved by a re-import or by an editor.
 * - `code_category` and `pfs_status`: CMS knowledge the catalog view needs, written here from
 *   pipelines/catalog/categories.ts and pipelines/pfs/status.ts. A change to either module needs a
 *   migration that rewrites these rows (delete, then insert the module's rows again).
 * - `code_catalog_as_of(pfs_release_id, hcpcs_release_id)` and the view `code_catalog` (the current
 *   releases): one row per code, CMS data beside the current editorial content.
 */
import { sql, type Kysely } from 'kysely';
import { CODE_CATEGORIES } from '../pipelines/catalog/categories.js';
import { PFS_STATUSES } from '../pipelines/pfs/status.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table cms.editorial_version (
      id bigint generated always as identity primary key,
      entry_type text not null check (entry_type in ('code', 'category')),
      entry_key text not null,
      version integer not null check (version > 0),
      change text not null check (change in ('created', 'updated', 'retired')),
      -- the entry's fields as imported (NULL when retired)
      content jsonb,
      content_hash text check (content_hash ~ '^[0-9a-f]{64}$'),
      source_file text not null,
      source_line integer,
      imported_at timestamptz not null default now(),
      imported_by text not null,
      -- what was current when it was written
      pfs_release_id bigint references cms.releases (id),
      hcpcs_release_id bigint references cms.releases (id),
      pfs_description text,
      hcpcs_long_description text,
      hcpcs_short_description text,
      pfs_status_code text,
      unique (entry_type, entry_key, version),
      check ((change = 'retired') = (content is null)),
      check ((content is null) = (content_hash is null))
    )`.execute(db);

  await sql`
    create table cms.editorial_entry (
      entry_type text not null check (entry_type in ('code', 'category')),
      entry_key text not null,
      title text,
      summary text,
      synonyms text[] not null default '{}',
      plain_language text,
      clinical_context text,
      specialties text[] not null default '{}',
      billing_notes text,
      notes text,
      version integer not null,
      version_id bigint not null references cms.editorial_version (id),
      content_hash text not null,
      updated_at timestamptz not null,
      primary key (entry_type, entry_key),
      check (entry_type = 'code' or (title is null and summary is null and plain_language is null
        and clinical_context is null and synonyms = '{}' and specialties = '{}'))
    )`.execute(db);

  await sql`
    create table cms.review_item (
      id bigint generated always as identity primary key,
      hcpcs text not null,
      reason text not null check (reason in
        ('added_without_editorial', 'editorial_for_removed', 'descriptor_changed', 'status_changed', 'unknown_code')),
      -- what raised it: a release's load, or an editorial import
      release_id bigint references cms.releases (id),
      version_id bigint references cms.editorial_version (id),
      details jsonb not null default '{}'::jsonb,
      raised_at timestamptz not null default now(),
      resolved_at timestamptz,
      -- reimported: a new version of the entry; retired: the entry was retired (--replace);
      -- code_loaded: an unknown code is now in a release; resolved: an editor said so
      resolution text check (resolution in ('reimported', 'retired', 'code_loaded', 'resolved')),
      resolved_by text,
      resolution_note text,
      resolved_by_version_id bigint references cms.editorial_version (id),
      check ((resolved_at is null) = (resolution is null))
    )`.execute(db);
  await sql`create unique index review_item_open on cms.review_item (hcpcs, reason) where resolved_at is null`.execute(db);

  await sql`
    create table cms.code_category (
      position integer primary key,
      category text not null,
      kind text not null,
      label text not null,
      pattern text not null,
      first_code text,
      last_code text
    )`.execute(db);
  let position = 0;
  for (const category of CODE_CATEGORIES) {
    for (const range of category.ranges) {
      position += 1;
      await sql`insert into cms.code_category values (${position}, ${category.id}, ${category.kind}, ${category.label},
        ${range.pattern}, ${range.from ?? null}, ${range.to ?? null})`.execute(db);
    }
  }

  await sql`
    create table cms.pfs_status (
      status_code text primary key,
      meaning text not null,
      paid_from_rvus boolean not null,
      payment text not null
    )`.execute(db);
  for (const status of PFS_STATUSES) {
    await sql`insert into cms.pfs_status values (${status.code}, ${status.meaning}, ${status.paidFromRvus}, ${status.payment})`.execute(db);
  }

  // National amounts are total RVUs × CF (GPCIs of 1), computed at full precision and rounded once
  // to cents (numeric round is half away from zero: half-up for these positive amounts), only for
  // statuses paid from RVUs. The nonQPP CF (conv_factor) gives the default amounts, the QPP CF
  // (2026 on) the _qpp ones. When the payment stage (cms.pfs_payment, issue 12) lands, its
  // national computation should replace this one.
  await sql`
    create function cms.code_catalog_as_of(p_pfs_release bigint, p_hcpcs_release bigint)
    returns table (
      hcpcs text, kind text, category text, category_label text, title text,
      short_description text, long_description text, pfs_description text,
      status_code text, status_meaning text, status_payment text, paid_from_rvus boolean,
      work_rvu numeric, nonfac_total numeric, fac_total numeric, nonfac_na boolean, fac_na boolean, global_days text,
      conv_factor numeric, conv_factor_qpp numeric,
      national_nonfac_amount numeric, national_fac_amount numeric,
      national_nonfac_amount_qpp numeric, national_fac_amount_qpp numeric,
      termination_date date,
      editorial_title text, summary text, synonyms text[], plain_language text, clinical_context text,
      specialties text[], billing_notes text, billing_notes_from text,
      pfs_release text, hcpcs_release text, pfs_release_id bigint, hcpcs_release_id bigint,
      editorial_version integer, editorial_updated_at timestamptz
    )
    language sql stable as $$
      select
        c.hcpcs, k.kind, k.category, k.label,
        coalesce(e.title, h.short_description, p.description),
        h.short_description, h.long_description, p.description,
        p.status_code, s.meaning, s.payment, s.paid_from_rvus,
        p.work_rvu, p.nonfac_total, p.fac_total, p.nonfac_na, p.fac_na, p.global_days,
        p.conv_factor, p.conv_factor_qpp,
        case when s.paid_from_rvus then round(p.nonfac_total * p.conv_factor, 2) end,
        case when s.paid_from_rvus then round(p.fac_total * p.conv_factor, 2) end,
        case when s.paid_from_rvus then round(p.nonfac_total * p.conv_factor_qpp, 2) end,
        case when s.paid_from_rvus then round(p.fac_total * p.conv_factor_qpp, 2) end,
        h.termination_date,
        e.title, e.summary, coalesce(e.synonyms, '{}'), e.plain_language, e.clinical_context,
        coalesce(e.specialties, '{}'),
        coalesce(e.billing_notes, ce.billing_notes),
        case when e.billing_notes is not null then 'code' when ce.billing_notes is not null then k.category end,
        case when c.in_pfs then pr.code end, case when h.hcpcs is not null then hr.code end,
        case when c.in_pfs then pr.id end, case when h.hcpcs is not null then hr.id end,
        e.version, e.updated_at
      from (
        select u.hcpcs, bool_or(u.in_pfs) as in_pfs from (
          select distinct r.hcpcs, true as in_pfs from cms.pfs_rvu r where r.release_id = p_pfs_release
          union all
          select x.hcpcs, false from cms.hcpcs_code x where x.release_id = p_hcpcs_release
          union all
          select ed.entry_key, false from cms.editorial_entry ed where ed.entry_type = 'code'
        ) u group by u.hcpcs
      ) c
      left join cms.pfs_rvu p on p.release_id = p_pfs_release and p.hcpcs = c.hcpcs and p.modifier = ''
      left join cms.hcpcs_code h on h.release_id = p_hcpcs_release and h.hcpcs = c.hcpcs
      left join cms.editorial_entry e on e.entry_type = 'code' and e.entry_key = c.hcpcs
      left join lateral (
        select cc.category, cc.kind, cc.label from cms.code_category cc
        where c.hcpcs ~ cc.pattern
          and (cc.first_code is null or (c.hcpcs collate "C" >= cc.first_code and c.hcpcs collate "C" <= cc.last_code))
        order by cc.position limit 1
      ) k on true
      left join cms.editorial_entry ce on ce.entry_type = 'category' and ce.entry_key = k.category
      left join cms.pfs_status s on s.status_code = p.status_code
      left join cms.releases pr on pr.id = p_pfs_release
      left join cms.releases hr on hr.id = p_hcpcs_release
    $$`.execute(db);

  await sql`
    create view cms.code_catalog as
    select * from cms.code_catalog_as_of(
      (select release_id from cms.current_releases where family = 'pfs' and dataset = 'pprrvu'),
      (select release_id from cms.current_releases where family = 'hcpcs' and dataset = 'hcpcs_code'))`.execute(db);
}
