/**
 * Parquet through hyparquet-writer, row group by row group. Exact numbers: a numeric column is
 * DECIMAL(38, s) — s the most digits after the point in that column — written from the decimal
 * string as a scaled integer (BigInt), never through a float.
 */
import { fileWriter, parquetWriteRows } from 'hyparquet-writer';
import type { SchemaElement } from 'hyparquet';
import type { SnapshotColumn } from './snapshot.js';

const DECIMAL_PRECISION = 38;
const DECIMAL_BYTES = 16;
const DAY_MS = 86_400_000;

export async function writeParquet(
  file: string,
  columns: readonly SnapshotColumn[],
  scales: Record<string, number>,
  batches: AsyncIterable<unknown[][]>,
): Promise<void> {
  const converters = columns.map((column) => converterFor(column, scales[column.name] ?? 0));
  const schema: SchemaElement[] = [{ name: 'root', num_children: columns.length }, ...converters.map((converter) => converter.element)];
  const converted = async function* () {
    for await (const batch of batches) {
      for (const values of batch) {
        const out: Record<string, unknown> = {};
        columns.forEach((column, index) => {
          const value = values[index];
          out[column.name] = value === null || value === undefined ? null : converters[index]!.convert(value);
        });
        yield out;
      }
    }
  };
  await parquetWriteRows({
    writer: fileWriter(file),
    columns: columns.map((column) => ({ name: column.name })),
    schema,
    rows: converted(),
    rowGroupSize: 50_000,
  });
}

interface Converter {
  element: SchemaElement;
  convert(value: unknown): unknown;
}

function converterFor(column: SnapshotColumn, scale: number): Converter {
  const base = { name: column.name, repetition_type: 'OPTIONAL' as const };
  const type = column.type;
  if (/^numeric/.test(type)) {
    return {
      element: { ...base, type: 'FIXED_LEN_BYTE_ARRAY', type_length: DECIMAL_BYTES, converted_type: 'DECIMAL', precision: DECIMAL_PRECISION, scale },
      convert: (value) => scaledInteger(String(value), scale),
    };
  }
  if (type === 'integer' || type === 'smallint') return { element: { ...base, type: 'INT32' }, convert: (value) => Number(value) };
  if (type === 'bigint') return { element: { ...base, type: 'INT64' }, convert: (value) => BigInt(String(value)) };
  if (type === 'boolean') return { element: { ...base, type: 'BOOLEAN' }, convert: (value) => Boolean(value) };
  if (type === 'date') {
    return { element: { ...base, type: 'INT32', converted_type: 'DATE' }, convert: (value) => Math.round(Date.parse(`${String(value)}T00:00:00Z`) / DAY_MS) };
  }
  if (/^timestamp/.test(type)) {
    return {
      element: { ...base, type: 'INT64', converted_type: 'TIMESTAMP_MILLIS' },
      convert: (value) => BigInt(Date.parse(String(value))),
    };
  }
  if (type.endsWith('[]') || type === 'jsonb' || type === 'json') {
    return { element: { ...base, type: 'BYTE_ARRAY', converted_type: 'JSON' }, convert: (value) => JSON.stringify(value) };
  }
  return { element: { ...base, type: 'BYTE_ARRAY', converted_type: 'UTF8' }, convert: (value) => String(value) };
}

/** `12.5` at scale 2 → 1250n, exactly. */
export function scaledInteger(decimal: string, scale: number): bigint {
  const match = /^(-?)(\d*)(?:\.(\d*))?$/.exec(decimal.trim());
  if (!match) throw new Error(`not a decimal number: ${JSON.stringify(decimal)}`);
  const [, sign, whole = '', fraction = ''] = match;
  if (fraction.length > scale) throw new Error(`${decimal} has more than ${scale} digits after the point`);
  const digits = `${whole || '0'}${fraction.padEnd(scale, '0')}`;
  const value = BigInt(digits);
  return sign === '-' ? -value : value;
}
