/**
 * The contract between the engine (src/) and the dataset modules (pipelines/).
 *
 * A pipeline module declares what it reads and what it produces; the engine opens archives,
 * picks members, streams rows into the database inside one transaction, enforces keys and
 * merges companion files. CMS format knowledge (file names, headers, code values) lives only in
 * the modules that implement these interfaces.
 */
import type { Readable } from 'node:stream';

export type FileFormat = 'csv' | 'xlsx' | 'xls' | 'txt';

/** A value written to a snapshot table: text, boolean, NULL or a text array. Numbers are decimal strings. */
export type CopyValue = string | boolean | null | readonly string[];
export type OutputRow = Record<string, CopyValue>;

/** One member of an archive (or one file of a folder, or the single file imported). */
export interface MemberFile {
  /** base name, e.g. `PPRRVU2025_Oct.csv` */
  readonly name: string;
  /** base name without extension, e.g. `PPRRVU2025_Oct` */
  readonly stem: string;
  /** path inside the archive or folder; what error messages name */
  readonly path: string;
  readonly format: FileFormat;
  /** uncompressed size in bytes */
  readonly size: number;
  /** a fresh stream of the member's bytes; may be called more than once */
  open(): Promise<Readable>;
  /** the whole member in memory (xlsx needs it) */
  bytes(): Promise<Buffer>;
  /** sha256 of the bytes, hex; taken while the member was read when it was, else by reading it */
  sha256(): Promise<string>;
}

/**
 * Rows that can also be read a batch at a time: what the engine does, so that a file's rows
 * cost no await each (a csv's rows come a parsed chunk at a time). Iterated as is, row by row.
 */
export class Batched<T> implements AsyncIterable<T> {
  constructor(readonly batches: () => AsyncIterable<readonly T[]>) {}

  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    for await (const batch of this.batches()) yield* batch;
  }
}

/** Any rows as batches: a Batched's own, else one row per batch. */
export function batchesOf<T>(rows: AsyncIterable<T> | Iterable<T>): AsyncIterable<readonly T[]> {
  if (rows instanceof Batched) return (rows as Batched<T>).batches();
  return (async function* () {
    for await (const row of rows) yield [row];
  })();
}

/** A row produced by a dataset: its values, and the line it came from (for error messages). */
export interface SourceRow {
  readonly line: number;
  readonly values: OutputRow;
}

/** Facts about the release that a file can state (PPRRVU's `RELEASED mm/dd/yyyy` row). */
export interface ReleaseFacts {
  /** ISO date, YYYY-MM-DD */
  published_on?: string;
}

export interface ParseContext {
  readonly file: MemberFile;
  /** `main`, or the companion role given by the dataset's `members.role` */
  readonly role: string;
  /** the code of the release being loaded (`HCPC2018_JAN`), which errata are declared for */
  readonly release?: string | undefined;
  /** a non-fatal finding, reported with the import's result */
  warn(message: string, where?: { line?: number; column?: string }): void;
  /** record a release-level fact read from this file */
  fact<K extends keyof ReleaseFacts>(name: K, value: NonNullable<ReleaseFacts[K]>): void;
  /** a declared erratum was applied (src/parse/errata.ts reports and records it through this) */
  corrected?(applied: AppliedErratum): void;
}

/**
 * An error of CMS's own in a released file, corrected while it is parsed: declared per family in
 * `pipelines/<family>/errata.ts`, with the evidence. Anything not declared still fails closed.
 */
export interface Erratum {
  /** the release code it is declared for (`HCPC2018_JAN`) */
  readonly release: string;
  /** the member it is in, tested against the member's stem */
  readonly file: RegExp;
  /** the record's key (`C9488`) */
  readonly key: string;
  /** the field, as the file names it (`ASC_GRP`) */
  readonly field: string;
  /** what the file says */
  readonly found: string;
  /** what it should say, and what is loaded */
  readonly corrected: string;
  /** why: the evidence in the file (and elsewhere) */
  readonly reason: string;
}

