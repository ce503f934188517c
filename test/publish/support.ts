/** Downstream PostgreSQL targets for publish tests, and a fingerprint of what a target serves. */
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { createScratchDatabase, dropScratchDatabase } from '../support/db.js';

/** A scratch target database for the describe block (TEST_DATABASE_URL's server). */
export function useTargetDatabase(): { readonly url: string; query<T extends pg.QueryResultRow>(text: string): Promise<T[]> } {
  let url: string | undefined;
  let client: pg.Client | undefined;
  beforeAll(async () => {
    url = await createScratchDatabase();
    client = new pg.Client({ connectionString: url, application_name: 'publish-test-reader' });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    if (url) await dropScratchDatabase(url);
  });
  return {
    get url() {
      return url!;
    },
    async query<T extends pg.QueryResultRow>(text: string) {
      return (await client!.query<T>(text)).rows;
    },
  };
}

/**
 * Everything a reader of `schema` can see, as text: each relation's kind, columns and definition,
 * every row in a stable order, and the data schemas beside it. Equal fingerprints: the target
 * serves exactly the same thing.
 */
export async function fingerprint(query: <T extends pg.QueryResultRow>(text: string) => Promise<T[]>, schema: string): Promise<string> {
  const relations = await query<{ name: string; kind: string; definition: string | null }>(`
    select c.relname as name, c.relkind::text as kind, pg_get_viewdef(c.oid) as definition
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = '${schema}' and c.relkind in ('r', 'v') order by c.relname`);
  const parts: string[] = [];
  for (const relation of relations) {
    const rows = await query<{ digest: string | null; count: string }>(
      `select md5(string_agg(t::text, E'\\n' order by t::text)) as digest, count(*)::text as count from "${schema}"."${relation.name}" t`,
    );
    parts.push(`${relation.kind} ${relation.name} ${relation.definition ?? ''} ${rows[0]?.count} ${rows[0]?.digest}`);
  }
  const schemas = await query<{ name: string }>(`select nspname as name from pg_namespace where nspname like '${schema}\\_\\_%' order by 1`);
  parts.push(`data schemas: ${schemas.map((row) => row.name).join(', ')}`);
  return parts.join('\n');
}
