/** A row of cells as read from a delimited file or a sheet, with the line (or sheet row) it came from. */
export interface RawRow {
  readonly line: number;
  readonly cells: readonly string[];
}

/** True when every cell is blank (separator rows such as `,,,,`). */
export function isBlankRow(cells: readonly string[]): boolean {
  return cells.every((cell) => cell.trim() === '');
}
