/**
 * `editorial import`: read every input, check it whole, then write it in one transaction. Nothing
 * is written when anything is refused. Upsert by default (entries absent from the inputs stay,
 * and so do the fields an input has no column for); `replace` retires the absent entries. Each changed entry becomes a new version in cms.editorial_version with
 * the releases and CMS descriptors current when it was written; unchanged content writes nothing
 * (text that differs only in CRLF against LF line breaks is unchanged, and stays as stored).
 */
import { userInfo } from 'node:os';
import { sql } from 'kysely';
import type { Database, Transaction } from '../db/database.js';
import { InputError } from '../errors.js';
import type { TextEncoding } from '../parse/encoding.js';
import { LIST_FIELDS, TEXT_FIELDS, contentHash, sameText, specialtyKey, type EntryContent, type InputEntry } from './fields.js';
import { readInputs } from './read/index.js';
import { raiseUnknownCodes, resolveItemsOf } from './review/items.js';
import {
  codesEverLoaded, currentCatalogReleases, currentEntries, descriptorsOf, editorialVersion, lastVersions, type StoredEntry,
} from './store.js';
import type { CatalogRules } from './rules.js';
import { toEntry } from './validate.js';

export interface EditorialImportOptions {
  /** retire the entries absent from the inputs (they stay in the history) */
  readonly replace?: boolean | undefined;
  /** accept codes no loaded release has carried (the review queue lists them) */
  readonly allowUnknownCodes?: boolean | undefined;
  /** of csv, json, jsonl and yaml files (xlsx carries its own); default utf-8 */
  readonly encoding?: TextEncoding | undefined;
  /** who imported (default: the OS user) */
  readonly by?: string | undefined;
}

export interface EditorialImportResult {
  status: 'changed' | 'unchanged';
  files: string[];
  /** files in the folders given that are not editorial inputs */
  skipped: string[];
  entries: number;
  created: string[];
  updated: string[];
  unchanged: number;
  retired: string[];
  /** codes accepted with allowUnknownCodes (each has an open unknown_code review item) */
  unknownCodes: string[];
  /** review items resolved by the new versions and retirements */
  resolvedItems: number;
  /** the newest editorial version after the import */
  editorialVersion: string | null;
}

/** How an entry is named in messages and results: the code, or `category hcpcs:A`. */
const label = (entry: { type: string; key: string }) => (entry.type === 'code' ? entry.key : `category ${entry.key}`);
const keyOf = (type: string, key: string) => `${type}:${key}`;

