/**
 * ANES: anesthesia conversion factors per locality (table `pfs_anes_cf`). From 2025 the header
 * of the factor column carries the national factor (`National Anes CF of 20.3178`); cells are
 * padded with spaces; the xlsx drops leading zeros (re-padded).
 */
import type { Dataset } from '../../src/pipeline.js';
import { readTabular, type TableContract } from '../../src/parse/tabular.js';
import { normalizeDecimal } from '../../src/parse/values.js';
import { localityNumber, looksNumeric, macNumber, markedName } from './shapes.js';
import { anesDiff } from './diff.js';

const NATIONAL_CF = /(?:NATIONAL )?ANES(?:THESIA)? (?:CF|CONVERSION FACTOR) OF (\d+(?:\.\d+)?)/;

const contract: TableContract = {
  isHeaderRow: (cells) => cells[0]?.trim().toUpperCase() === 'CONTRACTOR',
  headerHint: '"Contractor, Locality, Locality Name"',
  columns: [
    { field: 'mac', label: 'Contractor', header: /^CONTRACTOR$/ },
    { field: 'locality', label: 'Locality', header: /^LOCALITY$/ },
    { field: 'locality_name', label: 'Locality Name', header: /^LOCALITY NAME$/ },
    { field: 'anes_cf', label: 'Anesthesia Conversion Factor', header: /^(\d{4} )?(NATIONAL )?ANES(THESIA)? (CF|CONVERSION FACTOR)( OF \d+(\.\d+)?)?$/ },
  ],
  eras: [{ name: 'anesthesia CF', fields: ['mac', 'locality', 'locality_name', 'anes_cf'] }],
  classify: (row) => (row.cells.every((cell) => cell.trim() === '') ? 'skip' : looksNumeric(row.raw('mac')) ? 'data' : 'end'),
  normalize(row) {
    const national = NATIONAL_CF.exec(row.header('anes_cf'))?.[1];
    return {
      mac: macNumber(row),
      locality: localityNumber(row),
      locality_name: markedName(row, 'locality_name'),
      anes_cf: row.decimal('anes_cf'),
      national_anes_cf: national === undefined ? null : normalizeDecimal(national),
    };
  },
};

export const anes: Dataset = {
  name: 'anes',
  table: 'pfs_anes_cf',
  columns: ['mac', 'locality', 'locality_name', 'anes_cf', 'national_anes_cf'],
  key: ['mac', 'locality'],
  diff: anesDiff,
  members: { names: 'ANES<year>.csv / .xlsx', stem: /^ANES\d{4}/i, formats: ['csv', 'xlsx'] },
  read: (file, ctx) => readTabular(contract, file, ctx),
};
