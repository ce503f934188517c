/**
 * The shape of the code, checked on its import graph (read with TypeScript's own import scanner,
 * so comments and strings never count; type-only imports count, since they couple files as much
 * for a reader):
 *
 * - no circles among the modules of src/ and pipelines/;
 * - data flows one way: a stage imports only from stages below it in STAGES (or its own);
 * - the engine never names a CMS family: in src/, only index.ts imports pipelines/.
 *
 * A new stage folder (src/editorial/, src/payment/, src/publish/) must be placed in STAGES,
 * else the test fails and says so.
 */
import { describe, expect, it } from 'vitest';
import { findCycles, readImportGraph } from './graph.js';

/** Lowest first. Modules of one entry may import each other; an entry imports only from those before it. */
const STAGES: readonly (readonly string[])[] = [
  // shared by every stage: error types, the engine ⇄ pipelines contract, config, whole-file writes, folders, the database layer
  ['src/errors.ts', 'src/pipeline.ts', 'src/config.ts', 'src/text-table.ts', 'src/locations.ts', 'src/write-file.ts', 'src/make-directory.ts', 'src/db/'],
  ['src/sources/'],
  ['src/archive/'],
  ['src/parse/'],
  // CMS format knowledge: may use the generic readers and sources' helpers, nothing of the engine's flow
  ['pipelines/'],
  ['src/releases/'],
  ['src/sync/'],
  ['src/diff/'],
  ['src/editorial/'],
  ['src/payment/'],
  ['src/publish/'],
  ['src/schedule/'],
  ['src/demo/'],
  // pure renderers of results (result → text): the CLI's, and the API's renderDiff
  ['src/cli/render/'],
  // the programmatic API composes the stages; the CLI calls only it
  ['src/index.ts'],
  ['src/cli/'],
];

function stageOf(module: string): number {
  const index = STAGES.findIndex((stage) => stage.some((prefix) => (prefix.endsWith('/') ? module.startsWith(prefix) : module === prefix)));
  return index;
}

describe('import graph', () => {
  const graph = readImportGraph(['src', 'pipelines']);
  const edges = [...graph].flatMap(([from, targets]) => targets.map((to) => ({ from, to })));

  it('reads every module and its relative imports', () => {
    // a sanity check of the scanner itself, so that an empty graph cannot pass the checks below
    expect(graph.get('src/index.ts')).toContain('src/releases/import.ts');
    expect(graph.get('src/archive/archive.ts')).toContain('src/archive/zip.ts');
    expect(edges.length).toBeGreaterThan(100);
  });

  it('has no circles', () => {
    expect(findCycles(graph)).toEqual([]);
  });

  it('places every module in a stage', () => {
    const unplaced = [...graph.keys()].filter((module) => stageOf(module) < 0);
    expect(unplaced, 'place each in STAGES (test/structure/imports.test.ts): which stages may it import, which may import it?').toEqual([]);
  });

  it('never imports from a stage above', () => {
    const upward = edges
      .filter(({ from, to }) => stageOf(to) > stageOf(from))
      .map(({ from, to }) => `${from} → ${to}`);
    expect(upward).toEqual([]);
  });

  it('src/releases/ imports nothing from sync, diff, schedule or cli', () => {
    // the issue's own statement of the rule above, kept explicit for the stage most reached into
    const reaching = edges
      .filter(({ from, to }) => from.startsWith('src/releases/') && /^src\/(sync|diff|schedule|cli)\//.test(to))
      .map(({ from, to }) => `${from} → ${to}`);
    expect(reaching).toEqual([]);
  });

  it('names no CMS family in the engine: only src/index.ts imports pipelines/', () => {
    const naming = edges
      .filter(({ from, to }) => from.startsWith('src/') && from !== 'src/index.ts' && to.startsWith('pipelines/'))
      .map(({ from, to }) => `${from} → ${to}`);
    expect(naming).toEqual([]);
  });
});