export interface AppliedErratum extends Erratum {
  /** the member's path, as errors name it */
  readonly path: string;
  readonly line: number;
}

/** Which archive members a dataset reads. */
export interface MemberRule {
  /** tested against the member's stem (base name without extension) */
  readonly stem: RegExp;
  /** the names it matches as a person reads them (`PPRRVU*.csv`), for "no data files recognised" */
  readonly names?: string;
  /** formats the dataset reads, most preferred first; a member in another format is ignored */
  readonly formats: readonly FileFormat[];
  /** the role of a member by its stem: `main` unless the dataset declares companions */
  role?(stem: string): string;
}

/**
 * A second file of the same dataset whose rows describe the same keys (2026's QPP PPRRVU file
 * beside the nonQPP one). Its rows are loaded beside the main file's, checked to agree on every
 * column except `ignore`, and the `take` columns are copied from it onto the main rows.
 * When only the companion is present, it is loaded as the main file.
 */
export interface CompanionMerge {
  readonly role: string;
  readonly take: readonly string[];
  readonly ignore: readonly string[];
}

/**
 * The same data shipped in another format (HCPCS ANWEB as txt and xlsx): the engine reads it
 * too, and reports (as warnings with counts) where it disagrees with what was loaded.
 */
export interface CrossCheck {
  readonly formats: readonly FileFormat[];
  /** columns not compared (present in only one of the formats) */
  readonly ignore?: readonly string[];
  /** text columns compared with every run of whitespace as one space (the formats wrap them differently) */
  readonly whitespaceInsensitive?: readonly string[];
}

/**
 * A condition on one key of a release diff, read from the older release to the newer one.
 * `set` and `cleared` name a column; `anyOf` lists columns.
 */
export type DiffCondition =
  /** the key is only in the newer (`added`) or only in the older release (`removed`) */
  | { readonly change: 'added' | 'removed' }
  /** the key is in both releases and no compared column differs */
  | { readonly unchanged: true }
  /** the key is in both releases and one of these columns differs */
  | { readonly anyOf: readonly string[] }
  /** the newer release has a value in the column, and the older had none or another one */
  | { readonly set: string }
  /** the key is in both releases; the older had a value in the column, the newer has none */
  | { readonly cleared: string };

/**
 * How release diffs (src/diff) treat a dataset. Without it, every column that is not part of the
 * key is compared, and `--code` filters on the first key column.
 */
export interface DiffSpec {
  /** other names `diff --dataset` accepts (`locality` for LOCCO) */
  readonly aliases?: readonly string[];
  /** the key column `--code` filters on (default: the first key column) */
  readonly codeColumn?: string;
  /** which key columns fill the change feed's `hcpcs` and `modifier` columns (else they are NULL) */
  readonly feed?: { readonly hcpcs?: string; readonly modifier?: string };
  /** a column shown beside an added or removed key in tables (a description or a locality name) */
  readonly labelColumn?: string;
  /**
   * Columns holding one value for the whole release (the conversion factor): never compared row
   * by row; the summary reports each once as `{ from, to }`.
   */
  readonly summary?: readonly string[];
  /** columns never compared (bookkeeping such as CMS's own action code) */
  readonly ignore?: readonly string[];
  /**
   * Columns that some layout eras lack, NULL in every row of a release in such a layout
   * (PRIC IND before 2026): compared only when both releases have a value in some row.
   */
  readonly layoutOnly?: readonly string[];
  /**
   * Text columns compared with every run of whitespace as one space: where the files wrap a long
   * description differently from one release to the next (txt continuation records), the
   * re-wrapping must not show as a change. The stored value stays exactly as CMS wrote it.
   */
  readonly whitespaceInsensitive?: readonly string[];
  /** numeric columns whose largest moves the summary lists (the RVUs) */
  readonly moves?: readonly string[];
  /** named kinds of change, counted in the summary and tagged on each change (HCPCS: discontinued …) */
  readonly categories?: readonly { readonly name: string; readonly when: readonly DiffCondition[] }[];
  /**
   * A column in which the newer release states its own change for each key (HCPCS action code),
   * and what each value requires (any one of `when`). Keys whose stated change disagrees with the
   * computed one are reported. Values without a rule are not checked.
   */
  readonly reconcile?: {
    readonly column: string;
    readonly rules: Readonly<Record<string, { readonly meaning: string; readonly when: readonly DiffCondition[] }>>;
  };
}

