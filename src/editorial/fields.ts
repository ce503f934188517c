/**
 * The editorial fields: what an entry holds, how each is written in each input format, and the
 * content hash that tells a new version from an unchanged one.
 */
import { createHash } from 'node:crypto';

/** Free text, one value (an empty value is none). */
export const TEXT_FIELDS = ['title', 'summary', 'plain_language', 'clinical_context', 'billing_notes', 'notes'] as const;
/** Lists: a `;`-separated cell in csv/xlsx, an array in json/yaml. */
export const LIST_FIELDS = ['synonyms', 'specialties'] as const;
/** The fields a category entry may carry (the rest are per code). */
export const CATEGORY_FIELDS: ReadonlySet<string> = new Set(['billing_notes', 'notes']);

export type TextField = (typeof TEXT_FIELDS)[number];
export type ListField = (typeof LIST_FIELDS)[number];

/** Columns of the import (and export) layout, in order. */
export const COLUMNS = [
  'code', 'category', 'title', 'summary', 'synonyms', 'plain_language', 'clinical_context', 'specialties', 'billing_notes', 'notes',
] as const;
export const KNOWN_FIELDS: ReadonlySet<string> = new Set(COLUMNS);

export const LIST_SEPARATOR = ';';

export type EntryType = 'code' | 'category';

/** The content of an entry: every field, none missing (absent text is null, an absent list []). */
export interface EntryContent {
  title: string | null;
  summary: string | null;
  synonyms: string[];
  plain_language: string | null;
  clinical_context: string | null;
  specialties: string[];
  billing_notes: string | null;
  notes: string | null;
}

/** An entry read from an input, validated, with where it was read. */
export interface InputEntry {
  readonly type: EntryType;
  /** the code, or the category id */
  readonly key: string;
  readonly content: EntryContent;
  readonly file: string;
  readonly line: number;
  /** field → the column (csv/xlsx header, or json/yaml key) and line it was read from */
  readonly columns: ReadonlyMap<string, { column: string; line: number }>;
}

export function emptyContent(): EntryContent {
  return {
    title: null, summary: null, synonyms: [], plain_language: null, clinical_context: null, specialties: [], billing_notes: null, notes: null,
  };
}

/** sha256 of the content in a fixed field order: equal content, equal hash, whatever the input format. */
export function contentHash(content: EntryContent): string {
  const canonical = [
    content.title, content.summary, content.synonyms, content.plain_language, content.clinical_context, content.specialties,
    content.billing_notes, content.notes,
  ];
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

/**
 * Whether two texts are the same but for their line breaks (CRLF where the other has LF). Text is
 * stored as written; line breaks are made alike only to compare: SheetJS reads an xlsx cell's
 * CRLF as LF, and a csv edited on Windows can turn LF into CRLF, without anyone editing the text.
 */
export function sameText(a: string, b: string): boolean {
  return a === b || a.replace(/\r\n/g, '\n') === b.replace(/\r\n/g, '\n');
}

/** The comparison form of a specialty: case and spacing do not make a different specialty. */
export function specialtyKey(name: string): string {
  return name.replace(/\s+/g, '').toLowerCase();
}
