/**
 * The shape of the code, checked: no import circles among the modules of src/ and pipelines/
 * (type-only imports included: they couple the files as much for a reader). The graph is read
 * with TypeScript's own import scanner, so comments and strings never count as imports.
 */
import { describe, expect, it } from 'vitest';
import { findCycles, readImportGraph } from './graph.js';

describe('import graph', () => {
  const graph = readImportGraph(['src', 'pipelines']);

  it('reads every module and its relative imports', () => {
    // a sanity check of the scanner itself, so that an empty graph cannot pass the checks below
    expect(graph.get('src/index.ts')).toContain('src/releases/import.ts');
    expect(graph.get('src/archive/archive.ts')).toContain('src/archive/zip.ts');
  });

  it('has no circles', () => {
    expect(findCycles(graph)).toEqual([]);
  });
});
