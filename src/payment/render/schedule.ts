/** `price --all`: a locality's fee schedule as csv or json. Pure. */
import { csvFormatRows } from 'd3-dsv';
import type { ScheduleResult, ScheduleRow } from '../types.js';

export const SCHEDULE_FORMATS = ['csv', 'json'] as const;
export type ScheduleFormat = (typeof SCHEDULE_FORMATS)[number];

const COLUMNS: readonly (keyof ScheduleRow)[] = [
  'hcpcs', 'modifier', 'status_code', 'nonfac_amount', 'fac_amount', 'nonfac_na', 'fac_na', 'opps_nonfac_cap', 'opps_fac_cap',
  'nonfac_paid', 'fac_paid', 'nonfac_limiting_charge', 'fac_limiting_charge', 'nonfac_amount_qpp', 'fac_amount_qpp', 'nonfac_paid_qpp', 'fac_paid_qpp',
  // last, so that readers of the earlier columns by position are unaffected
  'opps_cap_known',
];

export function renderSchedule(result: ScheduleResult, format: ScheduleFormat): string {
  if (format === 'json') {
    return `${JSON.stringify({ release: result.release, locality: result.locality, rows: result.rows }, null, 2)}\n`;
  }
  const prefix = [result.release.code, result.locality.mac, result.locality.locality, result.locality.state];
  const cell = (value: string | boolean | null) => (value === null ? '' : String(value));
  // d3-dsv quotes a cell that holds a quote, a comma or a line break
  const lines = [['release', 'mac', 'locality', 'state', ...COLUMNS], ...result.rows.map((row) => [...prefix, ...COLUMNS.map((column) => cell(row[column]))])];
  return `${csvFormatRows(lines)}\n`;
}
