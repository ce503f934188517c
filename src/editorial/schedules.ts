/**
 * The other Medicare schedules of a code (OPPS Addendum B, ASP, CLFS — whatever families declare
 * a `codeSchedule`): for each, the status and amount in the release in effect, with the release
 * and its quarter, and the status in plain words. An amount is given only where the schedule pays
 * the code on its own; "packaged", "priced locally" and the like are words, never a bare 0.
 */
import { sql, type Kysely } from 'kysely';
import type { Schema } from '../db/schema.js';
import type { CodeSchedule, Family } from '../pipeline.js';

export interface ScheduleEntry {
  family: string;
  /** `hospital outpatient (OPPS Addendum B)` */
  schedule: string;
  release: { code: string; revision: number; year: number; quarter: number; effectiveFrom: string; quarterName: string };
  /** what the status is called (`SI`), and its value; null for a schedule without a status */
  statusName: string | null;
  status: string | null;
  meaning: string;
  /** true when the schedule pays the code separately */
  paid: boolean;
  amountName: string;
  /** the amount, exact; null unless `paid` (and null when CMS published none) */
  amount: string | null;
  /** one line for a code page: `hospital outpatient (OPPS Addendum B): packaged … (SI N), January 2025 (OPPS2025_JAN)` */
  summary: string;
}

export interface ScheduleOptions {
  /** the code's modifier row where a schedule has modifiers (default: the code's own, '') */
  readonly modifier?: string | undefined;
  /** the releases in effect on this ISO date (default: the current ones) */
  readonly date?: string | undefined;
}

const MONTHS = ['January', 'April', 'July', 'October'];

export async function codeSchedules(
  db: Kysely<Schema>,
  families: readonly Family[],
  hcpcs: string,
  options: ScheduleOptions = {},
): Promise<ScheduleEntry[]> {
  const entries: ScheduleEntry[] = [];
  for (const family of families) {
    const schedule = family.codeSchedule;
    if (!schedule) continue;
    const entry = await scheduleEntry(db, family.name, schedule, tableOf(family, schedule), hcpcs, options);
    if (entry) entries.push(entry);
  }
  return entries;
}

function tableOf(family: Family, schedule: CodeSchedule): string {
  const dataset = family.datasets.find((candidate) => candidate.name === schedule.dataset);
  if (!dataset) throw new Error(`${family.name}: codeSchedule names dataset ${schedule.dataset}, which the family does not have`);
  return dataset.table;
}

async function scheduleEntry(
  db: Kysely<Schema>,
  family: string,
  schedule: CodeSchedule,
  table: string,
  hcpcs: string,
  options: ScheduleOptions,
): Promise<ScheduleEntry | undefined> {
  // The active release in effect (on the date, or now) that carries the dataset: the order of cms.current_releases.
  const { rows: releases } = await sql<{ id: string; code: string; revision: number; year: number; quarter: number; effective_from: string }>`
    select r.id, r.code, r.revision, r.year, r.quarter, r.effective_from::text as effective_from
    from cms.releases r join cms.release_datasets d on d.release_id = r.id and d.dataset = ${schedule.dataset}
    where r.family = ${family} and r.status = 'active'
      ${options.date === undefined ? sql`` : sql`and r.effective_from <= ${options.date}::date`}
    order by r.effective_from desc, r.published_on desc nulls last, r.id desc
    limit 1`.execute(db);
  const release = releases[0];
  if (!release) return undefined;

  const { columns } = schedule;
  const { rows } = await sql<{ status: string | null; amount: string | null; unavailable: boolean | null }>`
    select ${columns.status ? sql`${sql.ref(columns.status)}::text` : sql`null::text`} as status,
           ${sql.ref(columns.amount)}::text as amount,
           ${columns.unavailable ? sql.ref(columns.unavailable) : sql`false`} as unavailable
    from ${sql.table(`cms.${table}`)}
    where release_id = ${release.id} and ${sql.ref(columns.code)} = ${hcpcs}
      ${columns.modifier ? sql`and ${sql.ref(columns.modifier)} = ${options.modifier ?? ''}` : sql``}`.execute(db);
  const row = rows[0];
  if (!row) return undefined;

  const { meaning, paid } = schedule.describe({ status: row.status, amount: row.amount, unavailable: row.unavailable === true });
  const quarterName = `${MONTHS[release.quarter - 1]} ${release.year}`;
  const amount = paid ? row.amount : null;
  const status = row.status === null ? '' : ` (${schedule.statusName} ${row.status})`;
  const what = paid ? (amount === null ? `${meaning}, no ${schedule.amountName} published` : `$${amount} ${schedule.amountName}: ${meaning}`) : meaning;
  return {
    family,
    schedule: schedule.label,
    release: {
      code: release.code,
      revision: Number(release.revision),
      year: Number(release.year),
      quarter: Number(release.quarter),
      effectiveFrom: release.effective_from,
      quarterName,
    },
    statusName: schedule.statusName,
    status: row.status,
    meaning,
    paid,
    amountName: schedule.amountName,
    amount,
    summary: `${schedule.label}: ${what}${status}, ${quarterName} (${release.code}${Number(release.revision) > 0 ? `@${release.revision}` : ''})`,
  };
}
