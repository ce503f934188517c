/**
 * The merged catalog: a Level II code with HCPCS, PFS and editorial data; a CPT code with PFS data
 * only; a code with an editorial entry only; a category's billing notes inherited; the record as
 * of an older release; search ranking; the view's columns and rows.
 */
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { catalogRecord, importEditorial, renderCatalogRecord, searchCatalog } from '../../src/index.js';
import { UsageError } from '../../src/errors.js';
import { backends } from '../support/db.js';
import { fixture, scratchDir, writeFixtureFile } from '../support/fixtures.js';
import { HCPCS_2025, pfsZip, useEditorialDatabase } from './support.js';

describe.each(backends)('the catalog on %s', (backend) => {
  const db = useEditorialDatabase(backend, [pfsZip('rvu25d'), pfsZip('rvu26c'), HCPCS_2025]);
  let extra: string;
  beforeAll(async () => {
    extra = await writeFixtureFile(
      await scratchDir(),
      'extra.yaml',
      [
        '- code: A9532',
        '  title: Iodinated I-125 serum albumin, diagnostic',
        '  synonyms: [RISA, iodinated albumin]',
        '  plain_language: A tracer injected to measure plasma volume.',
        '- code: A0021',
        '  plain_language: An ambulance ride outside the state, billed by the mile.',
      ].join('\n'),
    );
  });
  // The editorial tables are emptied before each test: each imports what it reads.
  const load = async () => {
    const result = await importEditorial(db.database, [fixture('editorial', 'codes.csv'), fixture('editorial', 'categories.yaml'), extra], {
      allowUnknownCodes: true,
      replace: true,
    });
    expect(result.unknownCodes).toEqual(['A9532']);
  };

  it('a Level II code with HCPCS, PFS and editorial data, and its category billing note', async () => {
    await importEditorial(db.database, [fixture('editorial')]);
    const record = await catalogRecord(db.database, 'a2001');
    expect(record).toEqual({
      code: 'A2001',
      kind: 'HCPCS Level II',
      category: { id: 'hcpcs:A', label: expect.stringMatching(/^A codes: Transportation services, medical and surgical supplies/) },
      title: 'Innovamatrix ac, per square centimeter',
      hcpcs: { long_description: 'Innovamatrix ac, per square centimeter', short_description: 'Innovamatrix ac, per sq cm', termination_date: null },
      pfs: {
        description: 'Innovamatrix ac, per sq cm',
        status: { code: 'A', meaning: 'Active, separately paid if covered', payment: 'Paid under the fee schedule from its RVUs.', paid_from_rvus: true },
        work_rvu: '0.00',
        nonfac_total: '3.81',
        fac_total: '3.81',
        nonfac_na: false,
        fac_na: true,
        global_days: 'ZZZ',
        conv_factor: '33.4009',
        conv_factor_qpp: '33.5675',
        // 3.81 × 33.4009 = 127.257429 → 127.26; 3.81 × 33.5675 = 127.892175 → 127.89
        national: { nonfac: '127.26', fac: '127.26', nonfac_qpp: '127.89', fac_qpp: '127.89' },
      },
      editorial: {
        title: 'Innovamatrix ac, per square centimeter',
        summary: 'A skin substitute product billed per square centimeter applied.',
        synonyms: ['InnovaMatrix AC', 'skin substitute graft'],
        plain_language: 'A wound covering made from tissue, applied to help a wound heal.',
        clinical_context: 'Used on chronic wounds that have not healed with standard care.',
        specialties: ['Wound Care', 'Podiatry'],
        version: 1,
        updated_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      },
      billing_notes: {
        text: 'Level II A codes are billed to the DME MAC or A/B MAC that covers the service; check the jurisdiction list before submitting.',
        from: 'category',
        category: 'hcpcs:A',
      },
      sources: [
        { family: 'pfs', code: 'RVU26C', revision: 0, title: 'CMS Physician Fee Schedule RVU26C' },
        { family: 'hcpcs', code: 'HCPC2025_OCT', revision: 0, title: 'HCPCS 2025 October' },
      ],
      // no OPPS, ASP or CLFS release is loaded here (test/fee-schedules/catalog.test.ts loads them)
      schedules: [],
    });
    const text = renderCatalogRecord(record!);
    expect(text).not.toContain('Other schedules');
    expect(text.split('\n')[0]).toBe('A2001  Innovamatrix ac, per square centimeter');
    expect(text).toMatch(/^National amount: +non-facility \$127\.26, facility \$127\.26 \(NA\) \(CF 33\.4009\)$/m);
    expect(text).toMatch(/^Data sourced from: CMS Physician Fee Schedule RVU26C; HCPCS 2025 October$/m);
    // Internal notes are never part of the record.
    expect(JSON.stringify(record)).not.toContain('Check the LCD');
  });

  it('a CPT code with PFS data only; a status not paid from RVUs has no national amount', async () => {
    const cpt = await catalogRecord(db.database, '93000');
    expect(cpt).toMatchObject({
      code: '93000',
      kind: 'CPT',
      category: { id: 'cpt:medicine', label: 'CPT Category I: Medicine' },
      title: 'CPT descriptor withheld 93000',
      hcpcs: null,
      editorial: null,
      billing_notes: null,
      sources: [{ family: 'pfs', code: 'RVU26C', revision: 0, title: 'CMS Physician Fee Schedule RVU26C' }],
    });
    expect(cpt!.pfs?.status.code).toBe('A');
    const measurement = await catalogRecord(db.database, 'G9788');
    expect(measurement!.pfs).toMatchObject({
      status: { code: 'M', paid_from_rvus: false, payment: 'Measurement code, for reporting only: no payment.' },
      national: { nonfac: null, fac: null, nonfac_qpp: null, fac_qpp: null },
    });
    expect(await catalogRecord(db.database, 'Z9999')).toBeUndefined();
  });

  it('a code with an editorial entry only (accepted unknown); a code note wins over its category note', async () => {
    await load();
    const record = await catalogRecord(db.database, 'A9532');
    expect(record).toMatchObject({
      code: 'A9532',
      kind: 'HCPCS Level II',
      category: { id: 'hcpcs:A' },
      title: 'Iodinated I-125 serum albumin, diagnostic',
      hcpcs: null,
      pfs: null,
      editorial: { synonyms: ['RISA', 'iodinated albumin'], plain_language: 'A tracer injected to measure plasma volume.' },
      billing_notes: { from: 'category', category: 'hcpcs:A' },
      sources: [],
    });
    expect(renderCatalogRecord(record!)).toMatch(/^Data sourced from: no current release \(editorial entry only\)$/m);
    expect((await catalogRecord(db.database, 'A0425'))!.billing_notes).toEqual({ text: 'Bill one unit per loaded statute mile, rounded up to the tenth.', from: 'code' });
    expect((await catalogRecord(db.database, '99213'))!.billing_notes).toMatchObject({ from: 'category', category: 'cpt:evaluation-management' });
  });

  it('--release gives the record as of an older release', async () => {
    await load();
    const old = await catalogRecord(db.database, 'A2001', { releases: ['RVU25D'] });
    expect(old!.pfs).toMatchObject({
      status: { code: 'C', meaning: 'Contractor-priced', paid_from_rvus: false, payment: expect.stringMatching(/^Carrier priced: there are no national RVUs/) },
      conv_factor: '32.3465',
      conv_factor_qpp: null,
      national: { nonfac: null, fac: null, nonfac_qpp: null, fac_qpp: null },
    });
    expect(old!.sources.map((source) => source.code)).toEqual(['RVU25D', 'HCPC2025_OCT']);
    const removed = await catalogRecord(db.database, 'J0171', { releases: ['RVU25D@0'] });
    expect(removed!.pfs?.status.code).toBe('I');
    expect(await catalogRecord(db.database, 'J0171')).toBeUndefined();
    const { rows } = await sql<{ national_nonfac_amount: string }>`
      select national_nonfac_amount from cms.code_catalog_as_of(
        (select id from cms.releases where code = 'RVU25D'), null) where hcpcs = '99213'`.execute(db.database.db);
    expect(rows).toEqual([{ national_nonfac_amount: '88.95' }]); // 2.75 × 32.3465 = 88.952875
    await expect(catalogRecord(db.database, 'A2001', { releases: ['RVU25D', 'RVU26C'] })).rejects.toThrow(/two pfs releases/);
    await expect(catalogRecord(db.database, 'A2001', { releases: ['RVU99A'] })).rejects.toThrow(/no such release/);
    // a typo is a usage error, not "not in the catalog"
    await expect(catalogRecord(db.database, '99213x')).rejects.toThrow(
      new UsageError('"99213x" is not an HCPCS/CPT code: expected 5 letters or digits, such as 99213 or G0008'),
    );
    expect(await catalogRecord(db.database, ' a0425 ')).toMatchObject({ code: 'A0425' });
  });

  it('search ranks codes by a full-text match on code, title, synonyms, descriptors and plain language', async () => {
    await load();
    const mileage = await searchCatalog(db.database, 'ambulance mileage');
    // A0425: title and synonyms; A0021: "Ambulance service, outside state per mile" (descriptor) only.
    expect(mileage.matches.map((match) => match.code)).toEqual(['A0425']);
    const ambulance = await searchCatalog(db.database, 'ambulance');
    expect(ambulance.matches.map((match) => match.code)).toEqual(['A0425', 'A0021']);
    expect(ambulance.matches[0]!.rank).toBeGreaterThan(ambulance.matches[1]!.rank);
    const plasma = await searchCatalog(db.database, 'plasma volume');
    expect(plasma.matches.map((match) => match.code)).toEqual(['A9532']);
    expect((await searchCatalog(db.database, 'g2211')).matches[0]).toMatchObject({ code: 'G2211', kind: 'HCPCS Level II' });
    expect((await searchCatalog(db.database, 'placeholder', { limit: 1 })).matches).toHaveLength(1);
    expect(plasma.releases.map((release) => release.code)).toEqual(['RVU26C', 'HCPC2025_OCT']);
    // a "-word" excludes, and the rest still ranks as it would alone
    const notMileage = await searchCatalog(db.database, 'ambulance -mileage');
    expect(notMileage.matches.map((match) => match.code)).toEqual(['A0021']);
    expect(notMileage.matches[0]!.rank).toBe(ambulance.matches[1]!.rank);
    expect((await searchCatalog(db.database, '-mileage', { limit: 3 })).matches).toHaveLength(3);
  });

  it('the view has one row per code of the current releases or with an entry, with the documented columns', async () => {
    await load();
    const { rows } = await sql<{ rows: number; codes: number; expected: number }>`
      select (select count(*)::int from cms.code_catalog) as rows,
        (select count(distinct hcpcs)::int from cms.code_catalog) as codes,
        (select count(*)::int from (
          select hcpcs from cms.pfs_rvu_current union select hcpcs from cms.hcpcs_code_current
          union select entry_key from cms.editorial_entry where entry_type = 'code') u) as expected`.execute(db.database.db);
    expect(rows[0]!.rows).toBe(rows[0]!.expected);
    expect(rows[0]!.codes).toBe(rows[0]!.expected);
    const { rows: columns } = await sql<{ column_name: string }>`
      select column_name from information_schema.columns where table_schema = 'cms' and table_name = 'code_catalog'`.execute(db.database.db);
    expect(columns.map((column) => column.column_name)).toEqual(
      expect.arrayContaining([
        'hcpcs', 'kind', 'category', 'category_label', 'title', 'short_description', 'long_description', 'pfs_description', 'status_code',
        'status_meaning', 'work_rvu', 'nonfac_total', 'fac_total', 'global_days', 'national_nonfac_amount', 'national_fac_amount', 'summary',
        'synonyms', 'plain_language', 'clinical_context', 'specialties', 'billing_notes', 'pfs_release', 'hcpcs_release', 'editorial_version',
        'editorial_updated_at',
      ]),
    );
    expect(columns.map((column) => column.column_name)).not.toContain('notes');
  });
});
