/**
 * Idempotency by content, not by container: a source whose every dataset has exactly the files
 * (by sha256) the active revision of its release was loaded from is that revision again —
 * `PPRRVU2025_Oct.csv` unzipped from `rvu25d.zip`, or the folder the zip unzips to.
 */
import type { Kysely } from 'kysely';
import type { Schema } from '../db/schema.js';
import type { ReleasePlan } from './plan.js';
import { datasetFingerprints, findActiveRelease, type StoredRelease } from './store.js';

export async function unchangedContent(db: Kysely<Schema>, plan: ReleasePlan): Promise<StoredRelease | undefined> {
  const active = await findActiveRelease(db, plan.family.name, plan.identity.code);
  if (!active) return undefined;
  const stored = await datasetFingerprints(db, active.id);
  for (const { dataset, files } of plan.datasets) {
    const hashes = await Promise.all(files.map(async (file) => `${file.role}:${await file.member.sha256()}`));
    if (stored.get(dataset.name) !== hashes.sort().join(',')) return undefined;
  }
  return active;
}
