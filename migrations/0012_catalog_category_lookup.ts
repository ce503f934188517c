/**
 * The catalog's category of each code, found without trying every category's pattern on it.
 *
 * `cms.code_catalog_as_of` picks a code's category as the first `cms.code_category` row (by
 * position) whose pattern matches the code and whose range, when it has one, contains it. It tried
 * all 29 patterns on every code (16,852 codes for RVU25D: ≈ 490,000 regular-expression matches,
 * half of the view's 420–460 ms). Each row now also says which characters a matching code can begin
 * with (`lead_first` … `lead_last`, read off the pattern here), and the lookup tests that and the
 * range before the pattern, in that order (a CASE: PostgreSQL orders the conditions of a WHERE by
 * their estimated cost, which would put the pattern first): 217–299 ms, the same rows.
 *
 * The function is re-created from its own definition with the lookup's condition replaced, so
 * the rest of it stays exactly as migration 0011 wrote it; a definition that does not hold that
 * condition (someone else's) fails the migration instead of being overwritten.
 */
import { sql, type Kysely } from 'kysely';

const BEFORE = `        where c.hcpcs ~ cc.pattern
          and (cc.first_code is null or (c.hcpcs collate "C" >= cc.first_code and c.hcpcs collate "C" <= cc.last_code))`;

const AFTER = `        where case
          when cc.lead_first is not null and not (left(c.hcpcs, 1) collate "C" between cc.lead_first and cc.lead_last) then false
          when cc.first_code is not null and not (c.hcpcs collate "C" between cc.first_code and cc.last_code) then false
          else c.hcpcs ~ cc.pattern end`;

/**
 * The characters a string matching `pattern` must begin with, as a range, when the pattern says so
 * plainly: `^A…` (one letter or digit) or `^[0-9]…` (one range); not when that first element may
 * be absent (`?`, `*`, `{0`) or is anything else (undefined: every character may begin a match).
 */
export function leadingCharacters(pattern: string): { first: string; last: string } | undefined {
  const lead = /^\^(?:([A-Z0-9])|\[([A-Z0-9])-([A-Z0-9])\])(?![?*]|\{0)/.exec(pattern);
  if (!lead) return undefined;
  return lead[1] !== undefined ? { first: lead[1], last: lead[1] } : { first: lead[2]!, last: lead[3]! };
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table cms.code_category add column lead_first text, add column lead_last text`.execute(db);
  const { rows } = await sql<{ position: number; pattern: string }>`select position, pattern from cms.code_category`.execute(db);
  for (const row of rows) {
    const lead = leadingCharacters(row.pattern);
    if (!lead) continue;
    await sql`update cms.code_category set lead_first = ${lead.first}, lead_last = ${lead.last} where position = ${row.position}`.execute(db);
  }
  await redefineCatalog(db, BEFORE, AFTER);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await redefineCatalog(db, AFTER, BEFORE);
  await sql`alter table cms.code_category drop column lead_first, drop column lead_last`.execute(db);
}

async function redefineCatalog(db: Kysely<unknown>, from: string, to: string): Promise<void> {
  const { rows } = await sql<{ definition: string }>`
    select pg_get_functiondef('cms.code_catalog_as_of(bigint, bigint)'::regprocedure) as definition`.execute(db);
  const definition = rows[0]!.definition;
  if (!definition.includes(from)) {
    throw new Error('cms.code_catalog_as_of does not hold the category lookup migration 0011 wrote; it was changed outside the migrations');
  }
  await sql.raw(definition.replace(from, to)).execute(db);
}
