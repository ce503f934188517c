/** The diff for a terminal: the summary as text, then plain text tables (src/cli/output.ts). */
import { formatTable } from '../../../text-table.js';
import type { ReleaseDiff } from '../../../diff/types.js';
import { summaryPhrases } from './summary.js';
import { CHANGE_HEADERS, displayLines, keyCells } from './values.js';

export function renderTable(diff: ReleaseDiff): string {
  const phrases = summaryPhrases(diff);
  const keyHeaders = diff.key.map((column) => column.toUpperCase());
  const blocks: string[] = [
    [
      `${diff.from} → ${diff.to} (${diff.family} ${diff.dataset}): ${phrases.counts}`,
      ...phrases.releaseValues,
      ...[phrases.categories, phrases.fields, phrases.notCompared].filter((line): line is string => line !== null),
    ].join('\n'),
  ];
  const moves = diff.summary.largest_moves;
  if (moves.length > 0) {
    blocks.push(
      `Largest moves:\n${formatTable(
        [...keyHeaders, 'FIELD', 'FROM', 'TO', 'DELTA'],
        moves.map((move) => [...keyCells(diff, move), move.field, move.from, move.to, move.delta]),
      )}`,
    );
  }
  const reconciliation = diff.reconciliation;
  if (reconciliation) {
    const title = `${reconciliation.column} of ${reconciliation.release} against ${reconciliation.against}`;
    if (reconciliation.skipped) blocks.push(`${title}: not checked: ${reconciliation.skipped}`);
    else if (reconciliation.mismatches.length === 0) blocks.push(`${title}: every value agrees with the computed change`);
    else {
      blocks.push(
        `${title}: ${reconciliation.mismatches.length} disagree:\n${formatTable(
          [...keyHeaders, 'STATED', 'MEANING', 'COMPUTED', 'FIELDS'],
          reconciliation.mismatches.map((row) => [...keyCells(diff, row), row.stated, row.meaning, row.computed, row.fields.join(', ')]),
        )}`,
      );
    }
  }
  const lines = displayLines(diff);
  blocks.push(lines.length === 0 ? 'No changes.' : formatTable([...keyHeaders, ...CHANGE_HEADERS], lines));
  return `${blocks.join('\n\n')}\n`;
}
