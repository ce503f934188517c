/**
 * `cms.pfs_payment_rows` joins the OPPS cap plainly instead of probing its primary key once per
 * row (pipelines/pfs/payment-sql.ts). For every locality of a release (an export, a publish: 2
 * million rows) the planner merges the caps in instead of 2 million probes: the payments query
 * 18.4–19.4 s against 20.6–25.5 s; one locality 65–103 against 113–136 ms; one code 3–4 ms either
 * way (RVU24B + RVU25D, analysed as a load leaves them). The rows are the same.
 *
 * Runs PAYMENT_SQL again (each statement is `create or replace`), as payment-sql.ts asks of a
 * change to it. The down migration has no earlier text to go back to: it leaves the function as
 * it is, which computes the same rows.
 */
import { sql, type Kysely } from 'kysely';
import { PAYMENT_SQL } from '../pipelines/pfs/payment-sql.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of PAYMENT_SQL) await sql.raw(statement).execute(db);
}

export async function down(): Promise<void> {}
