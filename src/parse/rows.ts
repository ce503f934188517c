/** A row of cells as read from a delimited file or a sheet, with the line (or sheet row) it came from. */
export interface RawRow {
  readonly line: number;
  readonly cells: readonly string[];
  /**
   * How many cells the row has in the file, blank ones included (a workbook row's trailing blank
   * cells are dropped from `cells`, but still count here); undefined when the format cannot tell
   * (old xls stores no blank cells at all).
   */
  readonly width?: number;
}

/** True when every cell is blank (separator rows such as `,,,,`). */
export function isBlankRow(cells: readonly string[]): boolean {
  return cells.every((cell) => cell.trim() === '');
}
