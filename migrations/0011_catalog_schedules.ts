/**
 * The per-code catalog shows the other Medicare schedules, and reads its national amounts from the
 * payment function.
 *
 * - `cms.code_schedule_status`: what each status of the OPPS and CLFS schedules means and whether
 *   the schedule pays the code separately, written from their `codeSchedule` declarations
 *   (pipelines/opps/schedule.ts, pipelines/clfs/schedule.ts). A change there needs a migration that
 *   rewrites these rows.
 * - `cms.code_catalog_as_of(pfs, hcpcs)` keeps its columns and adds, per schedule, the current
 *   release (`OPPS2025_JUL@1`), its quarter (`July 2025`), the status, its meaning and the amount
 *   (NULL unless that schedule pays the code separately: never a bare 0 for "packaged").
 * - National amounts come from `cms.pfs_payment_rows(release, p_national => true)` (the function
 *   behind cms.pfs_payment_national), not from a second computation of total RVUs × CF here.
 */
import { sql, type Kysely } from 'kysely';
import { aspSchedule } from '../pipelines/asp/schedule.js';
import { clfsSchedule } from '../pipelines/clfs/schedule.js';
import { CLFS_INDICATORS } from '../pipelines/clfs/codes.js';
import { addendumBSchedule } from '../pipelines/opps/schedule.js';
import { STATUS_INDICATORS } from '../pipelines/opps/codes.js';

const QUARTER = sql.raw(`(array['January', 'April', 'July', 'October'])[r.quarter] || ' ' || r.year`);
const RELEASE = sql.raw(`r.code || case when r.revision > 0 then '@' || r.revision else '' end`);

/** The describe() of a schedule without a status column, for its three cases (ASP: N/A, blank, a limit). */
const asp = {
  unavailable: aspSchedule.describe({ status: null, amount: null, unavailable: true }),
  blank: aspSchedule.describe({ status: null, amount: null, unavailable: false }),
  priced: aspSchedule.describe({ status: null, amount: '1', unavailable: false }),
};
const unknown = (schedule: typeof addendumBSchedule) => schedule.describe({ status: '\u0000', amount: null, unavailable: false }).meaning;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table cms.code_schedule_status (
      family text not null,
      status text not null,
      meaning text not null,
      paid boolean not null,
      primary key (family, status)
    )`.execute(db);
  for (const [family, schedule, statuses] of [
    ['opps', addendumBSchedule, Object.keys(STATUS_INDICATORS)],
    ['clfs', clfsSchedule, Object.keys(CLFS_INDICATORS)],
  ] as const) {
    for (const status of statuses) {
      const { meaning, paid } = schedule.describe({ status, amount: '1', unavailable: false });
      await sql`insert into cms.code_schedule_status values (${family}, ${status}, ${meaning}, ${paid})`.execute(db);
    }
  }

  await sql`drop view cms.code_catalog`.execute(db);
  await sql`drop function cms.code_catalog_as_of(bigint, bigint)`.execute(db);
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
      editorial_version integer, editorial_updated_at timestamptz,
      opps_release text, opps_quarter text, opps_status text, opps_meaning text, opps_payment_rate numeric,
      asp_release text, asp_quarter text, asp_meaning text, asp_payment_limit numeric,
      clfs_release text, clfs_quarter text, clfs_indicator text, clfs_meaning text, clfs_national_limit numeric
    )
    language sql stable as $$
      select
        c.hcpcs, k.kind, k.category, k.label,
        coalesce(e.title, h.short_description, p.description),
        h.short_description, h.long_description, p.description,
        p.status_code, s.meaning, s.payment, s.paid_from_rvus,
        p.work_rvu, p.nonfac_total, p.fac_total, p.nonfac_na, p.fac_na, p.global_days,
        p.conv_factor, p.conv_factor_qpp,
        case when s.paid_from_rvus then n.nonfac_amount end,
        case when s.paid_from_rvus then n.fac_amount end,
        case when s.paid_from_rvus then n.nonfac_amount_qpp end,
        case when s.paid_from_rvus then n.fac_amount_qpp end,
        h.termination_date,
        e.title, e.summary, coalesce(e.synonyms, '{}'), e.plain_language, e.clinical_context,
        coalesce(e.specialties, '{}'),
        coalesce(e.billing_notes, ce.billing_notes),
        case when e.billing_notes is not null then 'code' when ce.billing_notes is not null then k.category end,
        case when c.in_pfs then pr.code end, case when h.hcpcs is not null then hr.code end,
        case when c.in_pfs then pr.id end, case when h.hcpcs is not null then hr.id end,
        e.version, e.updated_at,
        opps.release, opps.quarter, opps.status, opps.meaning, opps.amount,
        asp.release, asp.quarter, asp.meaning, asp.amount,
        clfs.release, clfs.quarter, clfs.status, clfs.meaning, clfs.amount
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
      left join cms.pfs_payment_rows(p_pfs_release, p_national => true) n on n.hcpcs = c.hcpcs and n.modifier = ''
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
      left join (
        select t.hcpcs, ${RELEASE} as release, ${QUARTER} as quarter, t.status_indicator as status,
          coalesce(m.meaning, ${sql.lit(unknown(addendumBSchedule))}) as meaning,
          case when m.paid then t.payment_rate end as amount
        from cms.current_releases cr
        join cms.releases r on r.id = cr.release_id
        join cms.opps_addendum_b t on t.release_id = r.id
        left join cms.code_schedule_status m on m.family = 'opps' and m.status = t.status_indicator
        where cr.family = 'opps' and cr.dataset = ${sql.lit(addendumBSchedule.dataset)}
      ) opps on opps.hcpcs = c.hcpcs
      left join (
        select t.hcpcs, ${RELEASE} as release, ${QUARTER} as quarter,
          case when t.payment_limit_na then ${sql.lit(asp.unavailable.meaning)} when t.payment_limit is null then ${sql.lit(asp.blank.meaning)} else ${sql.lit(asp.priced.meaning)} end as meaning,
          case when not t.payment_limit_na and t.payment_limit is not null and ${sql.lit(asp.priced.paid)} then t.payment_limit end as amount
        from cms.current_releases cr
        join cms.releases r on r.id = cr.release_id
        join cms.asp_payment_limit t on t.release_id = r.id
        where cr.family = 'asp' and cr.dataset = ${sql.lit(aspSchedule.dataset)}
      ) asp on asp.hcpcs = c.hcpcs
      left join (
        select t.hcpcs, ${RELEASE} as release, ${QUARTER} as quarter, t.indicator as status,
          coalesce(m.meaning, ${sql.lit(unknown(clfsSchedule))}) as meaning,
          case when m.paid then t.rate end as amount
        from cms.current_releases cr
        join cms.releases r on r.id = cr.release_id
        join cms.clfs_rate t on t.release_id = r.id and t.modifier = ''
        left join cms.code_schedule_status m on m.family = 'clfs' and m.status = t.indicator
        where cr.family = 'clfs' and cr.dataset = ${sql.lit(clfsSchedule.dataset)}
      ) clfs on clfs.hcpcs = c.hcpcs
    $$`.execute(db);

  await sql`
    create view cms.code_catalog as
    select * from cms.code_catalog_as_of(
      (select release_id from cms.current_releases where family = 'pfs' and dataset = 'pprrvu'),
      (select release_id from cms.current_releases where family = 'hcpcs' and dataset = 'hcpcs_code'))`.execute(db);
}
