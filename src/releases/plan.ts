/**
 * Which family an archive belongs to, which release it is, and which members each dataset reads.
 * Pure functions over names: nothing is read here.
 */
import { InputError, UsageError } from '../errors.js';
import { orList } from '../text-table.js';
import type { Dataset, Family, MemberFile, ReleaseIdentity } from '../pipeline.js';
import type { Archive } from '../archive/archive.js';

export interface FilePlan {
  readonly member: MemberFile;
  readonly role: string;
  /** the same data in other formats, compared with what was loaded (Dataset.crossCheck) */
  readonly crossCheck: readonly MemberFile[];
}

export interface DatasetPlan {
  readonly dataset: Dataset;
  /** the main file first, then companions */
  readonly files: readonly FilePlan[];
}

export interface ReleasePlan {
  readonly family: Family;
  readonly identity: ReleaseIdentity;
  readonly datasets: readonly DatasetPlan[];
}

export interface PlanOptions {
  /** an explicit release code (`--code`, or what sync discovered) */
  readonly code?: string | undefined;
  /** overrides the first day of the quarter (corrections such as RVU24AR) */
  readonly effectiveFrom?: string | undefined;
}

/**
 * Options a caller (the CLI's `--code`, `--effective-from`) may get wrong, checked before anything
 * is opened: a UsageError naming the option, what it accepts and the value, quoted (a newline in
 * it stays visible and the message stays on one line).
 */
export function checkPlanOptions(families: readonly Family[], options: PlanOptions): void {
  if (options.code !== undefined && !families.some((family) => family.fromCode(options.code!) !== null)) throw unknownCode(families, options.code);
  if (options.effectiveFrom !== undefined && !isCalendarDate(options.effectiveFrom)) {
    throw new UsageError(`--effective-from must be a date like 2024-03-09 (YYYY-MM-DD, a day that exists), not ${JSON.stringify(options.effectiveFrom)}`);
  }
}

/** The examples come from what each family declares (`Family.codeExamples`), so a new family shows up here. */
function unknownCode(families: readonly Family[], code: string): UsageError {
  return new UsageError(`unknown release code ${JSON.stringify(code)}: expected a code like ${orList(families.flatMap((family) => family.codeExamples))}`);
}

function isCalendarDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (match === null) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export function planRelease(archive: Archive, families: readonly Family[], options: PlanOptions = {}): ReleasePlan {
  const claims = families
    .map((family) => ({ family, datasets: family.datasets.map((dataset) => planDataset(dataset, archive)).filter(isPresent) }))
    .filter((claim) => claim.datasets.length > 0);

  const named = options.code ? families.find((family) => family.fromCode(options.code!) !== null) : undefined;
  if (options.code && !named) throw unknownCode(families, options.code);
  const claim = named ? claims.find((candidate) => candidate.family === named) : claims.length === 1 ? claims[0] : undefined;
  if (!claim) {
    // File-name patterns a person can read, each once (HCPCS codes and modifiers share one).
    const expected = [...new Set(families.flatMap((family) => family.datasets.map((dataset) => dataset.members.names ?? dataset.members.stem.source)))].join(', ');
    const problem =
      claims.length > 1
        ? `files of several families (${claims.map((c) => c.family.name).join(', ')}) in one source`
        : named
          ? `no ${named.name} data files found`
          : 'no CMS data files recognised';
    throw new InputError(problem, {
      file: archive.name,
      value: archive.members.map((member) => member.path).join(', ') || '(no data files)',
      expected: `data files named like ${expected}`,
    });
  }

  const members = claim.datasets.flatMap((plan) => plan.files.flatMap((file) => [file.member, ...file.crossCheck].map((member) => member.name)));
  const identity = named
    ? fitsMembers(named.fromCode(options.code!)!, claim.family, archive, members)
    : claim.family.identify({
        name: archive.name,
        members: claim.datasets.flatMap((plan) => plan.files.map((file) => file.member.name)),
      });
  return {
    family: claim.family,
    identity: options.effectiveFrom ? { ...identity, effectiveFrom: options.effectiveFrom } : identity,
    datasets: claim.datasets,
  };
}

/**
 * A code given from outside (`--code`, the CMS page sync followed) must not contradict what the
 * data files' own names say: another year, or another quarter where the names hold one
 * (`PPRRVU2026_Jul_nonQPP.csv` is RVU26C, never RVU25D; `GPCI2026.csv` belongs to 2026). Names
 * that hold nothing, or only what agrees (RVU24AR's `PPRRVU24_JAN`), leave the code as given;
 * a family may check only the year for some codes (Family.checksQuarterOf).
 */
function fitsMembers(identity: ReleaseIdentity, family: Family, archive: Archive, members: readonly string[]): ReleaseIdentity {
  const quarters = family.checksQuarterOf?.(identity.code) ?? true;
  const other = family
    .membersRelease(members)
    .find((said) => said.year !== identity.year || (quarters && said.quarter !== undefined && said.quarter !== identity.quarter));
  if (other === undefined) return identity;
  const belongs = other.code !== undefined ? `belongs to ${other.code}` : `is a file of ${other.year}`;
  throw new InputError(`the release was named ${identity.code}, but its data file ${other.member} ${belongs}`, {
    file: archive.name,
    expected: `the archive of ${identity.code} (a wrong link or redirect serves another release's zip), or the right --code`,
  });
}

function planDataset(dataset: Dataset, archive: Archive): DatasetPlan | undefined {
  const { stem, formats, role } = dataset.members;
  const candidates = archive.members.filter((member) => stem.test(member.stem) && formats.includes(member.format));
  if (candidates.length === 0) return undefined;

  // One logical file per stem, read from its most preferred format. A dataset that cross-checks
  // its formats groups by role instead: CMS re-posts one format under a new suffix
  // (`…ANWEB_v2.txt` beside `…ANWEB.xlsx`), and those are still one file in two formats.
  const byStem = new Map<string, MemberFile[]>();
  for (const member of candidates) {
    const key = dataset.crossCheck ? (role?.(member.stem) ?? 'main') : member.stem.toLowerCase();
    byStem.set(key, [...(byStem.get(key) ?? []), member]);
  }
  const files: FilePlan[] = [];
  for (const group of byStem.values()) {
    const ranked = [...group].sort((a, b) => formats.indexOf(a.format) - formats.indexOf(b.format));
    const member = ranked[0]!;
    const twin = ranked.find((other) => other !== member && other.format === member.format);
    if (twin) {
      throw new InputError(`2 ${member.format} files for dataset ${dataset.name}; expected one`, {
        file: archive.name,
        value: `${member.path}, ${twin.path}`,
        expected: 'one file per dataset in a release',
      });
    }
    const crossFormats = dataset.crossCheck?.formats ?? [];
    files.push({
      member,
      role: role?.(member.stem) ?? 'main',
      crossCheck: ranked.slice(1).filter((other) => crossFormats.includes(other.format)),
    });
  }

  const roles = new Map<string, FilePlan[]>();
  for (const file of files) roles.set(file.role, [...(roles.get(file.role) ?? []), file]);
  for (const [roleName, same] of roles) {
    if (same.length > 1) {
      throw new InputError(`${same.length} files for dataset ${dataset.name} (${roleName}); expected one`, {
        file: archive.name,
        value: same.map((file) => file.member.path).join(', '),
        expected: 'one file per dataset in a release',
      });
    }
  }
  // The main file loads first; a lone companion stands in for it.
  files.sort((a, b) => Number(b.role === 'main') - Number(a.role === 'main'));
  return { dataset, files };
}

function isPresent<T>(value: T | undefined): value is T {
  return value !== undefined;
}
