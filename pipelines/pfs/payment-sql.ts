/**
 * The payment formula as SQL: one set-returning function, `cms.pfs_payment_rows`, that the view
 * `cms.pfs_payment`, the `price` command and the national amounts (all GPCIs 1) all read.
 *
 * Exact: every input is `numeric` and every product is kept at full precision; each amount is
 * rounded once, to cents (`round(x, 2)` rounds half away from zero: half-up for these positive
 * amounts). The function is `language sql stable` with a single SELECT, so PostgreSQL inlines it:
 * a query on the view restricted to one release and locality scans only that release's rows of
 * that locality (see the EXPLAIN test in test/payment).
 *
 * Parameters: the release, then optional filters (state, locality, hcpcs); `p_national` replaces
 * the release's localities with one row whose GPCIs are all 1 (no OPPS cap, no anesthesia CF).
 *
 * OPPSCAP and ANES are keyed by MAC and locality, GPCI by state and locality; where one MAC and
 * locality stand for two states of the GPCI file (2026: 05102-00 is Connecticut and Iowa), the
 * cap and the CF cannot be told apart, so they are left unknown (`opps_cap_known` false,
 * `anes_cf` NULL) rather than guessed. A release without an OPPSCAP file has `opps_cap_known`
 * false everywhere.
 *
 * Changing this text changes what a fresh database gets from migration 0004; a database that is
 * already migrated keeps the old function. So a change here needs a new migration that runs
 * PAYMENT_SQL again (`create or replace`); test/payment/sql.test.ts fails until it exists.
 */
import { LIMITING_CHARGE_FACTOR, NONPAR_FACTOR, PRICED_STATUSES, ANES_MINUTES_PER_UNIT, ANES_TIME_UNIT_DECIMALS } from './payment.js';

const priced = PRICED_STATUSES.map((status) => `'${status}'`).join(', ');