/** `rules`: what a code and a category look like (pipelines/catalog/, handed in by src/index.ts). */
export async function importEditorial(database: Database, rules: CatalogRules, paths: readonly string[], options: EditorialImportOptions = {}): Promise<EditorialImportResult> {
  const inputs = await readInputs(paths, options.encoding ?? 'utf-8');
  const read = inputs.records.map((record) => toEntry(record, rules));
  refuseDuplicates(read);
  const by = options.by ?? osUser();

  return database.transaction(async (tx) => {
    // One editorial import at a time: the version numbers and the specialty check need a stable view.
    await sql`select pg_advisory_xact_lock(hashtext('cms-ingest editorial import'))`.execute(tx.db);
    const stored = await currentEntries(tx.db);
    if (options.replace && read.length === 0 && stored.length > 0) refuseRetiringAll(inputs.files.length > 0 ? inputs.files : paths, stored.length);
    const current = new Map(stored.map((entry) => [keyOf(entry.entry_type, entry.entry_key), entry]));
    const entries = read.map((entry) => {
      const before = current.get(keyOf(entry.type, entry.key));
      return withStoredLineBreaks(withUndeclaredKept(entry, before), before);
    });
    const inputKeys = new Set(entries.map((entry) => keyOf(entry.type, entry.key)));
    const kept = options.replace ? [] : stored.filter((entry) => !inputKeys.has(keyOf(entry.entry_type, entry.entry_key)));
    refuseSpecialtyVariants(entries, kept);

    const codes = entries.filter((entry) => entry.type === 'code').map((entry) => entry.key);
    const known = await codesEverLoaded(tx.db, codes);
    const unknown = entries.filter((entry) => entry.type === 'code' && !known.has(entry.key));
    if (unknown.length > 0 && !options.allowUnknownCodes) {
      const first = unknown[0]!;
      throw new InputError(`code ${first.key} is in no loaded release${unknown.length > 1 ? ` (nor are ${unknown.length - 1} more codes of the inputs)` : ''}`, {
        file: first.file,
        line: first.line,
        column: first.columns.get('code')?.column ?? 'code',
        value: first.key,
        expected: 'a code of a loaded PFS or HCPCS release (load the release first, or pass --allow-unknown-codes to accept it and list it in the review queue)',
      });
    }

    const changed = entries.filter((entry) => current.get(keyOf(entry.type, entry.key))?.content_hash !== contentHash(entry.content));
    const retiring = options.replace ? stored.filter((entry) => !inputKeys.has(keyOf(entry.entry_type, entry.entry_key))) : [];
    const result: EditorialImportResult = {
      status: changed.length + retiring.length > 0 ? 'changed' : 'unchanged',
      files: inputs.files,
      skipped: inputs.skipped,
      entries: entries.length,
      created: changed.filter((entry) => !current.has(keyOf(entry.type, entry.key))).map(label),
      updated: changed.filter((entry) => current.has(keyOf(entry.type, entry.key))).map(label),
      unchanged: entries.length - changed.length,
      retired: retiring.map((entry) => label({ type: entry.entry_type, key: entry.entry_key })),
      unknownCodes: unknown.map((entry) => entry.key),
      resolvedItems: 0,
      editorialVersion: null,
    };
    if (result.status === 'unchanged') {
      result.editorialVersion = await editorialVersion(tx.db);
      return result;
    }

    const versions = await writeVersions(tx, changed, current, by);
    await retire(tx, retiring, by, paths);
    const unknownSet = new Set(result.unknownCodes);
    result.resolvedItems =
      (await resolveItemsOf(tx.db, changed.filter((entry) => entry.type === 'code').map((entry) => ({ code: entry.key, versionId: versions.get(entry.key)! })), 'reimported', by)) +
      (await resolveItemsOf(tx.db, retiring.filter((entry) => entry.entry_type === 'code').map((entry) => ({ code: entry.entry_key, versionId: null })), 'retired', by));
    await raiseUnknownCodes(
      tx.db,
      changed.filter((entry) => entry.type === 'code' && unknownSet.has(entry.key)).map((entry) => ({ code: entry.key, versionId: versions.get(entry.key)!, file: entry.file, line: entry.line })),
    );
    result.editorialVersion = await editorialVersion(tx.db);
    return result;
  });
}

/**
 * A field the input does not carry (no such column in its csv or xlsx, no such key in its json or
 * yaml) keeps the entry's current value: a sheet of codes and plain-language lines updates those
 * lines, not the titles and synonyms beside them. An empty cell, or null, clears the field.
 */
function withUndeclaredKept(entry: InputEntry, current: StoredEntry | undefined): InputEntry {
  if (!current) return entry;
  const content: EntryContent = { ...entry.content };
  for (const name of TEXT_FIELDS) if (!entry.columns.has(name)) content[name] = current[name];
  for (const name of LIST_FIELDS) if (!entry.columns.has(name)) content[name] = current[name];
  return { ...entry, content };
}

/**
 * A value that differs from the entry's current one only in its line breaks (CRLF for LF, or the
 * reverse) is the current value, kept as stored: an export read back through a workbook (SheetJS
 * reads a cell's CRLF as LF), or a csv whose line breaks an editor or git turned into CRLF, is
 * not a change, and a version written for another field keeps this one's text as it was written.
 */
