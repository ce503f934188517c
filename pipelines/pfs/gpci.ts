/**
 * GPCI: geographic practice cost indices per locality (table `pfs_gpci`).
 * One header row after a title; footnotes after the data (`*` Alaska work floor, `**` frontier
 * PE floor, `***` notes). 2026 Q1 added a work GPCI without the 1.0 floor beside the floored one.
 */
import type { Dataset } from '../../src/pipeline.js';
import { readTabular, type TableContract } from '../../src/parse/tabular.js';
import { localityNumber, looksNumeric, macNumber, markedName } from './shapes.js';
import { gpciDiff } from './diff.js';

const contract: TableContract = {
  isHeaderRow: (cells) => cells.some((cell) => /locality number/i.test(cell)),
  headerHint: '"Medicare Administrative Contractor (MAC), State, Locality Number"',
  columns: [
    { field: 'mac', label: 'Medicare Administrative Contractor (MAC)', header: /^MEDICARE ADMINI?STRATIVE CONTRACTOR( \(MAC\))?$/ },
    { field: 'state', label: 'State', header: /^STATE$/ },
    { field: 'locality', label: 'Locality Number', header: /^LOCALITY NUMBER$/ },
    { field: 'locality_name', label: 'Locality Name', header: /^LOCALITY NAME$/ },
    { field: 'pw_gpci', label: 'PW GPCI (with 1.0 Floor)', header: /^(\d{4} )?PW GPCI( \(WITH 1\.0 FLOOR\))?$/ },
    { field: 'pw_gpci_no_floor', label: 'PW GPCI (without 1.0 Floor)', header: /^(\d{4} )?PW GPCI \(WITHOUT 1\.0 FLOOR\)$/ },
    { field: 'pe_gpci', label: 'PE GPCI', header: /^(\d{4} )?PE GPCI$/ },
    { field: 'mp_gpci', label: 'MP GPCI', header: /^(\d{4} )?MP GPCI$/ },
  ],
  eras: [
    { name: 'work GPCI with floor', fields: ['mac', 'state', 'locality', 'locality_name', 'pw_gpci', 'pe_gpci', 'mp_gpci'] },
    {
      name: 'work GPCI with and without floor (2026 Q1)',
      fields: ['mac', 'state', 'locality', 'locality_name', 'pw_gpci_no_floor', 'pw_gpci', 'pe_gpci', 'mp_gpci'],
    },
  ],
  classify: (row) => (row.cells.every((cell) => cell.trim() === '') ? 'skip' : looksNumeric(row.raw('mac')) ? 'data' : 'end'),
  normalize: (row) => ({
    mac: macNumber(row),
    state: row.match('state', /^[A-Z]{2}$/, 'a 2-letter state code')!,
    locality: localityNumber(row),
    locality_name: markedName(row, 'locality_name'),
    pw_gpci: row.decimal('pw_gpci'),
    pw_gpci_no_floor: row.has('pw_gpci_no_floor') ? row.decimal('pw_gpci_no_floor') : null,
    pe_gpci: row.decimal('pe_gpci'),
    mp_gpci: row.decimal('mp_gpci'),
  }),
};

export const gpci: Dataset = {
  name: 'gpci',
  table: 'pfs_gpci',
  columns: ['mac', 'state', 'locality', 'locality_name', 'pw_gpci', 'pw_gpci_no_floor', 'pe_gpci', 'mp_gpci'],
  key: ['state', 'locality'],
  diff: gpciDiff,
  members: { names: 'GPCI<year>.csv / .xlsx', stem: /^GPCI\d{4}/i, formats: ['csv', 'xlsx'] },
  read: (file, ctx) => readTabular(contract, file, ctx),
};
