/**
 * Applying declared errata (pipelines/<family>/errata.ts) to one record's raw fields while a
 * file is parsed. An erratum applies to its release and file only, and only where the file says
 * exactly what the erratum says it does: a record that says anything else (neither the declared
 * wrong value nor the correction) stops the import, since the correction was written for other
 * bytes. A record that already holds the correction (a re-post CMS fixed) is left alone.
 */
import { InputError } from '../errors.js';
import type { Erratum, ParseContext } from '../pipeline.js';

export function applyErrata<F extends string>(
  errata: readonly Erratum[],
  ctx: ParseContext,
  record: { key: string; line: number; fields: Readonly<Record<F, string>>; column(field: F): string },
): Readonly<Record<F, string>> {
  let fields = record.fields;
  for (const erratum of errata) {
    if (erratum.key !== record.key || erratum.release !== ctx.release || !erratum.file.test(ctx.file.stem)) continue;
    const field = erratum.field as F;
    const value = fields[field];
    if (value === erratum.corrected) continue;
    if (value !== erratum.found) {
      throw new InputError(`the declared erratum for ${erratum.key} ${erratum.field} does not match the file`, {
        file: ctx.file.path,
        line: record.line,
        column: record.column(field),
        value,
        expected: `"${erratum.found}" (corrected to "${erratum.corrected}"), as declared for ${erratum.release}`,
      });
    }
    fields = { ...fields, [field]: erratum.corrected };
    ctx.warn(`erratum applied to ${erratum.key}: found "${erratum.found}", loaded "${erratum.corrected}" (${erratum.reason})`, {
      line: record.line,
      column: record.column(field),
    });
    ctx.corrected?.({ ...erratum, path: ctx.file.path, line: record.line });
  }
  return fields;
}
