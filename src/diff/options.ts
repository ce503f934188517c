/**
 * What a caller may ask of a diff, checked against the dataset before any SQL runs: a wrong
 * dataset, field, change kind or delta is a UsageError that says what is accepted.
 */
import { UsageError } from '../errors.js';
import type { Dataset, Family } from '../pipeline.js';
import { isHcpcsCode, normalizeDecimal } from '../parse/values.js';
import type { DiffPlan } from './plan.js';
import type { ChangeFilters } from './queries/changes.js';
import { CHANGE_KINDS, type ChangeKind } from './types.js';

export interface DiffOptions {
  /** a dataset of the family by name (`gpci`), table (`pfs_gpci`) or alias (`locality`); default: the family's first */
  readonly dataset?: string | undefined;
  /** the family `latest` and `previous` refer to, when neither reference names a code */
  readonly family?: string | undefined;
  /** only these codes (values of the dataset's code column, any case) */
  readonly codes?: readonly string[] | undefined;
  /** only these compared columns */
  readonly fields?: readonly string[] | undefined;
  /** only these kinds of change */
  readonly changes?: readonly string[] | undefined;
  /** only numeric fields whose absolute change is at least this decimal */
  readonly minDelta?: string | undefined;
  /** how many of the largest moves the summary lists (default 10, at most 1000); text from a command line is checked here */
  readonly moves?: number | string | undefined;
}

/** The most largest moves a summary lists. */
export const MAX_MOVES = 1000;

/** `moves` as a count: a whole number from 0 to MAX_MOVES, else a UsageError naming --moves. */
export function movesOption(value: number | string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const text = typeof value === 'number' ? String(value) : value.trim();
  if (!/^\d+$/.test(text) || Number(text) > MAX_MOVES) {
    throw new UsageError(`--moves must be a whole number from 0 to ${MAX_MOVES}, not ${JSON.stringify(typeof value === 'number' ? String(value) : value)}`);
  }
  return Number(text);
}

/** The dataset a diff compares: by name, table or alias; the family's first (main) dataset by default. */
export function chooseDataset(family: Family, requested: string | undefined): Dataset {
  if (requested === undefined) return family.datasets[0]!;
  const wanted = requested.trim().toLowerCase();
  const found = family.datasets.find(
    (dataset) => dataset.name === wanted || dataset.table === wanted || (dataset.diff?.aliases ?? []).includes(wanted),
  );
  if (found) return found;
  const names = family.datasets.map((dataset) => [dataset.name, ...(dataset.diff?.aliases ?? [])].join(' or ')).join(', ');
  throw new UsageError(`--dataset ${requested}: ${family.name} datasets are ${names}`);
}

export function changeFilters(plan: DiffPlan, options: DiffOptions): ChangeFilters {
  const filters: { -readonly [K in keyof ChangeFilters]: ChangeFilters[K] } = {};
  if (options.codes !== undefined && options.codes.length > 0) {
    filters.codes = [...new Set(options.codes.map((code) => code.trim().toUpperCase()).filter((code) => code !== ''))];
    // `--code 99213x` would match nothing and read as "no changes". Datasets keyed otherwise
    // (GPCI by state, ANES by MAC, HCPCS modifiers) take their own key's values, unchecked.
    const bad = plan.codeColumn === 'hcpcs' ? filters.codes.find((code) => !isHcpcsCode(code)) : undefined;
    if (bad !== undefined) {
      const given = options.codes.find((code) => code.trim().toUpperCase() === bad) ?? bad;
      throw new UsageError(`--code must be an HCPCS/CPT code (5 letters or digits, such as 99213 or G0008), not ${JSON.stringify(given)}`);
    }
  }
  if (options.fields !== undefined && options.fields.length > 0) {
    const known = new Set([...plan.compared.map((column) => column.name), ...plan.notCompared]);
    const releaseWide = new Set(plan.releaseValues.map(([name]) => name));
    for (const field of options.fields) {
      if (releaseWide.has(field)) throw new UsageError(`--field ${field}: it is one value for the whole release, reported in the summary`);
      if (!known.has(field)) {
        throw new UsageError(`--field ${field}: not a compared field of ${plan.dataset.table}; fields are ${plan.compared.map((column) => column.name).join(', ')}`);
      }
    }
    filters.fields = [...new Set(options.fields)];
  }
  if (options.changes !== undefined && options.changes.length > 0) {
    const bad = options.changes.filter((change) => !(CHANGE_KINDS as readonly string[]).includes(change));
    if (bad.length > 0) throw new UsageError(`--change ${bad.join(', ')}: expected ${CHANGE_KINDS.join(', ')}`);
    filters.changes = [...new Set(options.changes as ChangeKind[])];
  }
  if (options.minDelta !== undefined) {
    const delta = normalizeDecimal(options.minDelta);
    if (delta === null || delta.startsWith('-')) throw new UsageError(`--min-delta ${options.minDelta}: expected a decimal of 0 or more, such as 0.1`);
    filters.minDelta = delta;
  }
  return filters;
}

