import { defineConfig } from 'vitest/config';

// Opt-in tests (`*.optin.test.ts`) read the real CMS samples; `npm run test:samples` runs them.
const optIn = process.env.CMS_SAMPLES_DIR !== undefined && process.env.CMS_SAMPLES_DIR !== '';

export default defineConfig({
  test: {
    include: optIn ? ['test/**/*.optin.test.ts'] : ['test/**/*.test.ts'],
    exclude: optIn ? ['node_modules/**'] : ['node_modules/**', 'test/**/*.optin.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/wasm-setup.ts', 'test/support/scratch-setup.ts', 'test/support/process-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // A PGlite instance costs hundreds of MB: two files at a time on a 2-core machine.
    maxWorkers: 2,
    // Each worker runs file after file with its module cache kept: importing the sources, kysely,
    // PGlite, SheetJS … again for every file cost 1–1.5 s of CPU per file (half the suite's files
    // take less than that to run). Setup files still run before each file; the test files share
    // no module state that one could leave dirty (no vi.mock/stubEnv, no process listeners).
    isolate: false,
  },
});
