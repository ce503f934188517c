/** Run one dataset's reader over one file, as the engine would, and collect what it produced. */
import { openArchive } from '../../src/archive/archive.js';
import type { Dataset, OutputRow, ReleaseFacts } from '../../src/pipeline.js';

export interface ReadResult {
  /** each row's values, plus `line`: where it came from */
  rows: Record<string, OutputRow[string] | number>[];
  warnings: string[];
  facts: ReleaseFacts;
}

export async function readDataset(dataset: Dataset, file: string, role = 'main'): Promise<ReadResult> {
  const archive = await openArchive(file);
  const member = archive.members[0]!;
  const warnings: string[] = [];
  const facts: ReleaseFacts = {};
  const rows: ReadResult['rows'] = [];
  for await (const row of dataset.read(member, {
    file: member,
    role,
    warn: (message) => warnings.push(message),
    fact: (name, value) => {
      facts[name] = value;
    },
  })) {
    rows.push({ ...row.values, line: row.line });
  }
  return { rows, warnings, facts };
}
