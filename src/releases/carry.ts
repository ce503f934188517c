/**
 * Partial re-posts: a new revision whose source lacks some datasets of the revision it
 * supersedes (one file of a release imported on its own, a folder missing a member) carries
 * those datasets forward — their rows, files and counts copied from the superseded revision, in
 * the same transaction — so that `current_releases` never serves them from an older release.
 */
import { sql } from 'kysely';
import type { Transaction } from '../db/database.js';
import { InputError } from '../errors.js';
import type { Dataset } from '../pipeline.js';

export interface CarriedDataset {
  dataset: string;
  table: string;
  rows: number;
  /** the revision the rows were copied from */
  from: { code: string; revision: number };
}

export async function carryForward(
  tx: Transaction,
  datasets: readonly Dataset[],
  loaded: ReadonlySet<string>,
  from: { id: string; code: string; revision: number },
  to: string,
): Promise<CarriedDataset[]> {
  const previous = await tx.db
    .selectFrom('cms.release_datasets')
    .select(['dataset', 'row_count', 'carried_from'])
    .where('release_id', '=', from.id)
    .orderBy('dataset')
    .execute();
  const carried: CarriedDataset[] = [];
  for (const entry of previous) {
    if (loaded.has(entry.dataset)) continue;
    const dataset = datasets.find((candidate) => candidate.name === entry.dataset);
    if (!dataset) continue;
    const columns = sql.join(dataset.columns.map((column) => sql.ref(column)));
    const table = sql.table(`cms.${dataset.table}`);
    await sql`insert into ${table} (release_id, ${columns}) select ${to}, ${columns} from ${table} where release_id = ${from.id}`.execute(tx.db);
    await tx.db
      .insertInto('cms.release_datasets')
      .values({
        release_id: to,
        dataset: dataset.name,
        table_name: dataset.table,
        row_count: entry.row_count,
        // rows carried twice still name the release whose files they came from
        carried_from: entry.carried_from ?? from.id,
      })
      .execute();
    await sql`
      insert into cms.release_files (release_id, dataset, name, format, role, size_bytes, sha256, row_count)
      select ${to}, dataset, name, format, role, size_bytes, sha256, row_count
      from cms.release_files where release_id = ${from.id} and dataset = ${dataset.name}`.execute(tx.db);
    carried.push({ dataset: dataset.name, table: dataset.table, rows: entry.row_count, from: { code: from.code, revision: from.revision } });
  }
  return carried;
}

/**
 * A re-post must not load one file of a dataset that the revision it replaces loaded from two (a
 * main file and its companion: 2026's nonQPP and QPP PPRRVU files): the lone file's rows would
 * replace the merged ones without the other file's columns (its conversion factor), and every
 * amount priced from them would go blank. Refused, naming the file that is missing.
 */
export async function checkCompanionsKept(
  tx: Transaction,
  datasets: readonly Dataset[],
  loaded: readonly { dataset: string; files: readonly { name: string; role: string }[] }[],
  from: { id: string; code: string; revision: number },
): Promise<void> {
  for (const result of loaded) {
    const companion = datasets.find((candidate) => candidate.name === result.dataset)?.companion;
    if (!companion) continue;
    const roles = new Set(result.files.map((file) => file.role));
    const before = await tx.db
      .selectFrom('cms.release_files')
      .select(['name', 'role'])
      .where('release_id', '=', from.id)
      .where('dataset', '=', result.dataset)
      .execute();
    const missing = before.find((file) => !roles.has(file.role));
    if (!missing || roles.size === 0) continue;
    const lost = missing.role === companion.role ? companion.take : companion.ignore.filter((column) => !companion.take.includes(column));
    const replaced = `${from.code}${from.revision > 0 ? ` revision ${from.revision}` : ''}`;
    throw new InputError(
      `${result.dataset}: this re-post of ${from.code} holds only ${result.files.map((file) => file.name).join(', ')}; ` +
        `${replaced} was loaded with ${missing.name} too, whose ${lost.join(', ')} a lone file would drop`,
      {
        file: result.files[0]!.name,
        expected: `the ${result.dataset} files of ${from.code} imported together (the folder or zip that holds both)`,
      },
    );
  }
}
