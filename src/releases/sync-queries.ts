/** What sync asks the release registry beyond store.ts. */
import type { Kysely } from 'kysely';
import type { Schema } from '../db/schema.js';

/** The latest revision of `family` loaded from this URL (releases.source_url), if any. */
export async function loadedFromUrl(
  db: Kysely<Schema>,
  family: string,
  sourceUrl: string,
): Promise<{ code: string; revision: number } | undefined> {
  return db
    .selectFrom('cms.releases')
    .select(['code', 'revision'])
    .where('family', '=', family)
    .where('source_url', '=', sourceUrl)
    .orderBy('revision', 'desc')
    .limit(1)
    .executeTakeFirst();
}
