/**
 * Load one dataset of a release inside the release's transaction: stream each file's rows
 * through the key check into a bulk COPY, merge a companion file, cross-check other formats.
 */
import type { Transaction } from '../db/database.js';
import { InputError, errorMessage, formatPlace } from '../errors.js';
import { batchesOf, type AppliedErratum, type Dataset, type MemberFile, type ParseContext, type ReleaseFacts, type SourceRow } from '../pipeline.js';
import { KeyIndex, describeKey } from './keys.js';
import { rowEncoder } from '../db/copy-format.js';
import type { InFlight } from '../db/in-flight.js';
import { readAhead } from '../db/read-ahead.js';
import type { DatasetPlan, FilePlan } from './plan.js';
import { recordDataset, recordFile } from './store.js';
import { compareStaged, mergeCompanion, stageRows } from './staging.js';

export interface LoadReporter {
  warn(message: string): void;
  fact<K extends keyof ReleaseFacts>(name: K, value: NonNullable<ReleaseFacts[K]>, file: string): void;
  /** rows read so far from a file, for progress display */
  progress?(dataset: string, file: string, rows: number): void;
  /** aborts the load (SIGTERM): the transaction rolls back */
  signal?: AbortSignal | undefined;
  /** the release code, for the errata declared for it */
  release?: string | undefined;
  /** a declared erratum was applied to a row of `dataset` */
  corrected?(dataset: string, applied: AppliedErratum): void;
}

export interface DatasetLoadResult {
  dataset: string;
  table: string;
  rows: number;
  files: { name: string; format: string; role: string; rows: number }[];
}

/**
 * With `inFlight`, a dataset of one file (no companion, no other format to compare) returns once
 * its file is read, not once the database has stored it: its COPY (fed from at most
 * READ_AHEAD_BYTES read ahead of it) and its bookkeeping join `inFlight`, so the next file is
 * read while the server works. Errors are the same, in the same order.
 */
export async function loadDataset(
  tx: Transaction,
  releaseId: string,
  plan: DatasetPlan,
  reporter: LoadReporter,
  inFlight?: InFlight,
): Promise<DatasetLoadResult> {
  if (inFlight && plan.files.length === 1 && plan.files[0]!.crossCheck.length === 0) {
    return sendDataset(tx, releaseId, plan.dataset, plan.files[0]!, reporter, inFlight);
  }
  // This one awaits each of its statements: the ones sent before it go first.
  await inFlight?.settle();
  const { dataset } = plan;
  const table = `cms.${dataset.table}`;
  const columns = ['release_id', ...dataset.columns];
  const files: DatasetLoadResult['files'] = [];
  let loaded = 0;

  for (const [index, file] of plan.files.entries()) {
    reporter.signal?.throwIfAborted();
    const asMain = index === 0;
    const counter = { rows: 0 };
    if (asMain) await tx.copyText(table, columns, keyedText(dataset, file, reporter, releaseId, false, counter));
    else await stageRows(tx, dataset, 'companion', keyedText(dataset, file, reporter, releaseId, true, counter));
    const count = counter.rows;
    if (asMain) loaded = count;
    else await mergeCompanion(tx, dataset, releaseId, plan.files[0]!.member.path, file.member.path);
    files.push({ name: file.member.path, format: file.member.format, role: file.role, rows: count });
    await recordFile(tx.db, {
      release_id: releaseId,
      dataset: dataset.name,
      name: file.member.path,
      format: file.member.format,
      role: file.role,
      size_bytes: file.member.size,
      sha256: await file.member.sha256(),
      row_count: count,
    });
    for (const other of file.crossCheck) {
      await crossCheck(tx, dataset, releaseId, file, other, reporter);
    }
  }

  await recordDataset(tx.db, { release_id: releaseId, dataset: dataset.name, table_name: dataset.table, row_count: loaded });
  return { dataset: dataset.name, table: dataset.table, rows: loaded, files };
}

/** COPY text read ahead of its COPY, at most (see read-ahead.ts). */
const READ_AHEAD_BYTES = 4 << 20;

async function sendDataset(
  tx: Transaction,
  releaseId: string,
  dataset: Dataset,
  file: FilePlan,
  reporter: LoadReporter,
  inFlight: InFlight,
): Promise<DatasetLoadResult> {
  reporter.signal?.throwIfAborted();
  const counter = { rows: 0 };
  const text = readAhead(keyedText(dataset, file, reporter, releaseId, false, counter), READ_AHEAD_BYTES, inFlight.failed);
  const columns = ['release_id', ...dataset.columns];
  inFlight.add(() => tx.copyText(`cms.${dataset.table}`, columns, text));
  await text.done;
  const count = counter.rows;
  const member = file.member;
  const sha256 = await member.sha256();
  inFlight.add(() =>
    recordFile(tx.db, {
      release_id: releaseId,
      dataset: dataset.name,
      name: member.path,
      format: member.format,
      role: file.role,
      size_bytes: member.size,
      sha256,
      row_count: count,
    }),
  );
  inFlight.add(() => recordDataset(tx.db, { release_id: releaseId, dataset: dataset.name, table_name: dataset.table, row_count: count }));
  return { dataset: dataset.name, table: dataset.table, rows: count, files: [{ name: member.path, format: member.format, role: file.role, rows: count }] };
}

