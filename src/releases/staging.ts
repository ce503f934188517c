/**
 * Rows staged beside a release inside its transaction (temporary tables, dropped at commit), and
 * the set-wise SQL that compares them with what was loaded: companion merges must agree, cross-
 * format checks report how they differ.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Transaction } from '../db/database.js';
import { InputError } from '../errors.js';
import type { Dataset } from '../pipeline.js';
import { describeKey } from './keys.js';

const stageTable = (dataset: Dataset, stage: string) => `stage_${dataset.name}_${stage}`;
const ident = (name: string) => sql.id(name);
const target = (dataset: Dataset) => sql.table(`cms.${dataset.table}`);

/** Create the stage (like the dataset's table, plus the source line) and COPY the rows' text into it. */
export async function stageRows(tx: Transaction, dataset: Dataset, stage: string, text: AsyncIterable<string>): Promise<void> {
  const name = stageTable(dataset, stage);
  await sql`create temporary table ${ident(name)} (like ${target(dataset)}) on commit drop`.execute(tx.db);
  await sql`alter table ${ident(name)} add column source_line integer`.execute(tx.db);
  await tx.copyText(`pg_temp.${name}`, ['release_id', ...dataset.columns, 'source_line'], text);
}

function keyJoin(dataset: Dataset): RawBuilder<unknown> {
  return sql.join(
    dataset.key.map((column) => sql`t.${ident(column)} = s.${ident(column)}`),
    sql` and `,
  );
}

const keyList = (dataset: Dataset, alias: string) =>
  sql.join(dataset.key.map((column) => sql`${sql.ref(`${alias}.${column}`)}::text as ${ident(column)}`));

const keyText = (dataset: Dataset, row: Record<string, unknown>) => describeKey(dataset.key, row);

/**
 * Check that the companion file describes exactly the main file's keys with the same values
 * (but for `ignore`), then copy its `take` columns onto the loaded rows.
 */
export async function mergeCompanion(
  tx: Transaction,
  dataset: Dataset,
  releaseId: string,
  mainFile: string,
  companionFile: string,
): Promise<void> {
  const merge = dataset.companion!;
  const stage = ident(stageTable(dataset, 'companion'));

  const extra = await sql<Record<string, unknown> & { source_line: number }>`
    select s.source_line, ${keyList(dataset, 's')} from ${stage} s
    where not exists (select 1 from ${target(dataset)} t where t.release_id = ${releaseId} and ${keyJoin(dataset)})
    order by s.source_line limit 1`.execute(tx.db);
  if (extra.rows[0]) {
    throw new InputError(`${keyText(dataset, extra.rows[0])} is not in ${mainFile}`, {
      file: companionFile,
      line: extra.rows[0].source_line,
      expected: `the same ${dataset.key.join(' + ')} rows as ${mainFile}`,
    });
  }

  const missing = await sql<Record<string, unknown>>`
    select ${keyList(dataset, 't')} from ${target(dataset)} t
    where t.release_id = ${releaseId}
      and not exists (select 1 from ${stage} s where ${keyJoin(dataset)})
    limit 1`.execute(tx.db);
  if (missing.rows[0]) {
    throw new InputError(`${keyText(dataset, missing.rows[0])} of ${mainFile} is missing`, {
      file: companionFile,
      expected: `the same ${dataset.key.join(' + ')} rows as ${mainFile}`,
    });
  }

  const compared = dataset.columns.filter(
    (column) => !dataset.key.includes(column) && !merge.ignore.includes(column) && !merge.take.includes(column),
  );
  if (compared.length > 0) {
    const differs = sql.join(compared.map((column) => sql`t.${ident(column)} is distinct from s.${ident(column)}`), sql` or `);
    const disagreement = await sql<Record<string, unknown> & { source_line: number }>`
      select s.source_line, ${keyList(dataset, 's')},
        ${sql.join(compared.map((column) => sql`t.${ident(column)}::text as ${ident(`main_${column}`)}, s.${ident(column)}::text as ${ident(`other_${column}`)}`))}
      from ${stage} s join ${target(dataset)} t on t.release_id = ${releaseId} and ${keyJoin(dataset)}
      where ${differs}
      order by s.source_line limit 1`.execute(tx.db);
    const row = disagreement.rows[0];
    if (row) {
      const column = compared.find((name) => row[`main_${name}`] !== row[`other_${name}`])!;
      throw new InputError(`${keyText(dataset, row)} disagrees with ${mainFile}`, {
        file: companionFile,
        line: row.source_line,
        column,
        value: String(row[`other_${column}`] ?? ''),
        expected: `${String(row[`main_${column}`] ?? '(blank)')}, as in ${mainFile}`,
      });
    }
  }

  await sql`
    update ${target(dataset)} t
    set ${sql.join(merge.take.map((column) => sql`${ident(column)} = s.${ident(column)}`))}
    from ${stage} s
    where t.release_id = ${releaseId} and ${keyJoin(dataset)}`.execute(tx.db);
}

export interface StagedDifference {
  /** keys loaded but absent from the stage */
  onlyLoaded: number;
  /** keys in the stage but not loaded */
  onlyStaged: number;
  /** rows with the same key and some different value */
  changedRows: number;
  /** per column, how many rows differ in it */
  fields: Record<string, number>;
}

/** How a staged copy of the same data (another format) differs from the loaded rows. */
export async function compareStaged(
  tx: Transaction,
  dataset: Dataset,
  releaseId: string,
  stageName: string,
  ignore: readonly string[],
  whitespaceInsensitive: readonly string[] = [],
): Promise<StagedDifference> {
  const stage = ident(stageTable(dataset, stageName));
  const compared = dataset.columns.filter((column) => !dataset.key.includes(column) && !ignore.includes(column));
  // Text the formats wrap differently is compared with every run of whitespace as one space.
  const side = (alias: 't' | 's', column: string) =>
    whitespaceInsensitive.includes(column)
      ? sql`btrim(regexp_replace(${sql.ref(`${alias}.${column}`)}, '[[:space:]]+', ' ', 'g'))`
      : sql.ref(`${alias}.${column}`);
  const differs = (column: string) => sql`${side('t', column)} is distinct from ${side('s', column)}`;
  const anyDiffers = compared.length ? sql.join(compared.map(differs), sql` or `) : sql`false`;
  const firstKey = ident(dataset.key[0]!);
  const perColumn = compared.map(
    (column) => sql`count(*) filter (where t.${firstKey} is not null and s.${firstKey} is not null and ${differs(column)}) as ${ident(`d_${column}`)}`,
  );
  const result = await sql<Record<string, string>>`
    select
      count(*) filter (where s.${firstKey} is null) as only_loaded,
      count(*) filter (where t.${firstKey} is null) as only_staged,
      count(*) filter (where t.${firstKey} is not null and s.${firstKey} is not null and (${anyDiffers})) as changed_rows
      ${perColumn.length ? sql`, ${sql.join(perColumn)}` : sql``}
    from (select * from ${target(dataset)} where release_id = ${releaseId}) t
    full join ${stage} s on ${keyJoin(dataset)}`.execute(tx.db);
  const row = result.rows[0] ?? {};
  const fields: Record<string, number> = {};
  for (const column of compared) {
    const count = Number(row[`d_${column}`] ?? 0);
    if (count > 0) fields[column] = count;
  }
  return {
    onlyLoaded: Number(row.only_loaded ?? 0),
    onlyStaged: Number(row.only_staged ?? 0),
    changedRows: Number(row.changed_rows ?? 0),
    fields,
  };
}
