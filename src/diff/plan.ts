/**
 * What to compare for one dataset and one pair of releases: the dataset's diff declaration
 * (pipelines/, `Dataset.diff`) checked against the table's real columns, with layout-only columns
 * left out when one of the two releases lacks them. Nothing here names a CMS column.
 */
import type { Kysely } from 'kysely';
import type { Schema } from '../db/schema.js';
import type { Dataset, DiffCondition, DiffSpec } from '../pipeline.js';
import { tableColumns, type TableColumn } from './queries/column-types.js';
import { releaseColumnFacts } from './queries/release-columns.js';
import type { ValueChange } from './types.js';

export interface DiffColumn {
  readonly name: string;
  /** exact `numeric`: `--min-delta` and the largest moves apply */
  readonly numeric: boolean;
}

export interface DiffPlan {
  readonly dataset: Dataset;
  /** schema-qualified table, `cms.pfs_rvu` */
  readonly table: string;
  readonly key: readonly string[];
  /** every key column is text (the change feed builds `key` from text arrays then) */
  readonly textKey: boolean;
  /** compared columns, in table order */
  readonly compared: readonly DiffColumn[];
  /** layout-only columns left out because one release lacks them */
  readonly notCompared: readonly string[];
  /** release-wide columns and their value in each release */
  readonly releaseValues: readonly (readonly [string, ValueChange])[];
  readonly moves: readonly string[];
  readonly label: string | null;
  readonly codeColumn: string;
  readonly feed: { readonly hcpcs?: string; readonly modifier?: string };
  readonly categories: NonNullable<DiffSpec['categories']>;
  readonly reconcile: DiffSpec['reconcile'];
  /** text columns compared with runs of whitespace as one space (DiffSpec.whitespaceInsensitive) */
  readonly whitespaceInsensitive: ReadonlySet<string>;
}

const SCHEMA = 'cms';

export interface PlanOptions {
  /** the table's columns, when the caller read them already (tablesColumns: one round trip for several tables) */
  readonly columns?: readonly TableColumn[] | undefined;
  /** read the release-wide columns' values (default true; the change feed does not report them, so it skips that scan) */
  readonly releaseValues?: boolean | undefined;
}

/** The schema-qualified table of a dataset (`cms.pfs_rvu`). */
export const planTable = (dataset: Dataset): string => `${SCHEMA}.${dataset.table}`;

export async function planDiff(db: Kysely<Schema>, dataset: Dataset, fromId: string, toId: string, options: PlanOptions = {}): Promise<DiffPlan> {
  const spec: DiffSpec = dataset.diff ?? {};
  const table = planTable(dataset);
  const columns = options.columns ?? (await tableColumns(db, table));
  const types = new Map(columns.map((column) => [column.name, column.type]));
  if (types.size === 0) throw new Error(`table ${SCHEMA}.${dataset.table} of dataset ${dataset.name} does not exist`);
  checkDeclared(dataset, spec, types);

  const releaseWide = spec.summary ?? [];
  const layoutOnly = spec.layoutOnly ?? [];
  const ids = [...new Set([fromId, toId])];
  const facts = await releaseColumnFacts(db, table, ids, { values: options.releaseValues === false ? [] : releaseWide, presence: layoutOnly });
  const [from, to] = [facts.get(fromId)!, facts.get(toId)!];

  const notCompared = layoutOnly.filter((column) => !(from.present[column] && to.present[column]));
  const skip = new Set(['release_id', ...dataset.key, ...releaseWide, ...(spec.ignore ?? []), ...notCompared]);
  const compared = columns
    .filter((column) => !skip.has(column.name))
    .map((column) => ({ name: column.name, numeric: column.type === 'numeric' }));

  return {
    dataset,
    table,
    key: dataset.key,
    textKey: dataset.key.every((column) => types.get(column) === 'text'),
    compared,
    notCompared,
    releaseValues: releaseWide.map((column) => [column, { from: oneValue(from.values[column]), to: oneValue(to.values[column]) }] as const),
    moves: (spec.moves ?? []).filter((column) => compared.some((candidate) => candidate.name === column)),
    label: spec.labelColumn ?? null,
    codeColumn: spec.codeColumn ?? dataset.key[0]!,
    feed: spec.feed ?? {},
    categories: spec.categories ?? [],
    reconcile: spec.reconcile,
    whitespaceInsensitive: new Set(spec.whitespaceInsensitive ?? []),
  };
}

/** One value per release is the rule; if rows disagree, all of them (sorted). */
function oneValue(values: string[] | undefined): ValueChange['from'] {
  if (values === undefined || values.length === 0) return null;
  return values.length === 1 ? values[0]! : values;
}

/** A declaration naming a column the table does not have is a bug in pipelines/: fail loudly. */
function checkDeclared(dataset: Dataset, spec: DiffSpec, types: ReadonlyMap<string, string>): void {
  const conditionColumns = (conditions: readonly DiffCondition[]) =>
    conditions.flatMap((condition) => ('anyOf' in condition ? condition.anyOf : 'set' in condition ? [condition.set] : 'cleared' in condition ? [condition.cleared] : []));
  const named = [
    ...(spec.summary ?? []),
    ...(spec.ignore ?? []),
    ...(spec.layoutOnly ?? []),
    ...(spec.moves ?? []),
    ...[spec.labelColumn, spec.codeColumn, spec.feed?.hcpcs, spec.feed?.modifier].filter((column): column is string => column !== undefined),
    ...(spec.categories ?? []).flatMap((category) => conditionColumns(category.when)),
    ...(spec.reconcile ? [spec.reconcile.column, ...Object.values(spec.reconcile.rules).flatMap((rule) => conditionColumns(rule.when))] : []),
  ];
  const unknown = named.filter((column) => !types.has(column));
  if (unknown.length > 0) {
    throw new Error(`dataset ${dataset.name}: its diff declaration names ${unknown.join(', ')}, not columns of ${SCHEMA}.${dataset.table}`);
  }
  const notNumeric = (spec.moves ?? []).filter((column) => types.get(column) !== 'numeric');
  if (notNumeric.length > 0) throw new Error(`dataset ${dataset.name}: moves ${notNumeric.join(', ')} are not numeric columns`);
  for (const column of [spec.codeColumn, spec.feed?.hcpcs, spec.feed?.modifier]) {
    if (column !== undefined && !dataset.key.includes(column)) throw new Error(`dataset ${dataset.name}: ${column} is not a key column`);
  }
}
