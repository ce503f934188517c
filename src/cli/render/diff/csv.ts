/**
 * The changes as CSV, one line per changed field (long format): the key columns, `change`,
 * `field`, `from`, `to` (and `tags` for datasets that tag changes). An added or removed key has
 * a line for each of its non-NULL fields; a change without fields has one line with an empty
 * field. Header row first; LF line ends; RFC 4180 quoting. The summary is not included.
 */
import { csvFormatRows } from 'd3-dsv';
import type { ReleaseDiff } from '../../../diff/types.js';
import { keyCells, valueText } from './values.js';

export function renderCsv(diff: ReleaseDiff): string {
  const tagged = diff.summary.categories !== undefined;
  const header = [...diff.key, 'change', 'field', 'from', 'to', ...(tagged ? ['tags'] : [])];
  const lines = [header];
  for (const change of diff.changes) {
    const key = keyCells(diff, change);
    const tags = tagged ? [(change.tags ?? []).join(' ')] : [];
    const entries = Object.entries(change.fields);
    if (entries.length === 0) lines.push([...key, change.change, '', '', '', ...tags]);
    for (const [field, value] of entries) lines.push([...key, change.change, field, valueText(value.from), valueText(value.to), ...tags]);
  }
  return `${csvFormatRows(lines)}\n`;
}
