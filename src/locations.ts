/**
 * Folders of this checkout that the program reads at run time. The sources run from src/ (vitest,
 * tsx); the CLI runs the build, whose chunks all sit in dist/ (scripts/build.mjs defines
 * CMS_INGEST_BUILT there). Both are one level below the project root.
 */
import { fileURLToPath } from 'node:url';

declare const CMS_INGEST_BUILT: boolean | undefined;
const built = typeof CMS_INGEST_BUILT !== 'undefined' && CMS_INGEST_BUILT;

/** The project root (where package.json is), with a trailing slash. */
export const PROJECT_ROOT = fileURLToPath(new URL('../', import.meta.url));

/** migrations/*.ts from the sources; dist/migrations/*.js (built from them) in the build. */
export const MIGRATIONS = built
  ? { dir: `${PROJECT_ROOT}dist/migrations/`, extension: '.js' }
  : { dir: `${PROJECT_ROOT}migrations/`, extension: '.ts' };
