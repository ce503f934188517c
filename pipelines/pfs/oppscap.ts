/**
 * OPPSCAP: the OPPS payment caps of imaging services per locality (table `pfs_opps_cap`).
 * One header row (CMS spells NON-FACILTY), a blank or EOF row at the end.
 */
import type { Dataset } from '../../src/pipeline.js';
import { readTabular, type TableContract } from '../../src/parse/tabular.js';
import { OPPS_PROC_STATUS } from './codes.js';
import { hcpcsCode, localityNumber, macNumber, modifier } from './shapes.js';
import { oppscapDiff } from './diff.js';

const contract: TableContract = {
  isHeaderRow: (cells) => cells[0]?.trim().toUpperCase() === 'HCPCS' && cells.some((cell) => /procstat/i.test(cell)),
  headerHint: '"HCPCS, MOD, PROCSTAT, CARRIER, LOCALITY"',
  columns: [
    { field: 'hcpcs', label: 'HCPCS', header: /^HCPCS$/ },
    { field: 'modifier', label: 'MOD', header: /^MOD$/ },
    { field: 'proc_status', label: 'PROCSTAT', header: /^PROCSTAT$/ },
    { field: 'mac', label: 'CARRIER', header: /^CARRIER$/ },
    { field: 'locality', label: 'LOCALITY', header: /^LOCALITY$/ },
    { field: 'fac_price', label: 'FACILITY PRICE', header: /^FACILITY PRICE$/ },
    // "NON-FACILTY" is CMS's spelling.
    { field: 'nonfac_price', label: 'NON-FACILTY PRICE', header: /^NON-FACILI?TY PRICE$/ },
  ],
  eras: [{ name: 'OPPS caps', fields: ['hcpcs', 'modifier', 'proc_status', 'mac', 'locality', 'fac_price', 'nonfac_price'] }],
  normalize: (row) => ({
    hcpcs: hcpcsCode(row),
    modifier: modifier(row),
    proc_status: row.oneOf('proc_status', OPPS_PROC_STATUS)!,
    mac: macNumber(row),
    locality: localityNumber(row),
    fac_price: row.decimal('fac_price'),
    nonfac_price: row.decimal('nonfac_price'),
  }),
};

export const oppscap: Dataset = {
  name: 'oppscap',
  table: 'pfs_opps_cap',
  columns: ['hcpcs', 'modifier', 'proc_status', 'mac', 'locality', 'fac_price', 'nonfac_price'],
  key: ['hcpcs', 'modifier', 'mac', 'locality'],
  diff: oppscapDiff,
  members: { names: 'OPPSCAP*.csv / .xlsx', stem: /^OPPSCAP/i, formats: ['csv', 'xlsx'] },
  read: (file, ctx) => readTabular(contract, file, ctx),
};