/** The least COPY text keyedText hands on at a time (but for a file's last lines), in characters. */
const CHUNK_CHARS = 64 << 10;

/**
 * A file's rows as COPY text, in strings of CHUNK_CHARS characters or more (the last may be
 * shorter): release_id first, then the dataset's columns, then the source line when staging for
 * a comparison. Each row's key is checked: a repeated key fails with both lines, or
 * (collapse-identical) an identical repeat is dropped with a warning. `counter` counts the rows
 * in the text. Errors that are not about the content name the file they came from.
 */
export async function* keyedText(
  dataset: Dataset,
  file: FilePlan,
  reporter: LoadReporter,
  releaseId: string,
  withLine: boolean,
  counter: { rows: number },
): AsyncGenerator<string> {
  const member = file.member;
  const ctx: ParseContext = {
    file: member,
    role: file.role,
    release: reporter.release,
    warn: (message, where) => reporter.warn(`${formatPlace({ file: member.path, ...where })}: ${message}`),
    fact: (name, value) => reporter.fact(name, value, member.path),
    corrected: (applied) => reporter.corrected?.(dataset.name, applied),
  };
  if (member.size === 0) {
    throw new InputError('empty file (0 bytes)', { file: member.path, expected: `the ${dataset.name} data CMS publishes in this file` });
  }
  const keys = new KeyIndex(dataset);
  const encode = rowEncoder(dataset.columns);
  let count = 0;
  // Lines wait here until there are enough of them to be worth a write: a reader that yields one
  // row at a time (HCPCS's) would otherwise cost two socket writes per row.
  let lines: string[] = [];
  let chars = 0;
  const batches = batchesOf(dataset.read(member, ctx))[Symbol.asyncIterator]();
  for (;;) {
    let next: IteratorResult<readonly SourceRow[]>;
    try {
      next = await batches.next();
    } catch (error) {
      if (error instanceof InputError) throw error;
      throw new InputError(`cannot read the file: ${errorMessage(error)}`, { file: member.path });
    }
    if (next.done) break;
    for (const { line, values } of next.value) {
      const first = keys.add(values, line);
      if (first !== undefined) {
        const keyText = describeKey(dataset.key, values);
        if (dataset.onDuplicate === 'collapse-identical' && keys.sameAs(values)) {
          reporter.warn(`${member.path}, line ${line}: repeats line ${first} (${keyText}); identical rows kept once`);
          continue;
        }
        throw new InputError(`duplicate key ${keyText}`, {
          file: member.path,
          line,
          column: dataset.key.join(', '),
          value: dataset.key.map((column) => String(values[column] ?? '')).join(' '),
          expected: `one row per ${dataset.key.join(' + ')}; line ${first} has the same key${
            dataset.onDuplicate === 'collapse-identical' ? ' with different values' : ''
          }`,
        });
      }
      count++;
      if (count % 1000 === 0) reporter.signal?.throwIfAborted();
      if (count % 5000 === 0) reporter.progress?.(dataset.name, member.path, count);
      const text = encode(releaseId, values, withLine ? String(line) : undefined);
      lines.push(text);
      chars += text.length;
    }
    counter.rows = count;
    if (chars >= CHUNK_CHARS) {
      yield lines.join('');
      lines = [];
      chars = 0;
    }
  }
  if (lines.length > 0) yield lines.join('');
  // A file without rows would empty the current data of its dataset: never a valid release.
  if (count === 0) throw new InputError(`no data rows for ${dataset.name}`, { file: member.path, expected: 'at least one data row' });
  reporter.progress?.(dataset.name, member.path, count);
}

async function crossCheck(
  tx: Transaction,
  dataset: Dataset,
  releaseId: string,
  loaded: FilePlan,
  other: MemberFile,
  reporter: LoadReporter,
): Promise<void> {
  // The other format is evidence, not data: if it cannot be read, say so and go on.
  const stage = `cross_${other.format}`;
  try {
    const text = keyedText(dataset, { member: other, role: loaded.role, crossCheck: [] }, silentFor(reporter), releaseId, true, { rows: 0 });
    await stageRows(tx, dataset, stage, text);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    reporter.warn(`${other.path} was not compared with ${loaded.member.path}: ${error.message}`);
    return;
  }
  const difference = await compareStaged(tx, dataset, releaseId, stage, dataset.crossCheck?.ignore ?? [], dataset.crossCheck?.whitespaceInsensitive);
  if (difference.onlyLoaded + difference.onlyStaged + difference.changedRows === 0) return;
  const fields = Object.entries(difference.fields)
    .map(([field, count]) => `${field} ${count}`)
    .join(', ');
  reporter.warn(
    `${other.path} disagrees with ${loaded.member.path} (loaded): ${difference.onlyStaged} keys only in ${other.format}, ` +
      `${difference.onlyLoaded} only in ${loaded.member.format}, ${difference.changedRows} rows differ${fields ? ` (${fields})` : ''}`,
  );
}

/** A reporter for files read only for comparison: their facts, warnings and errata are not the release's. */
const silentFor = (reporter: LoadReporter): LoadReporter => ({ warn: () => undefined, fact: () => undefined, release: reporter.release });
