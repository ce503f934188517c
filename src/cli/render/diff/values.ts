/** Diff values as text for the text formats (table, csv, markdown); JSON keeps their types. */
import type { DiffChange, DiffValue, ReleaseDiff } from '../../../diff/types.js';

/** NULL is empty; flags are `true`/`false`; lists are comma-separated. */
export function valueText(value: DiffValue | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') return value;
  return value.join(',');
}

export function keyCells(diff: ReleaseDiff, row: { readonly [column: string]: unknown }): string[] {
  return diff.key.map((column) => String(row[column] ?? ''));
}

/** `changed`, or `changed (discontinued)` when the dataset tags its changes. */
export function changeText(change: DiffChange): string {
  return change.tags && change.tags.length > 0 ? `${change.change} (${change.tags.join(', ')})` : change.change;
}

/**
 * The lines people read (table, markdown): one per changed field; an added or removed key gets
 * one line with its label (description, locality name) unless the filters asked for other fields.
 */
export function displayLines(diff: ReleaseDiff): string[][] {
  const lines: string[][] = [];
  for (const change of diff.changes) {
    let entries = Object.entries(change.fields);
    if (change.change !== 'changed' && diff.label !== null && change.fields[diff.label] !== undefined) {
      entries = [[diff.label, change.fields[diff.label]!]];
    }
    const key = keyCells(diff, change);
    if (entries.length === 0) lines.push([...key, changeText(change), '', '', '']);
    for (const [field, value] of entries) lines.push([...key, changeText(change), field, valueText(value.from), valueText(value.to)]);
  }
  return lines;
}

export const CHANGE_HEADERS = ['CHANGE', 'FIELD', 'FROM', 'TO'] as const;
