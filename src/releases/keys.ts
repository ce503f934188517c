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

export class KeyIndex {
  /** key text → the line that first had it */
  private readonly lines = new Map<string, number>();
  /** key text → the first row's values as JSON, kept only where identical repeats collapse */
  private readonly signatures: Map<string, string> | undefined;
  private readonly key: readonly string[];
  private last = '';

  constructor(dataset: Pick<Dataset, 'key' | 'onDuplicate'>) {
    this.key = dataset.key;
    this.signatures = dataset.onDuplicate === 'collapse-identical' ? new Map() : undefined;
  }

  /** Record a row's key; returns the line that had it first, or undefined when it is new. */
  add(values: OutputRow, line: number): number | undefined {
    const key = this.key;
    let text = String(values[key[0]!] ?? '');
    for (let index = 1; index < key.length; index++) text += SEPARATOR + String(values[key[index]!] ?? '');
    this.last = text;
    const first = this.lines.get(text);
    if (first !== undefined) return first;
    this.lines.set(text, line);
    this.signatures?.set(text, JSON.stringify(values));
    return undefined;
  }

  /** The row just added repeats its key's first row exactly (collapse-identical datasets only). */
  sameAs(values: OutputRow): boolean {
    return this.signatures?.get(this.last) === JSON.stringify(values);
  }
}
