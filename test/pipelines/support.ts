/**
 * Reading one fee-schedule member through its dataset, without a database: the rows (values and
 * line), the facts and warnings, or the InputError a bad file gets. Members come from the
 * fixtures (through the archive reader, as the engine opens them) or from edited bytes.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { expect } from 'vitest';
import { openArchive } from '../../src/archive/archive.js';
import { InputError } from '../../src/errors.js';
import type { Dataset, MemberFile, OutputRow, ReleaseFacts } from '../../src/pipeline.js';
import { memberFromBytes } from '../hcpcs/support.js';
import { replaceOnce } from '../support/fixtures.js';

/** A row's values and the line it came from. */
export type ReadRow = Record<string, OutputRow[string] | number>;

export interface Read {
  /** rows by the dataset's key (`hcpcs`, or `hcpcs|modifier`), with `line` */
  rows: Map<string, ReadRow>;
  order: string[];
  facts: ReleaseFacts;
  warnings: string[];
}

export async function readMember(dataset: Dataset, file: MemberFile): Promise<Read> {
  const facts: ReleaseFacts = {};
  const warnings: string[] = [];
  const rows = new Map<string, ReadRow>();
  const order: string[] = [];
  const ctx = { file, role: 'main', warn: (message: string) => void warnings.push(message), fact: (name: keyof ReleaseFacts, value: string) => void (facts[name] = value) };
  for await (const row of dataset.read(file, ctx)) {
    const key = dataset.key.map((column) => String(row.values[column])).join('|');
    rows.set(key, { ...row.values, line: row.line });
    order.push(key);
  }
  return { rows, order, facts, warnings };
}

/** The members of a fixture (a file, a folder or a zip), as the archive reader gives them. */
export async function fixtureMember(file: string, member?: string): Promise<MemberFile> {
  const archive = await openArchive(file);
  const found = member === undefined ? archive.members[0] : archive.members.find((candidate) => candidate.name === member);
  if (!found) throw new Error(`${file}: no member ${member ?? ''}`);
  return found;
}

/** A fixture file's text (latin1: every byte kept) edited, as a member of the same name. */
export async function editedMember(file: string, edit: (text: string) => string, name = path.basename(file)): Promise<MemberFile> {
  const text = (await readFile(file)).toString('latin1');
  return memberFromBytes(name, Buffer.from(edit(text), 'latin1'));
}

export function textMember(name: string, text: string): MemberFile {
  return memberFromBytes(name, Buffer.from(text, 'latin1'));
}

/** `edit` for editedMember: each [from, to] replaced once. */
export const replacing =
  (...pairs: [from: string | RegExp, to: string][]) =>
  (text: string): string =>
    pairs.reduce((edited, [from, to]) => replaceOnce(edited, from, to), text);

/** The InputError reading `file` fails with (the test fails if it reads). */
export async function refusal(dataset: Dataset, file: MemberFile): Promise<InputError> {
  const error = await readMember(dataset, file).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

/** An InputError's fields, for toEqual (message included: the one message expected). */
export function fields(error: InputError): Record<string, unknown> {
  return { file: error.file, line: error.line, column: error.column, value: error.value, problem: error.problem, expected: error.expected };
}

/** A workbook member with one of its parts edited (the sheet's XML, say), re-zipped. */
export async function editedWorkbook(file: string, part: string, edit: (xml: string) => string, name = path.basename(file)): Promise<MemberFile> {
  return memberFromBytes(name, await editedWorkbookBytes(file, part, edit));
}

export async function editedWorkbookBytes(file: string, part: string, edit: (xml: string) => string): Promise<Uint8Array> {
  const parts = unzipSync(new Uint8Array(await readFile(file)));
  if (!parts[part]) throw new Error(`${file}: no part ${part}`);
  parts[part] = strToU8(edit(strFromU8(parts[part])));
  return zipSync(parts);
}
