/** `price --all`: a locality's fee schedule as csv or json. Pure. */
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
  const lines = [['release', 'mac', 'locality', 'state', ...COLUMNS].join(',')];
  const prefix = [result.release.code, result.locality.mac, result.locality.locality, result.locality.state].map(csvCell).join(',');
  for (const row of result.rows) lines.push(`${prefix},${COLUMNS.map((column) => csvCell(row[column])).join(',')}`);
  return `${lines.join('\n')}\n`;
}

function csvCell(value: string | boolean | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
