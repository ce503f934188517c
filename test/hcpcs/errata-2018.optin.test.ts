/**
 * Opt-in (`npm run test:samples`): the real 2018 annual HCPCS zip loads with the errata declared
 * for it (pipelines/hcpcs/errata.ts) — txt loaded, xlsx cross-checked — and nothing else is
 * corrected or reported.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HCPCS_ERRATA } from '../../pipelines/hcpcs/errata.js';
import { importRelease } from '../../src/index.js';
import { backends, useFreshDatabase } from '../support/db.js';

function sample(): string {
  const dir = process.env.CMS_SAMPLES_DIR;
  if (!dir) throw new Error('CMS_SAMPLES_DIR is not set: it must point at the cms-samples folder');
  return path.join(dir, 'hcpcs', '2018-Alpha-Numeric-HCPCS-File.zip');
}

describe.each(backends)('the real 2018 HCPCS file on %s', (backend) => {
  const test = useFreshDatabase(backend);

  it('loads with its ten declared corrections reported, recorded, and the xlsx agreeing', { timeout: 180_000 }, async () => {
    const result = await importRelease(test.database, sample());
    expect(result).toMatchObject({ status: 'loaded', code: 'HCPC2018_JAN' });
    expect(result.datasets.map((dataset) => [dataset.dataset, dataset.rows])).toEqual([
      ['hcpcs_code', 6205],
      ['hcpcs_modifier', 354],
    ]);
    // Only the errata: no cross-check disagreement (the xlsx has the same shift, corrected alike).
    expect(result.warnings).toHaveLength(HCPCS_ERRATA.length);
    expect(result.warnings.every((warning) => warning.startsWith('2018-Alpha-Numeric-HCPCS-File.zip:HCPC2018_CONTR_ANWEB_disc.txt, line '))).toBe(true);
    const recorded = await test.database.db.selectFrom('cms.release_errata').select(['key', 'field', 'line']).orderBy('line').orderBy('field').execute();
    expect(recorded.map((row) => `${row.key} ${row.field} ${row.line}`)).toEqual([
      'C9488 ASC_DT 1884', 'C9488 ASC_GRP 1884',
      'C9745 ASC_DT 1955', 'C9745 ASC_GRP 1955',
      'C9746 ASC_DT 1956', 'C9746 ASC_GRP 1956',
      'C9747 ASC_DT 1958', 'C9747 ASC_GRP 1958',
      'C9748 ASC_DT 1960', 'C9748 ASC_GRP 1960',
    ]);
  });
});