/** Columns of cms.pfs_payment_rows, in order; the view adds none. */
export const PAYMENT_ROWS_FUNCTION = `
create or replace function cms.pfs_payment_rows(
  p_release_id bigint,
  p_state text default null,
  p_locality text default null,
  p_hcpcs text default null,
  p_national boolean default false)
returns table (
  release_id bigint, hcpcs text, modifier text, mac text, locality text, state text, locality_name text,
  status_code text, priced boolean,
  work_rvu numeric, nonfac_pe_rvu numeric, fac_pe_rvu numeric, mp_rvu numeric,
  pw_gpci numeric, pe_gpci numeric, mp_gpci numeric, conv_factor numeric, conv_factor_qpp numeric,
  nonfac_na boolean, fac_na boolean,
  nonfac_gpci_rvus numeric, fac_gpci_rvus numeric,
  nonfac_amount numeric, fac_amount numeric, nonfac_amount_qpp numeric, fac_amount_qpp numeric,
  opps_cap_known boolean, opps_proc_status text, opps_nonfac_cap numeric, opps_fac_cap numeric,
  nonfac_capped boolean, fac_capped boolean, nonfac_capped_qpp boolean, fac_capped_qpp boolean,
  nonfac_paid numeric, fac_paid numeric, nonfac_paid_qpp numeric, fac_paid_qpp numeric,
  nonfac_nonpar numeric, fac_nonpar numeric, nonfac_nonpar_qpp numeric, fac_nonpar_qpp numeric,
  nonfac_limiting_charge numeric, fac_limiting_charge numeric, nonfac_limiting_charge_qpp numeric, fac_limiting_charge_qpp numeric,
  anes_cf numeric)
language sql stable
as $fn$
  select v.release_id, v.hcpcs, v.modifier, loc.mac, loc.locality, loc.state, loc.locality_name,
    v.status_code, rule.priced,
    v.work_rvu, v.nonfac_pe_rvu, v.fac_pe_rvu, v.mp_rvu,
    loc.pw_gpci, loc.pe_gpci, loc.mp_gpci, v.conv_factor, v.conv_factor_qpp,
    v.nonfac_na, v.fac_na,
    adj.nonfac_rvus, adj.fac_rvus,
    exact.nonfac_cents, exact.fac_cents, exact.nonfac_qpp_cents, exact.fac_qpp_cents,
    cap.known, cap.proc_status, cap.nonfac, cap.fac,
    paid.nonfac_capped, paid.fac_capped, paid.nonfac_capped_qpp, paid.fac_capped_qpp,
    round(paid.nonfac, 2), round(paid.fac, 2), round(paid.nonfac_qpp, 2), round(paid.fac_qpp, 2),
    round(paid.nonfac * ${NONPAR_FACTOR}, 2), round(paid.fac * ${NONPAR_FACTOR}, 2),
    round(paid.nonfac_qpp * ${NONPAR_FACTOR}, 2), round(paid.fac_qpp * ${NONPAR_FACTOR}, 2),
    round(paid.nonfac * ${LIMITING_CHARGE_FACTOR}, 2), round(paid.fac * ${LIMITING_CHARGE_FACTOR}, 2),
    round(paid.nonfac_qpp * ${LIMITING_CHARGE_FACTOR}, 2), round(paid.fac_qpp * ${LIMITING_CHARGE_FACTOR}, 2),
    anes.anes_cf
  from cms.pfs_rvu v
  join (
    select g.mac, g.state, g.locality, g.locality_name, g.pw_gpci, g.pe_gpci, g.mp_gpci, twins.count = 1 as mac_locality_unique
    from cms.pfs_gpci g
    cross join lateral (
      select count(*) from cms.pfs_gpci twin
      where twin.release_id = g.release_id and twin.mac = g.mac and twin.locality = g.locality
    ) twins
    where g.release_id = p_release_id and not p_national
      and (p_state is null or g.state = p_state) and (p_locality is null or g.locality = p_locality)
    union all
    select null, null, null, 'NATIONAL (all GPCIs 1)', 1, 1, 1, false
    where p_national
  ) loc on true
  cross join lateral (
    select coalesce(v.status_code in (${priced})
      and (v.work_rvu + v.nonfac_pe_rvu + v.mp_rvu <> 0 or v.work_rvu + v.fac_pe_rvu + v.mp_rvu <> 0), false) as priced
  ) rule
  cross join lateral (
    select
      case when rule.priced then v.work_rvu * loc.pw_gpci + v.nonfac_pe_rvu * loc.pe_gpci + v.mp_rvu * loc.mp_gpci end as nonfac_rvus,
      case when rule.priced then v.work_rvu * loc.pw_gpci + v.fac_pe_rvu * loc.pe_gpci + v.mp_rvu * loc.mp_gpci end as fac_rvus
    offset 0
  ) adj
  cross join lateral (
    select adj.nonfac_rvus * v.conv_factor as nonfac, adj.fac_rvus * v.conv_factor as fac,
      adj.nonfac_rvus * v.conv_factor_qpp as nonfac_qpp, adj.fac_rvus * v.conv_factor_qpp as fac_qpp,
      round(adj.nonfac_rvus * v.conv_factor, 2) as nonfac_cents, round(adj.fac_rvus * v.conv_factor, 2) as fac_cents,
      round(adj.nonfac_rvus * v.conv_factor_qpp, 2) as nonfac_qpp_cents, round(adj.fac_rvus * v.conv_factor_qpp, 2) as fac_qpp_cents
    offset 0
  ) exact
  -- A plain join, which the planner makes a probe for one code or locality and a merge for every
  -- locality (migration 0013: that was a forced probe per row, 2 million of them for an export).
  -- It plans well right after a load because the load analyses each table's key
  -- (src/releases/statistics.ts); before that, a fresh table's missing statistics made it a nested
  -- loop over every cap of the locality for every code.
  left join cms.pfs_opps_cap o
    on loc.mac_locality_unique and o.release_id = v.release_id and o.hcpcs = v.hcpcs and o.modifier = v.modifier
      and o.mac = loc.mac and o.locality = loc.locality
  cross join lateral (
    select
      loc.mac_locality_unique and exists (
        select 1 from cms.release_datasets d where d.release_id = v.release_id and d.dataset = 'oppscap'
      ) as known,
      o.proc_status, o.nonfac_price as nonfac, o.fac_price as fac
  ) cap
  cross join lateral (
    select
      coalesce(exact.nonfac_cents > cap.nonfac, false) as nonfac_capped,
      coalesce(exact.fac_cents > cap.fac, false) as fac_capped,
      coalesce(exact.nonfac_qpp_cents > cap.nonfac, false) as nonfac_capped_qpp,
      coalesce(exact.fac_qpp_cents > cap.fac, false) as fac_capped_qpp,
      case when exact.nonfac_cents > cap.nonfac then cap.nonfac else exact.nonfac end as nonfac,
      case when exact.fac_cents > cap.fac then cap.fac else exact.fac end as fac,
      case when exact.nonfac_qpp_cents > cap.nonfac then cap.nonfac else exact.nonfac_qpp end as nonfac_qpp,
      case when exact.fac_qpp_cents > cap.fac then cap.fac else exact.fac_qpp end as fac_qpp
    offset 0
  ) paid
  left join cms.pfs_anes_cf anes
    on loc.mac_locality_unique and anes.release_id = v.release_id and anes.mac = loc.mac and anes.locality = loc.locality
  where v.release_id = p_release_id and (p_hcpcs is null or v.hcpcs = p_hcpcs)
$fn$`;

