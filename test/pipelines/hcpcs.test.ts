/**
 * HCPCS rules beside the ANWEB readers (pipelines/hcpcs/): the quarterly update page's links, the
 * txt positions errors name, the workbook headers, and how a diff reads CMS's action codes. No
 * database.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ACTION_CODES, COVERAGE_CODES } from '../../pipelines/hcpcs/codes.js';
import { hcpcsCodeDiff, hcpcsModifierDiff } from '../../pipelines/hcpcs/diff.js';
import { CODE_COLUMNS, MODIFIER_COLUMNS } from '../../pipelines/hcpcs/normalize.js';
import { hcpcsCodeDataset, hcpcsFamily, hcpcsModifierDataset } from '../../pipelines/hcpcs/index.js';
import { ANWEB_LAYOUT, CONTINUATION_LENGTH, DATA_FIELDS, FILLER_FIELDS, RECORD_LENGTH, txtColumn } from '../../pipelines/hcpcs/layout.js';
import { ANWEB_WORKBOOK } from '../../pipelines/hcpcs/workbook.js';
import { ANWEB_FIELDS, CONTINUATION_FIELDS } from '../../pipelines/hcpcs/fields.js';
import { HCPCS_ERRATA } from '../../pipelines/hcpcs/errata.js';
import { discoverHcpcs, HCPCS_PAGE_PATH, parseHcpcsPage } from '../../pipelines/hcpcs/page.js';
import type { CmsSite } from '../../src/pipeline.js';
import { fixturePath, memberFromBytes, readAll, testContext } from '../hcpcs/support.js';
import { inputErrorOf } from './pfs-support.js';

const CMS = 'https://www.cms.gov';
const PAGE = `${CMS}/medicare/coding-billing/healthcare-common-procedure-system/quarterly-update`;

function collect() {
  const warnings: string[] = [];
  return { warnings, warn: (message: string) => void warnings.push(message) };
}

describe('the quarterly update page (page.ts)', () => {
  const links = (...hrefs: string[]) => `<html><body>${hrefs.map((href) => `<a href="${href}">file</a>`).join('\n')}</body></html>`;

  it('keeps each release once, in page order; skips other files; warns of unknown Alpha-Numeric names', () => {
    const { warn, warnings } = collect();
    const refs = parseHcpcsPage(
      links(
        '/files/zip/october-2025-alpha-numeric-hcpcs-file.zip',
        '/files/zip/2020-alpha-numeric-hcpcs-file.ZIP',
        '/files/zip/october-2025-alpha-numeric-hcpcs-file.zip',
        '/files/zip/october-2025-alpha-numeric-hcpcs-files.zip',
        '/files/zip/hcpcs-noc-codes.zip',
        '/files/document/january-2026-alpha-numeric-hcpcs-file.pdf',
        '/files/zip/summer-2025-alpha-numeric-hcpcs-file.zip',
        '/files/zip/2025-alphanumeric-hcpcs.zip',
        'https://files.example.net/files/zip/january-2026-alpha-numeric-hcpcs-file.zip',
        'mailto:hcpcs@cms.hhs.gov',
      ),
      PAGE,
      { warn },
    );
    expect(refs).toEqual([
      { code: 'HCPC2025_OCT', year: 2025, quarter: 4, updated: null, pageUrl: PAGE, url: `${CMS}/files/zip/october-2025-alpha-numeric-hcpcs-file.zip` },
      { code: 'HCPC2020_JAN', year: 2020, quarter: 1, updated: null, pageUrl: PAGE, url: `${CMS}/files/zip/2020-alpha-numeric-hcpcs-file.ZIP` },
    ]);
    expect(warnings).toEqual([
      `${PAGE}: HCPC2025_OCT is linked twice; using ${CMS}/files/zip/october-2025-alpha-numeric-hcpcs-file.zip, not ${CMS}/files/zip/october-2025-alpha-numeric-hcpcs-files.zip`,
      `${PAGE}: skipped summer-2025-alpha-numeric-hcpcs-file.zip: not a name we recognise as a quarterly or annual HCPCS file`,
      `${PAGE}: skipped 2025-alphanumeric-hcpcs.zip: not a name we recognise as a quarterly or annual HCPCS file`,
      `skipped link to https://files.example.net/files/zip/january-2026-alpha-numeric-hcpcs-file.zip on ${PAGE}: only www.cms.gov is fetched`,
    ]);
  });

  it('through a mirror, the zips stay on the mirror', () => {
    const { warn } = collect();
    const mirror = 'http://127.0.0.1:9/cms';
    const refs = parseHcpcsPage(links('/files/zip/january-2026-alpha-numeric-hcpcs-file.zip'), `${mirror}/medicare/x`, { mirror, warn });
    expect(refs.map((ref) => ref.url)).toEqual([`${mirror}/files/zip/january-2026-alpha-numeric-hcpcs-file.zip`]);
  });

  it('skips a file beside a zip (a checksum) without a warning: only names ending .zip are zips', () => {
    const { warn, warnings } = collect();
    const refs = parseHcpcsPage(
      links('/files/zip/january-2026-alpha-numeric-hcpcs-file.zip.sha256', '/files/zip/january-2026-alpha-numeric-hcpcs-file.zip'),
      PAGE,
      { warn },
    );
    expect(refs.map((ref) => ref.code)).toEqual(['HCPC2026_JAN']);
    expect(warnings).toEqual([]);
  });

  it('discovers from the quarterly update page of the site (through its mirror)', async () => {
    const mirror = 'http://127.0.0.1:9/cms';
    const asked: string[] = [];
    const site: CmsSite = {
      since: 2025,
      mirror,
      page: async (url) => {
        asked.push(url);
        return { text: links('/files/zip/october-2025-alpha-numeric-hcpcs-file.zip'), url };
      },
      eachPage: async (items, work) => Promise.all(items.map(work)),
      warn: () => undefined,
    };
    const refs = await discoverHcpcs(site);
    expect(asked).toEqual([`${mirror}${HCPCS_PAGE_PATH}`]);
    expect(refs).toEqual([
      { code: 'HCPC2025_OCT', year: 2025, quarter: 4, updated: null, pageUrl: asked[0], url: `${mirror}/files/zip/october-2025-alpha-numeric-hcpcs-file.zip` },
    ]);
    expect(await hcpcsFamily.discover!(site)).toEqual(refs);
  });

  it('a page with only unknown or foreign zips is a page error', () => {
    const { warn } = collect();
    expect(() => parseHcpcsPage(links('/files/zip/summer-2025-alpha-numeric-hcpcs-file.zip'), PAGE, { warn })).toThrow(
      `${PAGE}: no links to Alpha-Numeric HCPCS zip files; expected links such as /files/zip/january-2026-alpha-numeric-hcpcs-file.zip on www.cms.gov`,
    );
  });

  it('the family discovers through the page and names its datasets', () => {
    expect(hcpcsFamily.datasets).toEqual([hcpcsCodeDataset, hcpcsModifierDataset]);
    expect(hcpcsFamily.codeExamples.every((code) => hcpcsFamily.fromCode(code) !== null)).toBe(true);
    expect(hcpcsCodeDataset.key).toEqual(['hcpcs']);
    expect(hcpcsModifierDataset.key).toEqual(['modifier']);
    expect(hcpcsCodeDataset.columns).toBe(CODE_COLUMNS);
    expect(hcpcsModifierDataset.columns).toBe(MODIFIER_COLUMNS);
  });
});

describe('the txt layout (layout.ts)', () => {
  it('names a field by its positions, one position without a range', () => {
    expect(txtColumn('ACTION_CD')).toBe('ACTION_CD (pos 293)');
    expect(txtColumn('LONG_DESCRIPTION')).toBe('LONG_DESCRIPTION (pos 12-91)');
    expect(txtColumn('PRICE2')).toBe('PRICE2 (pos 122-123)');
    expect(txtColumn('CIM3')).toBe('CIM3 (pos 141-146)');
    expect(txtColumn('TOS5')).toBe('TOS5 (pos 265)');
    expect(txtColumn('FILLER_294')).toBe('FILLER_294 (pos 294-320)');
    expect(txtColumn('NOT_A_FIELD' as 'HCPC')).toBe('NOT_A_FIELD');
  });

  it('covers 1-320 without gaps; the fillers are what no field uses; continuations end with the long description', () => {
    let next = 1;
    for (const field of ANWEB_LAYOUT) {
      expect(field.start).toBe(next);
      next = field.end + 1;
    }
    expect(next).toBe(RECORD_LENGTH + 1);
    expect(FILLER_FIELDS.map((field) => field.name)).toEqual(['FILLER_260', 'FILLER_294']);
    expect(DATA_FIELDS.map((field) => field.name)).toEqual([...ANWEB_FIELDS]);
    expect(ANWEB_LAYOUT.find((field) => field.name === CONTINUATION_FIELDS.at(-1))!.end).toBe(CONTINUATION_LENGTH);
  });
});

describe('the workbook headers (workbook.ts)', () => {
  const header = (field: string) => ANWEB_WORKBOOK.columns.find((column) => column.field === field)!;

  it('matches spaces or underscores, HCPC or HCPCS, and nothing around them', () => {
    expect(['LONG DESCRIPTION', 'LONG_DESCRIPTION'].every((text) => header('LONG_DESCRIPTION').header.test(text))).toBe(true);
    expect(['LONG-DESCRIPTION', 'LONG DESCRIPTION 2', 'XLONG DESCRIPTION'].some((text) => header('LONG_DESCRIPTION').header.test(text))).toBe(false);
    expect(['HCPC', 'HCPCS'].every((text) => header('HCPC').header.test(text))).toBe(true);
    expect(['HCPCSS', 'HCP', 'XHCPC'].some((text) => header('HCPC').header.test(text))).toBe(false);
  });

  it('labels columns as the workbooks write them', () => {
    expect(['LONG_DESCRIPTION', 'ADD_DT', 'MULT_PI', 'ASC_GRP', 'ASC_DT', 'OPPS_PI', 'OPPS_DT', 'ANEST_BU', 'ACT_EFF_DT'].map((field) => header(field).label)).toEqual([
      'LONG DESCRIPTION', 'ADD DT', 'MULT_PI', 'ASC_GRP', 'ASC_DT', 'OPPS_PI', 'OPPS_DT', 'ANEST_BU', 'ACT EFF DT',
    ]);
  });

  it('takes as header a row with both HCPC(S) and LONG DESCRIPTION, never a note row', () => {
    expect(ANWEB_WORKBOOK.isHeaderRow(['HCPC', 'SEQNUM', 'RECID', 'Long_Description'])).toBe(true);
    expect(ANWEB_WORKBOOK.isHeaderRow([' hcpcs ', 'long description'])).toBe(true);
    expect(ANWEB_WORKBOOK.isHeaderRow(['HCPC', 'SEQNUM', 'RECID', 'SHORT DESCRIPTION'])).toBe(false);
    expect(ANWEB_WORKBOOK.isHeaderRow(['Note: HCPC codes', 'LONG DESCRIPTION'])).toBe(false);
    expect(ANWEB_WORKBOOK.isHeaderRow(['HCPCS codes added', 'LONG DESCRIPTION'])).toBe(false);
    expect(ANWEB_WORKBOOK.isHeaderRow(['New HCPC', 'LONG DESCRIPTION'])).toBe(false);
  });
});

describe('what each action and coverage code means (codes.ts)', () => {
  // The ACTION_CD and COV tables of cms-formats.md §3 (ACTION_CD also the 2020 "Action Code Key"
  // sheet), written out by hand; P's parenthesis there (MOG, pricing indicator, anesthesia base
  // units, ASC) is the columns its diff rule checks, below.
  it('ACTION_CD: the ten codes, in order, each with its meaning', () => {
    expect([...ACTION_CODES]).toEqual([
      ['A', 'Add'],
      ['B', 'Administrative data and long description change'],
      ['C', 'Long description change'],
      ['D', 'Discontinue'],
      ['F', 'Administrative/coverage data change'],
      ['N', 'No maintenance'],
      ['P', 'Payment change'],
      ['R', 'Re-activate'],
      ['S', 'Short description change'],
      ['T', 'Miscellaneous (BETOS, TOS)'],
    ]);
  });

  it('COV: the five codes, in order, each with its meaning', () => {
    expect([...COVERAGE_CODES]).toEqual([
      ['C', 'Carrier judgment'],
      ['D', 'Special coverage instructions'],
      ['I', 'Not payable by Medicare'],
      ['M', 'Non-covered'],
      ['S', 'Non-covered by statute'],
    ]);
  });
});

describe('diffs and action codes (diff.ts)', () => {
  it('codes: every category and every action code has a rule, meaning what CMS says it means', () => {
    expect(hcpcsCodeDiff.categories!.map((category) => category.name)).toEqual([
      'discontinued', 'reinstated', 'long_descriptor', 'short_descriptor', 'coverage', 'pricing', 'betos', 'administrative',
    ]);
    const rules = hcpcsCodeDiff.reconcile!.rules;
    expect(Object.keys(rules)).toEqual([...ACTION_CODES.keys()]);
    for (const [code, rule] of Object.entries(rules)) expect(rule.meaning).toBe(ACTION_CODES.get(code));
    expect(rules.R!.when).toEqual([{ cleared: 'termination_date' }, { change: 'added' }]);
    expect(rules.P!.when).toEqual([{ anyOf: ['pricing_ind', 'mult_pricing_ind', 'anes_base_units', 'asc_group', 'asc_date', 'opps', 'opps_pi', 'opps_date'] }]);
    expect(rules.T!.when).toEqual([{ anyOf: ['betos', 'tos'] }]);
  });

  it('each category and each action rule checks the columns of its meaning (codes and modifiers)', () => {
    const codeAdministrative = ['cim', 'mcm', 'statute', 'lab_cert', 'xref', 'proc_note', 'add_date'];
    const modifierAdministrative = ['cim', 'mcm', 'statute', 'xref', 'proc_note', 'add_date'];
    const payment = ['pricing_ind', 'mult_pricing_ind', 'anes_base_units', 'asc_group', 'asc_date', 'opps', 'opps_pi', 'opps_date'];
    const whenOf = (diff: typeof hcpcsCodeDiff) => Object.fromEntries(diff.categories!.map((category) => [category.name, category.when]));
    expect(whenOf(hcpcsCodeDiff)).toEqual({
      discontinued: [{ change: 'removed' }, { set: 'termination_date' }],
      reinstated: [{ cleared: 'termination_date' }],
      long_descriptor: [{ anyOf: ['long_description'] }],
      short_descriptor: [{ anyOf: ['short_description'] }],
      coverage: [{ anyOf: ['coverage'] }],
      pricing: [{ anyOf: payment }],
      betos: [{ anyOf: ['betos', 'tos'] }],
      administrative: [{ anyOf: codeAdministrative }],
    });
    expect(whenOf(hcpcsModifierDiff)).toEqual({
      discontinued: [{ change: 'removed' }, { set: 'termination_date' }],
      reinstated: [{ cleared: 'termination_date' }],
      long_descriptor: [{ anyOf: ['long_description'] }],
      short_descriptor: [{ anyOf: ['short_description'] }],
      coverage: [{ anyOf: ['coverage'] }],
      administrative: [{ anyOf: modifierAdministrative }],
    });
    const rulesOf = (diff: typeof hcpcsCodeDiff) => Object.fromEntries(Object.entries(diff.reconcile!.rules).map(([code, rule]) => [code, rule.when]));
    const common = (administrative: string[]) => ({
      A: [{ change: 'added' }],
      B: [{ anyOf: ['long_description', ...administrative] }],
      C: [{ anyOf: ['long_description'] }],
      D: [{ set: 'termination_date' }],
      F: [{ anyOf: ['coverage', ...administrative] }],
      N: [{ unchanged: true }],
      R: [{ cleared: 'termination_date' }, { change: 'added' }],
      S: [{ anyOf: ['short_description'] }],
    });
    expect(rulesOf(hcpcsCodeDiff)).toEqual({ ...common(codeAdministrative), P: [{ anyOf: payment }], T: [{ anyOf: ['betos', 'tos'] }] });
    expect(rulesOf(hcpcsModifierDiff)).toEqual(common(modifierAdministrative));
  });

  it('the names a diff answers to, its feed key, and the long description compared without its line breaks', () => {
    expect([hcpcsCodeDiff.aliases, hcpcsCodeDiff.feed, hcpcsCodeDiff.whitespaceInsensitive]).toEqual([['codes', 'hcpcs'], { hcpcs: 'hcpcs' }, ['long_description']]);
    expect([hcpcsModifierDiff.aliases, hcpcsModifierDiff.feed, hcpcsModifierDiff.whitespaceInsensitive]).toEqual([
      ['modifiers', 'modifier'], { modifier: 'modifier' }, ['long_description'],
    ]);
  });

  it('modifiers carry no payment or BETOS data: no such category, no rule for actions P and T', () => {
    expect(hcpcsModifierDiff.categories!.map((category) => category.name)).toEqual([
      'discontinued', 'reinstated', 'long_descriptor', 'short_descriptor', 'coverage', 'administrative',
    ]);
    expect(Object.keys(hcpcsModifierDiff.reconcile!.rules)).toEqual(['A', 'B', 'C', 'D', 'F', 'N', 'R', 'S']);
  });

  it('every column a rule or category names is a column of its table; the bookkeeping is not compared', () => {
    for (const [diff, columns] of [[hcpcsCodeDiff, CODE_COLUMNS], [hcpcsModifierDiff, MODIFIER_COLUMNS]] as const) {
      const known = new Set<string>(columns);
      const conditions = [...diff.categories!.flatMap((category) => category.when), ...Object.values(diff.reconcile!.rules).flatMap((rule) => rule.when)];
      for (const condition of conditions) {
        const named = 'anyOf' in condition ? condition.anyOf : 'set' in condition ? [condition.set] : 'cleared' in condition ? [condition.cleared] : [];
        for (const column of named) expect(known.has(column)).toBe(true);
      }
      expect(diff.ignore).toEqual(['action_code', 'action_effective_date']);
      expect(diff.reconcile!.column).toBe('action_code');
      expect(known.has(diff.labelColumn!)).toBe(true);
    }
  });
});

describe('declared errata through the code dataset (datasets.ts, errata.ts)', () => {
  const TXT = '2018/HCPC2018_CONTR_ANWEB_disc.txt';
  const file = () => memberFromBytes(TXT, readFileSync(fixturePath(TXT)));

  it('reads the 2018 excerpt as HCPC2018_JAN with the ASC group and date corrected, each correction a warning', async () => {
    const member = file();
    const ctx = { ...testContext(member), release: 'HCPC2018_JAN' };
    const codes = [];
    for await (const row of hcpcsCodeDataset.read(member, ctx)) codes.push(row);
    const asc = codes.filter((row) => row.values.asc_group !== null).map((row) => [row.line, row.values.hcpcs, row.values.asc_group, row.values.asc_date]);
    expect(asc).toEqual([
      [15, 'C9482', 'YY', '2016-10-01'],
      [17, 'C9488', 'YY', '2017-04-01'],
      [18, 'C9745', 'YY', '2017-07-01'],
      [19, 'C9746', 'YY', '2017-07-01'],
      [21, 'C9747', 'YY', '2017-07-01'],
      [23, 'C9748', 'YY', '2018-01-01'],
    ]);
    expect(ctx.warnings).toHaveLength(10);
    expect(ctx.warnings[0]).toEqual({
      message: `erratum applied to C9488: found "20", loaded "YY" (${HCPCS_ERRATA[0]!.reason})`,
      where: { line: 17, column: 'ASC_GRP (pos 231-232)' },
    });
  });

  it('leaves the records as CMS wrote them for another release: the shifted group is refused', async () => {
    const error = await inputErrorOf(readAll(hcpcsCodeDataset, file()));
    expect(error).toMatchObject({ file: TXT, line: 17, column: 'ASC_GRP (pos 231-232)', value: '20', problem: 'unknown code', expected: 'one of YY' });
  });
});
