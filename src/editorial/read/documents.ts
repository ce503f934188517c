/**
 * Editorial json, jsonl and yaml: a list of entries, each an object of field → value; lists are
 * arrays. YAML is read with the failsafe schema, so every scalar is text as written (`00100`
 * stays `00100`, `yes` stays `yes`); json must be valid JSON (checked with JSON.parse) and is then
 * read through the same parser for its line numbers. A json number where text is expected is
 * refused rather than turned into text.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { InputError } from '../../errors.js';
import type { TextEncoding } from '../../parse/encoding.js';
import { fieldName, type RawField, type RawRecord, type RawValue } from './record.js';
import { decodeEditorialText } from './text.js';

export function readJsonRecords(bytes: Buffer, file: string, encoding: TextEncoding): RawRecord[] {
  const text = decodeEditorialText(bytes, file, encoding);
  checkJson(text, file, 0);
  return readDocument(text, file, 'json');
}

export function readYamlRecords(bytes: Buffer, file: string, encoding: TextEncoding): RawRecord[] {
  return readDocument(decodeEditorialText(bytes, file, encoding), file, 'yaml');
}

/** One JSON object per line (LF or CRLF); blank lines are skipped. */
export function readJsonlRecords(bytes: Buffer, file: string, encoding: TextEncoding): RawRecord[] {
  const lines = decodeEditorialText(bytes, file, encoding).split('\n');
  const records: RawRecord[] = [];
  lines.forEach((rawLine, index) => {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (line.trim() === '') return;
    checkJson(line, file, index);
    const value = parseDocument(line, { schema: 'json', uniqueKeys: true });
    throwFirstError(value.errors, file, index + 1);
    records.push(recordOf(value.contents, file, () => index + 1, value, 'json'));
  });
  return records;
}

function checkJson(text: string, file: string, lineOffset: number): void {
  try {
    JSON.parse(text);
  } catch (error) {
    const position = /position (\d+)/.exec((error as Error).message);
    const line = position ? lineOffset + text.slice(0, Number(position[1])).split('\n').length : lineOffset + 1;
    throw new InputError(`not valid JSON (${(error as Error).message})`, { file, line });
  }
}

function readDocument(text: string, file: string, kind: 'json' | 'yaml'): RawRecord[] {
  const counter = new LineCounter();
  const document = parseDocument(text, { schema: kind === 'json' ? 'json' : 'failsafe', uniqueKeys: true, lineCounter: counter });
  const lineOf = (node: Node | null | undefined) => (node?.range ? counter.linePos(node.range[0]).line : 1);
  if (document.errors.length > 0) {
    const error = document.errors[0]!;
    const line = error.linePos?.[0].line ?? 1;
    if (error.code === 'MULTIPLE_DOCS') {
      throw new InputError('a second YAML document (a `---` line after the first one\'s content)', {
        file,
        line,
        expected: 'one list of entries in the file: remove the `---` line (and join the lists), or put each document in a file of its own',
      });
    }
    if (error.code === 'DUPLICATE_KEY') {
      const key = /^("(?:[^"\\]|\\.)*"|'[^']*'|[^:\n]+?)\s*:/.exec(text.slice(error.pos[0]))?.[1];
      throw new InputError(`a key twice in one ${kind === 'json' ? 'object' : 'mapping'}${key ? ` (${key})` : ''}`, {
        file,
        line,
        ...(key ? { column: key.replace(/^["']|["']$/g, '') } : {}),
        expected: 'each field once per entry (which of the two values is meant?)',
      });
    }
    throw new InputError(`not valid ${kind === 'json' ? 'JSON' : 'YAML'} (${error.message.split('\n')[0]})`, { file, line });
  }
  const root = document.contents;
  // Anything but a list is refused, `null` and an empty file too: read as no entries, they would
  // let --replace retire every entry. A list with no entries (`[]`) is a list.
  if (!isSeq(root)) {
    throw new InputError(`${describeRoot(root)}, not a list of entries`, {
      file,
      line: lineOf(root),
      expected: `a list of ${kind === 'json' ? 'objects' : 'mappings'}, one per code or category`,
    });
  }
  return root.items.map((item) => recordOf(item as Node, file, lineOf, document, kind));
}

/** What a document holds instead of a list, as a message says it. */
function describeRoot(root: Node | null): string {
  if (root === null) return 'the file holds nothing';
  if (isMap(root)) return 'the file holds one object';
  if (isScalar(root)) {
    if (root.value === null) return 'the file holds null';
    const shown = String(root.value).length > 40 ? `${String(root.value).slice(0, 40)}…` : String(root.value);
    return typeof root.value === 'string' ? `the file holds the text ${JSON.stringify(shown)}` : `the file holds the ${typeof root.value} ${shown}`;
  }
  return 'the file holds no list';
}

type Kind = 'json' | 'yaml';

function recordOf(item: unknown, file: string, lineOf: (node: Node | null | undefined) => number, document: Document, kind: Kind): RawRecord {
  const line = lineOf(item as Node);
  const node = isAlias(item) ? item.resolve(document) : item;
  if (!isMap(node)) throw new InputError('an entry is not an object', { file, line, expected: 'an object of field: value' });
  const fields: RawField[] = node.items.map((pair) => {
    const keyNode = pair.key as Node;
    const column = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
    const keyLine = lineOf(keyNode);
    if (column === '<<' && kind === 'yaml') {
      throw new InputError('a YAML merge key (<<), which is not read', { file, line: keyLine, column, expected: 'the fields written out in each entry (an alias as a value, `synonyms: *common`, is read)' });
    }
    return { field: fieldName(column), column, line: keyLine, value: valueOf(pair.value as Node | null, file, keyLine, column, document, kind), structured: true };
  });
  return { file, line, fields };
}

function valueOf(value: Node | null, file: string, line: number, column: string, document: Document, kind: Kind): RawValue {
  const node = isAlias(value) ? ((value.resolve(document) as Node | undefined) ?? null) : value;
  if (node === null) return null;
  if (isScalar(node)) {
    if (node.value === null) return null;
    // YAML's null, written plain: the failsafe schema reads it as the text "null" (or "~").
    if (kind === 'yaml' && node.type === 'PLAIN' && !node.tag && ['null', 'Null', 'NULL', '~'].includes(node.value as string)) return null;
    if (typeof node.value === 'string') return node.value;
    const what = typeof node.value === 'object' ? `${(node.tag ?? 'tagged').replace('tag:yaml.org,2002:', '!!')} value` : typeof node.value;
    throw new InputError(`a ${what} where text is expected`, {
      file,
      line,
      column,
      value: String(node.value),
      expected: 'text in quotes (codes keep their leading zeros only as text)',
    });
  }
  if (isSeq(node)) {
    return node.items.map((item) => {
      const value = valueOf(item as Node | null, file, line, column, document, kind);
      if (typeof value !== 'string') throw new InputError('a list item that is not text', { file, line, column, expected: 'a list of text items' });
      return value;
    });
  }
  throw new InputError('an object where text or a list is expected', { file, line, column, expected: 'text, or a list of text items' });
}

function throwFirstError(errors: readonly { message: string }[], file: string, line: number): void {
  if (errors.length > 0) throw new InputError(`not valid JSON (${errors[0]!.message.split('\n')[0]})`, { file, line });
}
