/** Environment and flags → one typed configuration. */
import path from 'node:path';
import { registerConnectionSecrets } from './db/redact.js';

export interface Config {
  /** a Postgres connection string; when absent, the embedded database under `home` */
  readonly databaseUrl: string | undefined;
  /** `$CMS_INGEST_HOME`: the embedded database, its lock file and the download cache */
  readonly home: string;
}

export interface ConfigFlags {
  databaseUrl?: string | undefined;
  home?: string | undefined;
}

export function resolveConfig(flags: ConfigFlags = {}, env: NodeJS.ProcessEnv = process.env): Config {
  const databaseUrl = nonEmpty(flags.databaseUrl) ?? nonEmpty(env.DATABASE_URL);
  // its passwords are scrubbed from every message from now on, in whatever form they appear
  registerConnectionSecrets(databaseUrl);
  const home = path.resolve(nonEmpty(flags.home) ?? nonEmpty(env.CMS_INGEST_HOME) ?? '.cms-ingest');
  return { databaseUrl, home };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
