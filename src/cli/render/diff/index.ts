/** Render a diff in one of the output formats. */
import type { ReleaseDiff } from '../../../diff/types.js';
import { renderCsv } from './csv.js';
import { renderMarkdown } from './markdown.js';
import { renderTable } from './table.js';

export const DIFF_FORMATS = ['table', 'json', 'csv', 'md'] as const;
export type DiffFormat = (typeof DIFF_FORMATS)[number];

export function renderDiff(diff: ReleaseDiff, format: DiffFormat): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(diff, null, 2)}\n`;
    case 'csv':
      return renderCsv(diff);
    case 'md':
      return renderMarkdown(diff);
    case 'table':
      return renderTable(diff);
  }
}

export { renderCsv, renderMarkdown, renderTable };
