/** The localities of a release (GPCI), with the fee schedule areas and counties LOCCO gives them. */
import { sql, type Kysely } from 'kysely';
import type { Schema } from '../../db/schema.js';
import type { PricingLocality } from '../types.js';

export async function releaseLocalities(db: Kysely<Schema>, releaseId: string): Promise<PricingLocality[]> {
  // LOCCO names states in full and GPCI by abbreviation; MAC + locality joins them.
  const { rows } = await sql<PricingLocality>`
    select g.mac, g.state, g.locality, g.locality_name as name,
      coalesce((
        select string_agg(l.fee_schedule_area || ': ' || l.counties, '; ' order by l.fee_schedule_area)
        from cms.pfs_locality_county l
        where l.release_id = g.release_id and l.mac = g.mac and l.locality = g.locality
      ), '') as counties
    from cms.pfs_gpci g
    where g.release_id = ${releaseId}
    order by g.state collate "C", g.locality collate "C"`.execute(db);
  return rows;
}
