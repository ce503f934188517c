/** Pure renderers of the editorial and catalog results: result → text (or workbook bytes). */
import { stringify } from 'csv-stringify/sync';
import { sheetjs } from '../parse/sheetjs.js';
import type { ReviewReason } from '../db/schema.js';
import { formatTable } from '../text-table.js';
import type { CatalogRecord, CatalogSearchResult } from './catalog.js';
import type { EditorialImportResult } from './import.js';
import type { ResolveResult } from './review/items.js';
import type { ReviewItem, ReviewQueue } from './review/list.js';

export const REVIEW_FORMATS = ['table', 'json', 'csv', 'md', 'xlsx'] as const;
export type ReviewFormat = (typeof REVIEW_FORMATS)[number];

export function renderImportResult(result: EditorialImportResult): string {
  const lines: string[] = [];
  const files = `${result.files.length} file${result.files.length === 1 ? '' : 's'}`;
  if (result.status === 'unchanged') {
    lines.push(`Nothing to write: the ${result.entries} entries of ${files} are as stored (editorial version ${result.editorialVersion ?? 'none'}).`);
  } else {
    lines.push(
      `Imported ${result.entries} entries from ${files}: ${result.created.length} new, ${result.updated.length} updated, ` +
        `${result.unchanged} unchanged, ${result.retired.length} retired (editorial version ${result.editorialVersion}).`,
    );
    if (result.created.length > 0) lines.push(`  new: ${result.created.join(', ')}`);
    if (result.updated.length > 0) lines.push(`  updated: ${result.updated.join(', ')}`);
    if (result.retired.length > 0) lines.push(`  retired: ${result.retired.join(', ')}`);
    if (result.resolvedItems > 0) lines.push(`  ${result.resolvedItems} review item${result.resolvedItems === 1 ? '' : 's'} resolved by the new versions`);
  }
  if (result.unknownCodes.length > 0) lines.push(`  in no loaded release (listed in the review queue): ${result.unknownCodes.join(', ')}`);
  if (result.skipped.length > 0) lines.push(`  skipped (not editorial inputs): ${result.skipped.join(', ')}`);
  return lines.join('\n');
}

const money = (amount: string | null) => (amount === null ? 'none' : `$${amount}`);

export function renderCatalogRecord(record: CatalogRecord): string {
  const lines: string[] = [];
  const add = (label: string, value: string | null | undefined) => {
    if (value !== null && value !== undefined && value !== '') lines.push(`${`${label}:`.padEnd(19)}${value}`);
  };
  lines.push(`${record.code}  ${record.title ?? ''}`.trimEnd());
  add('Kind', record.kind);
  add('Category', record.category ? `${record.category.label} (${record.category.id})` : null);
  if (record.editorial) {
    add('Also known as', record.editorial.synonyms.join('; '));
    add('Summary', record.editorial.summary);
    add('Plain language', record.editorial.plain_language);
    add('Clinical context', record.editorial.clinical_context);
    add('Specialties', record.editorial.specialties.join('; '));
  }
  if (record.hcpcs) {
    add('HCPCS long', record.hcpcs.long_description);
    add('HCPCS short', record.hcpcs.short_description);
    add('Terminated', record.hcpcs.termination_date);
  }
  if (record.pfs) {
    const pfs = record.pfs;
    add('PFS description', pfs.description);
    add('PFS status', `${pfs.status.code}: ${pfs.status.meaning ?? 'not in the status table'}`);
    add('Payment', pfs.status.payment);
    add('Work RVU', pfs.work_rvu);
    add('Total RVUs', `non-facility ${pfs.nonfac_total ?? 'none'}${pfs.nonfac_na ? ' (NA)' : ''}, facility ${pfs.fac_total ?? 'none'}${pfs.fac_na ? ' (NA)' : ''}`);
    add('Global days', pfs.global_days);
    if (pfs.status.paid_from_rvus) {
      const na = (flag: boolean) => (flag ? ' (NA)' : '');
      add('National amount', `non-facility ${money(pfs.national.nonfac)}${na(pfs.nonfac_na)}, facility ${money(pfs.national.fac)}${na(pfs.fac_na)} (CF ${pfs.conv_factor})`);
      if (pfs.conv_factor_qpp !== null) {
        add('National (QPP)', `non-facility ${money(pfs.national.nonfac_qpp)}${na(pfs.nonfac_na)}, facility ${money(pfs.national.fac_qpp)}${na(pfs.fac_na)} (CF ${pfs.conv_factor_qpp})`);
      }
    } else add('National amount', 'none: not paid from its RVUs');
  }
  record.schedules.forEach((entry, index) => lines.push(`${(index === 0 ? 'Other schedules:' : '').padEnd(19)}${entry.summary}`));
  if (record.billing_notes) {
    add('Billing notes', record.billing_notes.from === 'code' ? record.billing_notes.text : `${record.billing_notes.text} (for all of ${record.billing_notes.category})`);
  }
  if (record.editorial) add('Editorial', `version ${record.editorial.version}, updated ${record.editorial.updated_at}`);
  else add('Editorial', 'no entry yet');
  add('Data sourced from', record.sources.map((source) => source.title).join('; ') || 'no current release (editorial entry only)');
  return lines.join('\n');
}

