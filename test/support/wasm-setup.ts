/**
 * Per test file (vitest setupFiles), and in the global setup: PGlite's WebAssembly compiled by V8's
 * baseline compiler alone, as the CLI does for all but its longest commands (src/db/pglite.ts).
 * The tests' queries are short; optimising the functions that run hot cost more CPU than it saved.
 */
import v8 from 'node:v8';

v8.setFlagsFromString('--liftoff-only');