export interface Dataset {
  /** short name used in output and `release_files.dataset`, e.g. `pprrvu` */
  readonly name: string;
  /** target table in schema `cms`; it has `release_id` plus `columns` */
  readonly table: string;
  /** column order for bulk loading, without `release_id` */
  readonly columns: readonly string[];
  /** natural key within a release */
  readonly key: readonly string[];
  readonly members: MemberRule;
  /**
   * A repeated key: `error` (default) stops the import; `collapse-identical` keeps one of
   * identical rows with a warning and still fails on conflicting rows.
   */
  readonly onDuplicate?: 'error' | 'collapse-identical';
  readonly companion?: CompanionMerge;
  readonly crossCheck?: CrossCheck;
  /** how release diffs compare two releases of this dataset (src/diff); optional */
  readonly diff?: DiffSpec;
  /**
   * Columns that hold the AMA's CPT descriptors on rows of numeric (CPT) codes: withheld from
   * what is published or exported with `--omit-cpt-descriptors`.
   */
  readonly licensedText?: readonly string[];
  /** parse and validate one member; throw InputError on bad input */
  read(file: MemberFile, ctx: ParseContext): AsyncIterable<SourceRow>;
}

/** A calendar quarter: 1 = January–March … 4 = October–December. */
export type Quarter = 1 | 2 | 3 | 4;

/** Who a release is: derived from names and content, or from an explicit code. */
export interface ReleaseIdentity {
  /** as CMS names it: `RVU24B`, `RVU24AR`, `HCPC2026_JAN` */
  readonly code: string;
  readonly year: number;
  readonly quarter: Quarter;
  /** ISO date: first day of the quarter unless overridden */
  readonly effectiveFrom: string;
}

/**
 * What one data file's name says of its release: `PPRRVU2026_Jul_nonQPP` the year and quarter
 * (RVU26C), `GPCI2026` only the year.
 */
export interface MemberRelease {
  /** the member's name, as given */
  readonly member: string;
  readonly year: number;
  /** absent when the name holds only the year */
  readonly quarter?: Quarter;
  /** the release the name stands for, when it says that much (`RVU26C`) */
  readonly code?: string;
}

/** A release archive that a family found on its CMS pages. URLs are the ones to fetch (mirror applied). */
export interface DiscoveredRelease {
  /** as CMS names it: `RVU25A`, `RVU26AR`, `HCPC2026_JAN` */
  readonly code: string;
  /** calendar year the release belongs to */
  readonly year: number;
  /** the quarter it takes effect in (annual files count as 1) */
  readonly quarter: Quarter;
  /** the "Updated" date CMS gives, ISO yyyy-mm-dd; null when it gives none */
  readonly updated: string | null;
  /** the page that linked the archive */
  readonly pageUrl: string;
  /** the archive to download */
  readonly url: string;
}

/**
 * What discovery (src/sources) hands a family to walk its pages with. Parse links with
 * src/sources/urls.ts (`resolveHref`, `fetchableUrl`, `cmsPath`), passing this object as their
 * `{ mirror, warn }`; report a page whose structure changed with `PageStructureError`
 * (src/sources/page-error.ts), never with an empty result.
 */
export interface CmsSite {
  /** only releases of this year or later are wanted (older ones are dropped anyway; skip their pages) */
  readonly since: number;
  /** the copy of www.cms.gov being fetched from, if any */
  readonly mirror: string | undefined;
  /** GET a page: a https://www.cms.gov URL (the mirror is applied) or a URL from a parsed link; `url` is where redirects ended */
  page(url: string): Promise<{ text: string; url: string }>;
  /**
   * `work` for each item, a few at a time (sync's `concurrency`); an item whose work fails is a
   * page error (reported, or failing discovery when nobody listens) and is left out.
   */
  eachPage<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]>;
  /** something looks off but discovery goes on (a skipped link, a duplicate) */
  warn(message: string): void;
}

