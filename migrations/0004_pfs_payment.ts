/**
 * Payment by locality: the function `cms.pfs_payment_rows` (the formula, the status rules, the
 * OPPS cap), the views `cms.pfs_payment` (every code/modifier × locality of every PFS release)
 * and `cms.pfs_payment_national` (all GPCIs 1), and the anesthesia amount. The SQL is declared
 * with the rest of the payment rules in pipelines/pfs/payment-sql.ts; see there why a later
 * change to it needs a migration of its own.
 */
import { sql, type Kysely } from 'kysely';
import { PAYMENT_SQL } from '../pipelines/pfs/payment-sql.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of PAYMENT_SQL) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop view if exists cms.pfs_payment_national`.execute(db);
  await sql`drop view if exists cms.pfs_payment`.execute(db);
  await sql`drop function if exists cms.pfs_payment_rows(bigint, text, text, text, boolean)`.execute(db);
  await sql`drop function if exists cms.pfs_anesthesia_amount(numeric, numeric, numeric)`.execute(db);
  await sql`drop function if exists cms.pfs_anesthesia_time_units(numeric)`.execute(db);
}
