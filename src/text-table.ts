/** Plain-text rendering shared by the CLI and the diff renderers: tables, counts, durations. */

/** A plain text table: left-aligned columns, numbers right-aligned. */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, index) => Math.max(header.length, ...rows.map((row) => (row[index] ?? '').length)));
  const numeric = headers.map((_, index) => rows.length > 0 && rows.every((row) => /^-?[\d,.]+$/.test(row[index] ?? '')));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, index) => (numeric[index] ? cell.padStart(widths[index]!) : cell.padEnd(widths[index]!)))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

export function formatCount(count: number): string {
  // Not toLocaleString for whole numbers: its first call loads ICU's locale data (≈20-60 ms of an import).
  return Number.isSafeInteger(count) ? String(count).replace(/\B(?=(\d{3})+(?!\d))/g, ',') : count.toLocaleString('en-US');
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** `pfs`; `pfs or hcpcs`; `pfs, hcpcs or opps`: a list of alternatives as a sentence says it. */
export function orList(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
}
