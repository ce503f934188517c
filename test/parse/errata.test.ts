/**
 * applyErrata on one record, without a database: an erratum applies to its release, file and key
 * only; where the file says what it declares it is corrected, warned and recorded; where the file
 * already holds the correction it is left alone; anything else stops the read, naming the record.
 * The erratum is the 2018 ASC date shift of C9745 (pipelines/hcpcs/errata.ts), on its real fields.
 */
import { describe, expect, it } from 'vitest';
import { HCPCS_ERRATA } from '../../pipelines/hcpcs/errata.js';
import { InputError } from '../../src/errors.js';
import type { AppliedErratum, ParseContext } from '../../src/pipeline.js';
import { applyErrata } from '../../src/parse/errata.js';
import { memberFromBytes } from '../hcpcs/support.js';

type Fields = { HCPC: string; ASC_GRP: string; ASC_DT: string };
const SHIFTED: Fields = { HCPC: 'C9745', ASC_GRP: '20', ASC_DT: '170701' };

function run(fields: Fields, { release = 'HCPC2018_JAN', file = 'HCPC2018_CONTR_ANWEB_disc.txt', key = fields.HCPC } = {}) {
  const warnings: { message: string; where?: { line?: number; column?: string } }[] = [];
  const applied: AppliedErratum[] = [];
  const ctx: ParseContext = {
    file: memberFromBytes(`2018/${file}`, Buffer.from('x')),
    role: 'main',
    release,
    warn: (message, where) => void warnings.push({ message, ...(where ? { where } : {}) }),
    fact: () => undefined,
    corrected: (erratum) => void applied.push(erratum),
  };
  const result = applyErrata(HCPCS_ERRATA, ctx, { key, line: 412, fields, column: (field) => `${field} (txt)` });
  return { result, warnings, applied };
}

describe('applyErrata', () => {
  it('corrects the declared fields of the declared record, with a warning naming line and column for each, and records them', () => {
    const { result, warnings, applied } = run(SHIFTED);
    expect(result).toEqual({ HCPC: 'C9745', ASC_GRP: 'YY', ASC_DT: '20170701' });
    const reason = '(the ASC date is written two positions early, over the ASC group; in this file an ASC date comes only with ASC group YY, ' +
      'it equals the add date as here, and the 2020 file has C9745 and C9747 as YY with this date)';
    expect(warnings).toEqual([
      { message: `erratum applied to C9745: found "20", loaded "YY" ${reason}`, where: { line: 412, column: 'ASC_GRP (txt)' } },
      { message: `erratum applied to C9745: found "170701", loaded "20170701" ${reason}`, where: { line: 412, column: 'ASC_DT (txt)' } },
    ]);
    expect(applied.map(({ key, field, found, corrected, path, line }) => ({ key, field, found, corrected, path, line }))).toEqual([
      { key: 'C9745', field: 'ASC_GRP', found: '20', corrected: 'YY', path: '2018/HCPC2018_CONTR_ANWEB_disc.txt', line: 412 },
      { key: 'C9745', field: 'ASC_DT', found: '170701', corrected: '20170701', path: '2018/HCPC2018_CONTR_ANWEB_disc.txt', line: 412 },
    ]);
    // the record handed in is not changed
    expect(SHIFTED).toEqual({ HCPC: 'C9745', ASC_GRP: '20', ASC_DT: '170701' });
  });

  it('a record that already holds the correction (a re-post CMS fixed) is left as it is, silently', () => {
    const fixed = { HCPC: 'C9745', ASC_GRP: 'YY', ASC_DT: '20170701' };
    expect(run(fixed)).toEqual({ result: fixed, warnings: [], applied: [] });
  });

  it('another release, another file or another record is not touched', () => {
    for (const options of [{ release: 'HCPC2018_APR' }, { file: 'HCPC2019_ANWEB_disc.txt' }, { key: 'C9744' }]) {
      expect(run(SHIFTED, options)).toEqual({ result: SHIFTED, warnings: [], applied: [] });
    }
  });

  it('the declared record saying anything else stops the read, naming line, column, value and the declaration', () => {
    let caught: unknown;
    try {
      run({ ...SHIFTED, ASC_GRP: '21' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InputError);
    const error = caught as InputError;
    expect({ file: error.file, line: error.line, column: error.column, value: error.value, problem: error.problem, expected: error.expected }).toEqual({
      file: '2018/HCPC2018_CONTR_ANWEB_disc.txt', line: 412, column: 'ASC_GRP (txt)', value: '21',
      problem: 'the declared erratum for C9745 ASC_GRP does not match the file', expected: '"20" (corrected to "YY"), as declared for HCPC2018_JAN',
    });
  });
});