function withStoredLineBreaks(entry: InputEntry, current: StoredEntry | undefined): InputEntry {
  if (!current) return entry;
  const content: EntryContent = { ...entry.content };
  for (const name of TEXT_FIELDS) {
    const value = content[name];
    const stored = current[name];
    if (value !== null && stored !== null && sameText(value, stored)) content[name] = stored;
  }
  for (const name of LIST_FIELDS) {
    const items = content[name];
    const stored = current[name];
    if (items.length === stored.length && items.every((item, index) => sameText(item, stored[index]!))) content[name] = stored;
  }
  return { ...entry, content };
}

/** Insert a version per changed entry and upsert the entry; returns code → version id (codes only). */
async function writeVersions(tx: Transaction, changed: readonly InputEntry[], stored: ReadonlyMap<string, StoredEntry>, by: string): Promise<Map<string, string>> {
  const releases = await currentCatalogReleases(tx.db);
  const descriptors = await descriptorsOf(tx.db, releases, changed.filter((entry) => entry.type === 'code').map((entry) => entry.key));
  const last = await lastVersions(tx.db);
  const ids = new Map<string, string>();
  for (const chunk of chunks(changed, 500)) {
    const rows = chunk.map((entry) => {
      const against = entry.type === 'code' ? descriptors.get(entry.key) : undefined;
      return {
        entry_type: entry.type,
        entry_key: entry.key,
        version: (last.get(keyOf(entry.type, entry.key)) ?? 0) + 1,
        change: stored.has(keyOf(entry.type, entry.key)) ? ('updated' as const) : ('created' as const),
        content: JSON.stringify(entry.content),
        content_hash: contentHash(entry.content),
        source_file: entry.file,
        source_line: entry.line,
        imported_by: by,
        pfs_release_id: entry.type === 'code' ? releases.pfs : null,
        hcpcs_release_id: entry.type === 'code' ? releases.hcpcs : null,
        pfs_description: against?.pfs_description ?? null,
        pfs_status_code: against?.pfs_status_code ?? null,
        hcpcs_long_description: against?.hcpcs_long_description ?? null,
        hcpcs_short_description: against?.hcpcs_short_description ?? null,
      };
    });
    const inserted = await tx.db
      .insertInto('cms.editorial_version')
      .values(rows)
      .returning(['id', 'entry_type', 'entry_key', 'version', 'content_hash'])
      .execute();
    const byKey = new Map(inserted.map((row) => [keyOf(row.entry_type, row.entry_key), row]));
    await tx.db
      .insertInto('cms.editorial_entry')
      .values(
        chunk.map((entry) => {
          const version = byKey.get(keyOf(entry.type, entry.key))!;
          if (entry.type === 'code') ids.set(entry.key, version.id);
          return {
            entry_type: entry.type,
            entry_key: entry.key,
            ...contentColumns(entry.content),
            version: version.version,
            version_id: version.id,
            content_hash: version.content_hash!,
            updated_at: sql<Date>`now()`, // the transaction's time: the version's imported_at
          };
        }),
      )
      .onConflict((conflict) =>
        conflict.columns(['entry_type', 'entry_key']).doUpdateSet((eb) => ({
          title: eb.ref('excluded.title'),
          summary: eb.ref('excluded.summary'),
          synonyms: eb.ref('excluded.synonyms'),
          plain_language: eb.ref('excluded.plain_language'),
          clinical_context: eb.ref('excluded.clinical_context'),
          specialties: eb.ref('excluded.specialties'),
          billing_notes: eb.ref('excluded.billing_notes'),
          notes: eb.ref('excluded.notes'),
          version: eb.ref('excluded.version'),
          version_id: eb.ref('excluded.version_id'),
          content_hash: eb.ref('excluded.content_hash'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
  return ids;
}

/** Retired entries leave cms.editorial_entry; their history keeps a `retired` version. */
async function retire(tx: Transaction, retiring: readonly StoredEntry[], by: string, paths: readonly string[]): Promise<void> {
  if (retiring.length === 0) return;
  const source = `--replace ${paths.join(' ')}`;
  for (const chunk of chunks(retiring, 500)) {
    await tx.db
      .insertInto('cms.editorial_version')
      .values(
        chunk.map((entry) => ({
          entry_type: entry.entry_type,
          entry_key: entry.entry_key,
          version: entry.version + 1,
          change: 'retired' as const,
          content: null,
          content_hash: null,
          source_file: source,
          source_line: null,
          imported_by: by,
        })),
      )
      .execute();
    for (const type of ['code', 'category'] as const) {
      const keys = chunk.filter((entry) => entry.entry_type === type).map((entry) => entry.entry_key);
      if (keys.length === 0) continue;
      await tx.db
        .deleteFrom('cms.editorial_entry')
        .where('entry_type', '=', type)
        .where(sql<boolean>`entry_key = any(${keys}::text[])`)
        .execute();
    }
  }
}

function contentColumns(content: EntryContent) {
  return {
    title: content.title,
    summary: content.summary,
    synonyms: content.synonyms,
    plain_language: content.plain_language,
    clinical_context: content.clinical_context,
    specialties: content.specialties,
    billing_notes: content.billing_notes,
    notes: content.notes,
  };
}

/**
 * `--replace` with inputs that hold no entry (a csv of only its header, `[]`, a folder of none)
 * would retire every entry: an empty file becoming the whole of the content. Refused; there is no
 * option that retires everything.
 */
function refuseRetiringAll(files: readonly string[], stored: number): never {
  throw new InputError(`--replace with no entries in the input${files.length === 1 ? '' : 's'} would retire all ${stored} entr${stored === 1 ? 'y' : 'ies'}`, {
    file: files.join(', '),
    expected:
      'inputs with the entries to keep (--replace retires only the entries absent from them); ' +
      'there is no option to retire every entry, so an import never does',
  });
}

/** The same code (or category) twice across the inputs: both places are named. */
function refuseDuplicates(entries: readonly InputEntry[]): void {
  const first = new Map<string, InputEntry>();
  for (const entry of entries) {
    const key = keyOf(entry.type, entry.key);
    const before = first.get(key);
    if (before) {
      throw new InputError(`${label(entry)} appears twice: here and in ${before.file}, line ${before.line}`, {
        file: entry.file,
        line: entry.line,
        column: entry.columns.get(entry.type)?.column ?? entry.type,
        value: entry.key,
        expected: 'one entry per code and per category across all inputs',
      });
    }
    first.set(key, entry);
  }
}

/**
 * A specialty spelled two ways (`Nuclear medicine` and `Nuclear Medicine`) would split a code
 * reference's specialty pages: refused, naming both. Compared across the inputs and the entries
 * that stay as they are.
 */
function refuseSpecialtyVariants(entries: readonly InputEntry[], kept: readonly StoredEntry[]): void {
  const spellings = new Map<string, { name: string; where: string }>();
  for (const entry of kept) {
    for (const name of entry.specialties) {
      if (!spellings.has(specialtyKey(name))) spellings.set(specialtyKey(name), { name, where: `the entry of ${label({ type: entry.entry_type, key: entry.entry_key })}` });
    }
  }
  for (const entry of entries) {
    for (const name of entry.content.specialties) {
      const key = specialtyKey(name);
      const before = spellings.get(key);
      if (before && before.name !== name) {
        const column = entry.columns.get('specialties');
        throw new InputError(`specialty "${name}" differs only in case or spacing from "${before.name}" in ${before.where}`, {
          file: entry.file,
          line: column?.line ?? entry.line,
          column: column?.column ?? 'specialties',
          value: name,
          expected: `one spelling of each specialty ("${before.name}")`,
        });
      }
      if (!before) spellings.set(key, { name, where: `${entry.file}, line ${entry.line}` });
    }
  }
}

function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let start = 0; start < items.length; start += size) yield items.slice(start, start + size);
}

/** The OS user, for `imported_by` and `resolved_by` when none is given. */
export function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}
