/** The diff as Markdown, ready to paste into a pull request or a release note. */
import type { ReleaseDiff } from '../../../diff/types.js';
import { summaryPhrases } from './summary.js';
import { CHANGE_HEADERS, displayLines, keyCells } from './values.js';

/** A cell: pipes escaped, line breaks flattened, empty cells kept empty. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map(cell).join(' | ')} |`;
  return [line(headers), `|${headers.map(() => '---').join('|')}|`, ...rows.map(line)].join('\n');
}

export function renderMarkdown(diff: ReleaseDiff): string {
  const phrases = summaryPhrases(diff, (text) => `\`${text}\``);
  const keyHeaders = [...diff.key];
  const sections: string[] = [
    `### ${diff.family} \`${diff.dataset}\`: ${diff.from} → ${diff.to}`,
    [
      `- ${phrases.counts}`,
      ...phrases.releaseValues.map((line) => `- ${line}`),
      ...[phrases.categories, phrases.fields, phrases.notCompared].filter((line): line is string => line !== null).map((line) => `- ${line}`),
    ].join('\n'),
  ];
  const moves = diff.summary.largest_moves;
  if (moves.length > 0) {
    sections.push(
      '#### Largest moves',
      table(
        [...keyHeaders, 'field', 'from', 'to', 'delta'],
        moves.map((move) => [...keyCells(diff, move), move.field, move.from, move.to, move.delta]),
      ),
    );
  }
  const reconciliation = diff.reconciliation;
  if (reconciliation) {
    sections.push(`#### \`${reconciliation.column}\` of ${reconciliation.release} against ${reconciliation.against}`);
    if (reconciliation.skipped) sections.push(`Not checked: ${reconciliation.skipped}.`);
    else if (reconciliation.mismatches.length === 0) sections.push('Every value agrees with the computed change.');
    else {
      sections.push(
        table(
          [...keyHeaders, 'stated', 'meaning', 'computed', 'fields'],
          reconciliation.mismatches.map((row) => [...keyCells(diff, row), row.stated, row.meaning, row.computed, row.fields.join(', ')]),
        ),
      );
    }
  }
  const lines = displayLines(diff);
  sections.push('#### Changes', lines.length === 0 ? 'No changes.' : table([...keyHeaders, ...CHANGE_HEADERS.map((header) => header.toLowerCase())], lines));
  return `${sections.join('\n\n')}\n`;
}
