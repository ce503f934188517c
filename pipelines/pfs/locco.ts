/**
 * LOCCO: the counties of each locality (table `pfs_locality_county`).
 * Records are separated by blank `,,,,` rows; the state is written only on a state's first row
 * (forward-filled here); MAC and locality lost their leading zeros (re-padded); one footnote
 * follows. CMS repeats one record (Missouri rest of state): identical rows collapse.
 */
import type { Dataset } from '../../src/pipeline.js';
import { readTabular, type TableContract } from '../../src/parse/tabular.js';
import { localityNumber, looksNumeric, macNumber, markedName } from './shapes.js';
import { loccoDiff } from './diff.js';

function contract(): TableContract {
  let state = '';
  return {
    isHeaderRow: (cells) => cells.some((cell) => /locality number/i.test(cell)) && cells.some((cell) => /counties/i.test(cell)),
    headerHint: '"Medicare Adminstrative Contractor, Locality Number, State, Fee Schedule Area, Counties"',
    columns: [
      // "Adminstrative" is CMS's spelling.
      { field: 'mac', label: 'Medicare Adminstrative Contractor', header: /^MEDICARE ADMINI?STRATIVE CONTRACTOR( \(MAC\))?$/ },
      { field: 'locality', label: 'Locality Number', header: /^LOCALITY NUMBER$/ },
      { field: 'state', label: 'State', header: /^STATE$/ },
      { field: 'fee_schedule_area', label: 'Fee Schedule Area', header: /^FEE SCHEDULE AREA$/ },
      { field: 'counties', label: 'Counties', header: /^COUNTIES$/ },
    ],
    eras: [{ name: 'locality to county', fields: ['mac', 'locality', 'state', 'fee_schedule_area', 'counties'] }],
    classify: (row) => (row.cells.every((cell) => cell.trim() === '') ? 'skip' : looksNumeric(row.raw('mac')) ? 'data' : 'end'),
    normalize(row) {
      const written = row.raw('state');
      if (written !== '') state = written;
      else if (state === '') row.fail('state', 'no state on this row or above it', 'a state name');
      return {
        mac: macNumber(row),
        locality: localityNumber(row),
        state,
        fee_schedule_area: markedName(row, 'fee_schedule_area'),
        counties: row.required('counties', 'the counties of the locality'),
      };
    },
  };
}

export const locco: Dataset = {
  name: 'locco',
  table: 'pfs_locality_county',
  columns: ['mac', 'locality', 'state', 'fee_schedule_area', 'counties'],
  key: ['state', 'locality'],
  members: { names: '<yy>LOCCO.csv / .xlsx', stem: /^\d{2}LOCCO/i, formats: ['csv', 'xlsx'] },
  diff: loccoDiff,
  onDuplicate: 'collapse-identical',
  read: (file, ctx) => readTabular(contract(), file, ctx),
};