/** A family's id, as `cms.releases.family` stores it and `--family` takes it: `pfs`, `hcpcs`. */
export type FamilyId = string;

/**
 * A dataset family: releases that CMS publishes together (one zip per quarter), how to tell
 * which release a source is, and, optionally, where on the CMS site its releases are listed.
 * Declared in pipelines/<family>/ and listed in pipelines/index.ts; nothing in src/ names one.
 */
export interface Family {
  readonly name: FamilyId;
  /** what CMS calls the releases, for help text: `PFS Relative Value Files` */
  readonly title: string;
  /** release codes as a user would type them, for help and error messages: `RVU25D`, `RVU24AR` */
  readonly codeExamples: readonly string[];
  readonly datasets: readonly Dataset[];
  /**
   * Identify the release from the source's name (zip, folder or file name) and the names of
   * the members this family reads. Throws InputError when it cannot tell.
   */
  identify(source: { name: string; members: readonly string[] }): ReleaseIdentity;
  /** Identity from an explicit release code (`--code`, or what sync discovered); null if not this family's. */
  fromCode(code: string): ReleaseIdentity | null;
  /**
   * What the names of the members this family reads say of their release, those that say
   * anything (a year; a year and a quarter): a code from outside (`--code`, the CMS page that
   * linked the zip) that they contradict is refused, since the archive is another release's.
   */
  membersRelease(members: readonly string[]): MemberRelease[];
  /**
   * Whether a member's quarter must match the given code's too, or only its year; default: both.
   * (A PFS correction, `RVU24AR`, is checked by its year: its files may be named for the next quarter.)
   */
  checksQuarterOf?(code: string): boolean;
  /** What a code page shows from this family's schedule beside the PFS (OPPS, ASP, CLFS); optional */
  readonly codeSchedule?: CodeSchedule;
  /**
   * The release archives the family's CMS pages link (any year; `site.since` is a hint). Without
   * it the family is loaded only by `import`; with it, `sync` finds and loads its releases.
   */
  discover?(site: CmsSite): Promise<DiscoveredRelease[]>;
}

/** One row of a schedule for one code, as read from the current release of its dataset. */
export interface CodeScheduleRow {
  /** the status column's value (SI, indicator); null for a schedule without one */
  readonly status: string | null;
  /** the amount column's value, an exact decimal; null when blank */
  readonly amount: string | null;
  /** the `unavailableColumn` flag (ASP's N/A); false without one */
  readonly unavailable: boolean;
}

/** What a row's status means for a code page, in plain words. */
export interface CodeScheduleMeaning {
  /** `packaged into the payment for other services: no separate payment` */
  readonly meaning: string;
  /** true when the schedule pays the code on its own, so its amount is shown; never an amount otherwise */
  readonly paid: boolean;
}

/**
 * A fee schedule beside the PFS (OPPS Addendum B, ASP, CLFS): per code one status and one
 * amount, with words for the statuses that mean "no separate payment" — a code page shows those
 * words, never an amount of 0.
 */
export interface CodeSchedule {
  /** the dataset (of this family) whose current rows hold the schedule */
  readonly dataset: string;
  /** `hospital outpatient (OPPS Addendum B)` */
  readonly label: string;
  /** `status indicator`, `indicator`; null when the schedule has no status column */
  readonly statusName: string | null;
  /** `payment rate`, `payment limit`, `national limit` */
  readonly amountName: string;
  readonly columns: {
    readonly code: string;
    /** a modifier column: the code's own row is the one with '' */
    readonly modifier?: string;
    readonly status?: string;
    readonly amount: string;
    /** a boolean column that says the amount is not available (ASP `N/A`) */
    readonly unavailable?: string;
  };
  describe(row: CodeScheduleRow): CodeScheduleMeaning;
}
