#!/usr/bin/env node
// Runs the TypeScript sources through tsx, so `npx cms-ingest` works right after `npm ci`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
const code = await main(process.argv.slice(2));
// Let stdout drain before leaving (a pipe may still hold a large --json result).
process.stdout.write('', () => process.exit(code));