export function renderSearch(result: CatalogSearchResult): string {
  if (result.matches.length === 0) return `No code matches "${result.query}".`;
  return formatTable(
    ['CODE', 'KIND', 'CATEGORY', 'TITLE', 'RANK'],
    result.matches.map((match) => [match.code, match.kind ?? '', match.category ?? '', match.title ?? '', match.rank.toFixed(4)]),
  );
}

export function renderResolve(result: ResolveResult): string {
  const lines = [
    result.resolved.length === 0
      ? 'No open review item to resolve.'
      : `Resolved ${result.resolved.length} review item${result.resolved.length === 1 ? '' : 's'}: ${result.resolved.map((item) => `${item.code} (${item.reason})`).join(', ')}`,
  ];
  if (result.notOpen.length > 0 && result.resolved.length > 0) lines.push(`No open item for: ${result.notOpen.join(', ')}`);
  return lines.join('\n');
}

/** The columns every reason shows, then what is particular to it. */
const DETAIL_COLUMNS: Record<ReviewReason, readonly string[]> = {
  added_without_editorial: ['dataset', 'previous_release'],
  editorial_for_removed: ['dataset', 'change', 'termination_date', 'previous_release'],
  descriptor_changed: ['field', 'from', 'to'],
  status_changed: ['from', 'to'],
  unknown_code: ['file', 'line'],
};

/** Review items as rows of text: descriptor_changed gives one row per changed field. */
function rowsOf(reason: ReviewReason, items: readonly ReviewItem[]): { headers: string[]; rows: string[][] } {
  const details = DETAIL_COLUMNS[reason];
  const headers = ['code', 'release', 'raised_at', ...details];
  const rows: string[][] = [];
  for (const item of items) {
    const base = [item.code, item.release ?? '(editorial import)', item.raised_at];
    if (reason === 'descriptor_changed') {
      const from = (item.from ?? {}) as Record<string, string | null>;
      const to = (item.to ?? {}) as Record<string, string | null>;
      for (const field of Object.keys(to)) rows.push([...base, field, from[field] ?? '', to[field] ?? '']);
    } else rows.push([...base, ...details.map((column) => (item[column] === undefined || item[column] === null ? '' : String(item[column])))]);
  }
  return { headers, rows };
}

const count = (queue: ReviewQueue) => Object.values(queue).reduce((sum, items) => sum + items.length, 0);

/** The open items in a format; xlsx gives workbook bytes (one sheet per reason), every other format text. */
export function renderReview(queue: ReviewQueue, format: ReviewFormat): string | Buffer {
  const reasons = Object.keys(queue) as ReviewReason[];
  switch (format) {
    case 'json':
      return `${JSON.stringify(queue, null, 2)}\n`;
    case 'csv': {
      const lines: string[][] = [['reason', 'code', 'release', 'raised_at', 'field', 'from', 'to', 'details']];
      for (const reason of reasons) {
        for (const item of queue[reason]) {
          const { code, release, raised_at, from, to, reason: _reason, ...rest } = item;
          const base = [reason, code, release ?? '', raised_at];
          if (reason === 'descriptor_changed') {
            for (const field of Object.keys((to ?? {}) as object)) {
              lines.push([...base, field, String((from as Record<string, unknown>)?.[field] ?? ''), String((to as Record<string, unknown>)[field] ?? ''), '']);
            }
          } else lines.push([...base, '', from === undefined ? '' : String(from ?? ''), to === undefined ? '' : String(to ?? ''), JSON.stringify(rest)]);
        }
      }
      return stringify(lines);
    }
    case 'md': {
      const parts = [`# Review queue: ${count(queue)} open item${count(queue) === 1 ? '' : 's'}`];
      for (const reason of reasons) {
        const { headers, rows } = rowsOf(reason, queue[reason]);
        parts.push(`\n## ${reason} (${queue[reason].length})\n`);
        if (rows.length === 0) parts.push('None.');
        else {
          const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
          parts.push(`| ${headers.join(' | ')} |`, `|${headers.map(() => ' --- |').join('')}`, ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`));
        }
      }
      return `${parts.join('\n')}\n`;
    }
    case 'xlsx': {
      const XLSX = sheetjs();
      const book = XLSX.utils.book_new();
      for (const reason of reasons) {
        const { headers, rows } = rowsOf(reason, queue[reason]);
        // Sheet names are at most 31 characters.
        XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet([headers, ...rows]), reason.slice(0, 31));
      }
      return XLSX.write(book, { type: 'buffer', bookType: 'xlsx', compression: true }) as Buffer;
    }
    default: {
      if (count(queue) === 0) return 'The review queue is empty.';
      const parts: string[] = [];
      for (const reason of reasons) {
        if (queue[reason].length === 0) continue;
        const { headers, rows } = rowsOf(reason, queue[reason]);
        parts.push(`${reason} (${queue[reason].length})`, formatTable(headers.map((h) => h.toUpperCase()), rows), '');
      }
      return parts.join('\n').trimEnd();
    }
  }
}
