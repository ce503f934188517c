/**
 * What a publish sends downstream: each published table as one SELECT over the source database,
 * ordered by its key so that its COPY text (and so its sha256) is the same whenever the data is.
 * The statements are inlined SQL (COPY cannot bind parameters): every value spliced in is
 * checked or quoted here.
 */
import { quoteIdentifier as ident } from '../db/pool.js';

export interface PublishSelection {
  /** numeric (CPT) codes published without their AMA descriptors */
  omitCptDescriptors: boolean;
  /** the PFS release whose payments are published (cms.releases.id), or none */
  paymentReleaseId: string | undefined;
  /** `all`, `none`, or MAC-LOCALITY pairs */
  paymentLocalities: 'all' | 'none' | readonly string[];
  /** snapshot table → its columns that hold AMA text on CPT rows (from the pipelines) */
  licensedText: Readonly<Record<string, readonly string[]>>;
}

/** The columns a query returns (to build a select over a view that grows columns). */
export type ColumnsOf = (query: string) => Promise<string[]>;

export interface PublishedTable {
  /** the name downstream readers use */
  readonly name: string;
  /** the source rows, in key order */
  select(selection: PublishSelection, columnsOf: ColumnsOf): string | Promise<string>;
  /** the target's primary key */
  readonly key: readonly string[];
  /** further indexes built on the target before it is swapped in */
  readonly indexes?: readonly (readonly string[])[];
}

/** A code is CPT (the AMA's) when it starts with a digit: 99213, 0001F, 0042T, 0001U. */
export const CPT_CODE = `'^[0-9]'`;

export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** The loaded releases, each with the datasets it is current for (none for a superseded one). */
const releases: PublishedTable = {
  name: 'releases',
  key: ['family', 'code', 'revision'],
  select: () => `
    select r.family, r.code, r.revision, r.year, r.quarter, r.effective_from, r.published_on, r.status,
      s.code || '@' || s.revision as superseded_by,
      coalesce((select array_agg(c.dataset order by c.dataset) from cms.current_releases c where c.release_id = r.id), '{}') as current_for,
      r.source_name, r.source_url, r.archive_sha256, r.loaded_at
    from cms.releases r left join cms.releases s on s.id = r.superseded_by
    order by r.family, r.code, r.revision`,
};

/**
 * The change feed with release codes instead of local ids. For CPT codes the AMA's descriptor
 * fields are withheld when asked: the change stays, its values become null.
 */
const codeChange: PublishedTable = {
  name: 'code_change',
  key: ['to_release', 'to_revision', 'dataset', 'key'],
  indexes: [['hcpcs', 'to_release']],
  select: ({ omitCptDescriptors, licensedText }) => {
    const withheld = `jsonb_build_object('from', null, 'to', null)`;
    const licensed = Object.entries(licensedText).flatMap(([table, columns]) =>
      columns.map((column) => `(c.dataset = ${quoteLiteral(table)} and f.key = ${quoteLiteral(column)})`),
    );
    const fields =
      omitCptDescriptors && licensed.length > 0
        ? `case when c.hcpcs ~ ${CPT_CODE} then (
             select coalesce(jsonb_object_agg(f.key, case when ${licensed.join(' or ')} then ${withheld} else f.value end), '{}'::jsonb)
             from jsonb_each(c.fields) f)
           else c.fields end`
        : 'c.fields';
    return `
      select c.family, c.dataset, f.code as from_release, f.revision as from_revision, t.code as to_release, t.revision as to_revision,
        c.hcpcs, c.modifier, c.key, c.change, ${fields} as fields, c.tags
      from cms.code_change c
      join cms.releases f on f.id = c.from_release_id
      join cms.releases t on t.id = c.to_release_id
      order by t.code, t.revision, c.dataset, c.key`;
  },
};

/** Local ids are meaningless downstream: releases are named by code instead (`pfs_release`, `hcpcs_release`, `release`). */
const LOCAL_IDS = new Set(['release_id', 'pfs_release_id', 'hcpcs_release_id']);

/** Columns of cms.code_catalog that hold the AMA's text on CPT rows (title falls back to the PPRRVU description). */
const CATALOG_DESCRIPTORS = ['short_description', 'long_description', 'pfs_description'];

/** One row per code: cms.code_catalog as it is, without local ids. */
const codeCatalog: PublishedTable = {
  name: 'code_catalog',
  key: ['hcpcs'],
  indexes: [['category']],
  async select({ omitCptDescriptors }, columnsOf) {
    const columns = (await columnsOf('select * from cms.code_catalog')).filter((column) => !LOCAL_IDS.has(column));
    const projected = columns.map((column) => {
      if (!omitCptDescriptors) return `c.${ident(column)}`;
      if (CATALOG_DESCRIPTORS.includes(column)) return `case when c.hcpcs ~ ${CPT_CODE} then null else c.${ident(column)} end as ${ident(column)}`;
      if (column === 'title') return `case when c.hcpcs ~ ${CPT_CODE} then c.editorial_title else c.title end as title`;
      return `c.${ident(column)}`;
    });
    return `select ${projected.join(', ')} from cms.code_catalog c order by c.hcpcs`;
  },
};

/**
 * Payments of the current PFS release, per code/modifier × locality (all, none, or the chosen
 * ones). The key holds the state: from 2026 one MAC and locality stand for two GPCI states
 * (05102-00 is CT and IA), each with its own GPCIs and so its own amounts.
 */
const pfsPayment: PublishedTable = {
  name: 'pfs_payment',
  key: ['hcpcs', 'modifier', 'mac', 'locality', 'state'],
  indexes: [['mac', 'locality']],
  async select({ paymentReleaseId, paymentLocalities }, columnsOf) {
    const id = paymentReleaseId === undefined ? 'null::bigint' : `${checkId(paymentReleaseId)}::bigint`;
    const columns = (await columnsOf(`select * from cms.pfs_payment_rows(${id})`)).filter((column) => !LOCAL_IDS.has(column));
    // cms.pfs_payment_rows is an inlinable SQL function: the locality filter reaches its scans.
    const where =
      paymentLocalities === 'none' || paymentReleaseId === undefined
        ? 'false'
        : paymentLocalities === 'all'
          ? 'true'
          : paymentLocalities
              .map((pair) => {
                const [mac, locality] = pair.split('-');
                return `(p.mac = ${quoteLiteral(mac!)} and p.locality = ${quoteLiteral(locality!)})`;
              })
              .join(' or ');
    return `
      select r.code as release, r.revision, ${columns.map((column) => `p.${ident(column)}`).join(', ')}
      from cms.pfs_payment_rows(${id}) p
      join cms.releases r on r.id = p.release_id
      where ${where}
      order by p.hcpcs, p.modifier, p.mac, p.locality, p.state`;
  },
};

function checkId(id: string): string {
  if (!/^\d+$/.test(id)) throw new Error(`not a release id: ${id}`);
  return id;
}


export const PUBLISHED_TABLES: readonly PublishedTable[] = [codeCatalog, codeChange, pfsPayment, releases];
