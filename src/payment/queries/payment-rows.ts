/**
 * Reads `cms.pfs_payment_rows` (pipelines/pfs/payment-sql.ts), the one statement behind the view
 * `cms.pfs_payment`, the price command and the national amounts.
 */
import { sql, type Kysely } from 'kysely';
import type { PaymentRow, Schema } from '../../db/schema.js';
import type { ScheduleRow } from '../types.js';

/** The rows of one code (every modifier) in one locality. */
export async function codePaymentRows(
  db: Kysely<Schema>,
  where: { releaseId: string; state: string; locality: string; hcpcs: string },
): Promise<PaymentRow[]> {
  const { rows } = await sql<PaymentRow>`
    select p.*, r.description, r.pctc_ind, r.global_days, r.mult_proc, r.bilat_surg, r.asst_surg, r.co_surg, r.team_surg,
      a.national_anes_cf
    from cms.pfs_payment_rows(${where.releaseId}::bigint, ${where.state}, ${where.locality}, ${where.hcpcs}) p
    join cms.pfs_rvu r on r.release_id = p.release_id and r.hcpcs = p.hcpcs and r.modifier = p.modifier
    left join lateral (
      select max(n.national_anes_cf) as national_anes_cf from cms.pfs_anes_cf n where n.release_id = p.release_id
    ) a on true
    order by p.modifier collate "C"`.execute(db);
  return rows;
}

/** Every code/modifier of the release in one locality, in code order: the locality's fee schedule. */
export async function localitySchedule(db: Kysely<Schema>, where: { releaseId: string; state: string; locality: string }): Promise<ScheduleRow[]> {
  const { rows } = await sql<ScheduleRow>`
    select hcpcs, modifier, status_code, nonfac_amount, fac_amount, nonfac_amount_qpp, fac_amount_qpp, nonfac_na, fac_na,
      opps_nonfac_cap, opps_fac_cap, nonfac_paid, fac_paid, nonfac_paid_qpp, fac_paid_qpp, nonfac_limiting_charge, fac_limiting_charge,
      opps_cap_known
    from cms.pfs_payment_rows(${where.releaseId}::bigint, ${where.state}, ${where.locality})
    order by hcpcs collate "C", modifier collate "C"`.execute(db);
  return rows;
}

/** Anesthesia: (base units + minutes ÷ 15 rounded to one decimal) × CF, in SQL like every amount. */
export async function anesthesiaAmount(
  db: Kysely<Schema>,
  input: { conversionFactor: string; baseUnits: string; minutes: string },
): Promise<{ time_units: string; amount: string }> {
  const { rows } = await sql<{ time_units: string; amount: string }>`
    select cms.pfs_anesthesia_time_units(${input.minutes}::numeric)::text as time_units,
      cms.pfs_anesthesia_amount(${input.conversionFactor}::numeric, ${input.baseUnits}::numeric, ${input.minutes}::numeric)::text as amount`.execute(db);
  return rows[0]!;
}
