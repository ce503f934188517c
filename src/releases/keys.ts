/**
 * A dataset's key within one file: which line first had each key, and the key as messages show
 * it (`hcpcs="99213", modifier=""`), written in one place for the load's and the merge's errors.
 */
import type { Dataset, OutputRow } from '../pipeline.js';

/** The key as messages show it. */
export function describeKey(key: readonly string[], row: Readonly<Record<string, unknown>>): string {
  return key.map((column) => `${column}=${JSON.stringify(row[column] ?? '')}`).join(', ');
}

const SEPARATOR = '\u0000';

/** A key's values as one text: what the index of keys is keyed by. */
const keyText = (values: readonly string[]): string => values.join(SEPARATOR);

/**
 * The keys seen so far in a file. CMS writes its files sorted by their key, and a key greater
 * than the one before it cannot repeat any earlier one: while the keys ascend, each row costs a
 * comparison with the previous key, and the keys are only kept in arrays (no text built, nothing
 * hashed: ≈ 0.4 G of a fresh process's 4.5 G instructions reading RVU25D, docs/performance-history.md). The first key that does not ascend
 * builds the index of every key so far, and from there each row is looked up in it.
 */
export class KeyIndex {
  private readonly key: readonly string[];
  /** key text → the line that first had it; built at the first key out of order (or from the start, collapse-identical) */
  private lines: Map<string, number> | undefined;
  /** key text → the first row's values as JSON, kept only where identical repeats collapse */
  private readonly signatures: Map<string, string> | undefined;
  /** while ascending: every key's values, column after column, and its line */
  private ascending: { values: string[]; lines: number[] } | undefined = { values: [], lines: [] };
  private last = '';
  /** the key values of the row being added, while ascending (one array, reused) */
  private readonly current: string[];

  constructor(dataset: Pick<Dataset, 'key' | 'onDuplicate'>) {
    this.key = dataset.key;
    this.current = new Array<string>(dataset.key.length);
    if (dataset.onDuplicate === 'collapse-identical') {
      // `sameAs` compares with the first row of a key: every key's row is kept from the start.
      this.signatures = new Map();
      this.lines = new Map();
      this.ascending = undefined;
    }
  }

  /** Record a row's key; returns the line that had it first, or undefined when it is new. */
  add(values: OutputRow, line: number): number | undefined {
    const ascending = this.ascending;
    if (ascending !== undefined) {
      if (this.ascends(values, ascending.values)) {
        for (const value of this.current) ascending.values.push(value);
        ascending.lines.push(line);
        return undefined;
      }
      this.lines = this.indexOf(ascending);
      this.ascending = undefined;
    }
    const text = this.textOf(values);
    this.last = text;
    const lines = this.lines!;
    const first = lines.get(text);
    if (first !== undefined) return first;
    lines.set(text, line);
    this.signatures?.set(text, JSON.stringify(values));
    return undefined;
  }

  /** The row just added repeats its key's first row exactly (collapse-identical datasets only). */
  sameAs(values: OutputRow): boolean {
    return this.signatures?.get(this.last) === JSON.stringify(values);
  }

  /**
   * The row's key (left in `current`) comes after the last one kept, column by column (code unit
   * order, as CMS sorts).
   */
  private ascends(values: OutputRow, kept: readonly string[]): boolean {
    const key = this.key;
    const current = this.current;
    for (let index = 0; index < key.length; index++) current[index] = String(values[key[index]!] ?? '');
    const start = kept.length - key.length;
    if (start < 0) return true;
    for (let index = 0; index < key.length; index++) {
      const previous = kept[start + index]!;
      if (current[index] !== previous) return current[index]! > previous;
    }
    return false;
  }

  private textOf(values: OutputRow): string {
    return keyText(this.key.map((column) => String(values[column] ?? '')));
  }

  private indexOf(ascending: { values: readonly string[]; lines: readonly number[] }): Map<string, number> {
    const width = this.key.length;
    const lines = new Map<string, number>();
    for (let row = 0; row < ascending.lines.length; row++) {
      lines.set(keyText(ascending.values.slice(row * width, (row + 1) * width)), ascending.lines[row]!);
    }
    return lines;
  }
}