/** (base units + minutes ÷ 15, rounded to one decimal) × CF, rounded once to cents. */
export const ANESTHESIA_FUNCTION = `
create or replace function cms.pfs_anesthesia_amount(p_anes_cf numeric, p_base_units numeric, p_minutes numeric)
returns numeric
language sql immutable
as $fn$
  select round((p_base_units + round(p_minutes / ${ANES_MINUTES_PER_UNIT}, ${ANES_TIME_UNIT_DECIMALS})) * p_anes_cf, 2)
$fn$`;

/** Time units for the minutes, as the amount above uses them. */
export const ANESTHESIA_TIME_UNITS_FUNCTION = `
create or replace function cms.pfs_anesthesia_time_units(p_minutes numeric)
returns numeric
language sql immutable
as $fn$
  select round(p_minutes / ${ANES_MINUTES_PER_UNIT}, ${ANES_TIME_UNIT_DECIMALS})
$fn$`;

/** Every code/modifier × locality of every PFS release; amounts NULL where the status has none. */
export const PAYMENT_VIEW = `
create or replace view cms.pfs_payment as
select p.* from cms.releases r
cross join lateral cms.pfs_payment_rows(r.id) p
where r.family = 'pfs'`;

/** The national amounts (all GPCIs 1) of every PFS release: what cms.code_catalog shows. */
export const NATIONAL_VIEW = `
create or replace view cms.pfs_payment_national as
select p.release_id, p.hcpcs, p.modifier, p.status_code, p.priced, p.conv_factor, p.conv_factor_qpp,
  p.nonfac_na, p.fac_na, p.nonfac_amount, p.fac_amount, p.nonfac_amount_qpp, p.fac_amount_qpp
from cms.releases r
cross join lateral cms.pfs_payment_rows(r.id, p_national => true) p
where r.family = 'pfs'`;

/** In order; each is `create or replace`, so running them again is harmless. */
export const PAYMENT_SQL: readonly string[] = [PAYMENT_ROWS_FUNCTION, ANESTHESIA_FUNCTION, ANESTHESIA_TIME_UNITS_FUNCTION, PAYMENT_VIEW, NATIONAL_VIEW];
