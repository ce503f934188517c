/** The summary as short phrases, shared by the table and markdown renderers. */
import { releaseValues, type ReleaseDiff } from '../../../diff/types.js';
import { valueText } from './values.js';

export interface SummaryPhrases {
  counts: string;
  releaseValues: string[];
  fields: string | null;
  categories: string | null;
  notCompared: string | null;
}

export function summaryPhrases(diff: ReleaseDiff, code: (text: string) => string = (text) => text): SummaryPhrases {
  const { summary } = diff;
  const fields = Object.entries(summary.fields).sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1));
  const categories = Object.entries(summary.categories ?? {}).filter(([, count]) => count > 0);
  return {
    counts: `${summary.added} added, ${summary.removed} removed, ${summary.changed} changed`,
    // A release-wide column that neither release has (the QPP factor before 2026) is not shown.
    releaseValues: releaseValues(summary)
      .filter(([, value]) => value.from !== null || value.to !== null)
      .map(([name, value]) =>
        valueText(value.from) === valueText(value.to)
          ? `${code(name)}: ${valueText(value.to)} (unchanged)`
          : `${code(name)}: ${valueText(value.from) || '(none)'} → ${valueText(value.to) || '(none)'}`,
      ),
    fields: fields.length > 0 ? `fields changed: ${fields.map(([name, count]) => `${code(name)} ${count}`).join(', ')}` : null,
    categories: categories.length > 0 ? `kinds of change: ${categories.map(([name, count]) => `${name} ${count}`).join(', ')}` : null,
    notCompared:
      summary.not_compared.length > 0
        ? `not compared (not in both releases' layouts): ${summary.not_compared.map(code).join(', ')}`
        : null,
  };
}
