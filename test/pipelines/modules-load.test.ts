/// <reference types="vite/client" />
/**
 * Every module of pipelines/ loads. Several check their own tables as they load and throw when
 * one is wrong: the HCPCS txt layout's positions against the record length, each family's column
 * eras against its column list. They are imported inside the tests, not at the top of the file,
 * so that such a failure fails a test here rather than the loading of a test file (which
 * Stryker's vitest runner counts as no test failed: a mutant that breaks a table would survive).
 */
import { describe, expect, it } from 'vitest';

const modules = import.meta.glob<Record<string, unknown>>('../../pipelines/**/*.ts');

describe('pipelines/ modules', () => {
  it('are all found (the glob matches the tree)', () => {
    expect(Object.keys(modules)).toEqual(expect.arrayContaining(['../../pipelines/index.ts', '../../pipelines/hcpcs/layout.ts', '../../pipelines/pfs/pprrvu.ts']));
  });

  it.each(Object.keys(modules).sort())('%s loads, its load-time checks passing', async (path) => {
    await expect(modules[path]!()).resolves.toBeTypeOf('object');
  });
});
