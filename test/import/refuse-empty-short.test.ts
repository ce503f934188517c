/**
 * Input that would make the current views serve wrong data with exit 0 (issue 8): a dataset with
 * no rows, a dataset that shrank to under half of the previous release, a short row (csv and
 * xlsx), and lines or fields beyond any CMS file's. Each is refused naming the file (and line),
 * and nothing of the release is loaded.
 */
import path from 'node:path';
import { sql } from 'kysely';
import * as XLSX from 'xlsx';
import { beforeAll, describe, expect, it } from 'vitest';
import { InputError, importRelease } from '../../src/index.js';
import { backends, useFreshDatabase } from '../support/db.js';
import { pfsZip, scratchDir, writeZip, zipMembers } from '../support/fixtures.js';

const PPRRVU = 'PPRRVU2025_Oct.csv';
const OPPSCAP = 'OPPSCAP_Oct.csv';
const CRLF = '\r\n';

const latin1 = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');
const bytesOf = (text: string) => new Uint8Array(Buffer.from(text, 'latin1'));

/** The lines of a csv up to and including its header row (the first line starting with `header`). */
function headerOnly(text: string, header: string): string {
  const lines = text.split(CRLF);
  const at = lines.findIndex((line) => line.startsWith(header));
  if (at < 0) throw new Error(`fixture has no line starting ${header}`);
  return lines.slice(0, at + 1).join(CRLF) + CRLF;
}

describe.each(backends)('refusing empty, shrunk, short and oversized input on %s', (backend) => {
  const test = useFreshDatabase(backend);
  let scratch: string;
  beforeAll(async () => {
    scratch = await scratchDir();
  });

  /** rvu25d.zip with members replaced (name → new bytes, or an edit of the text) */
  async function variant(label: string, edits: Record<string, string | ((text: string) => string)>, base = pfsZip('rvu25d')): Promise<string> {
    const members = await zipMembers(base);
    for (const [member, edit] of Object.entries(edits)) {
      members[member] = bytesOf(typeof edit === 'string' ? edit : edit(latin1(members[member]!)));
    }
    return writeZip(path.join(scratch, label), path.basename(base), members);
  }

  async function loadedCounts() {
    const { rows } = await sql<{ releases: string; rvu: string; caps: string; datasets: string }>`
      select (select count(*) from cms.releases) as releases, (select count(*) from cms.pfs_rvu) as rvu,
             (select count(*) from cms.pfs_opps_cap) as caps, (select count(*) from cms.release_datasets) as datasets`.execute(test.database.db);
    return rows[0]!;
  }

  async function refusal(source: string, options = {}): Promise<InputError> {
    const error = await importRelease(test.database, source, options).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }

  it('refuses a PPRRVU member with its preamble and header but no data rows, naming the file', async () => {
    const source = await variant('pprrvu-header-only', { [PPRRVU]: (text) => headerOnly(text, 'HCPCS,MOD,DESCRIPTION') });
    const error = await refusal(source);
    expect(error).toMatchObject({ file: `rvu25d.zip:${PPRRVU}`, line: 10 });
    expect(error.message).toContain('no data rows');
    expect(error.message).not.toContain('header row not found');
    expect(await loadedCounts()).toEqual({ releases: '0', rvu: '0', caps: '0', datasets: '0' });
  });

  it('refuses a header-only OPPSCAP member (its trailing blank row is no data either)', async () => {
    const source = await variant('oppscap-header-only', { [OPPSCAP]: (text) => `${headerOnly(text, 'HCPCS,MOD,PROCSTAT')},,,,,,${CRLF}` });
    const error = await refusal(source);
    expect(error).toMatchObject({ file: `rvu25d.zip:${OPPSCAP}`, line: 1 });
    expect(error.problem).toBe('no data rows: the header on line 1 is followed by none');
    expect(await loadedCounts()).toEqual({ releases: '0', rvu: '0', caps: '0', datasets: '0' });
  });

  it('refuses an empty (0-byte) member as an empty file', async () => {
    const error = await refusal(await variant('empty-member', { [OPPSCAP]: '' }));
    expect(error).toMatchObject({ file: `rvu25d.zip:${OPPSCAP}`, problem: 'empty file (0 bytes)' });
    expect(await loadedCounts()).toMatchObject({ releases: '0' });
  });

  it('refuses a member of blank lines as an empty file', async () => {
    const error = await refusal(await variant('blank-member', { [OPPSCAP]: `${CRLF}${CRLF},,,,,,${CRLF}` }));
    expect(error).toMatchObject({ file: `rvu25d.zip:${OPPSCAP}`, problem: 'empty file: nothing but blank lines' });
  });

  describe('the shrink canary', () => {
    /** rvu25d.zip whose PPRRVU keeps only its first `keep` data rows */
    const shrunk = (label: string, keep: number) =>
      variant(label, {
        [PPRRVU]: (text) => {
          const lines = text.split(CRLF);
          const header = lines.findIndex((line) => line.startsWith('HCPCS,MOD,DESCRIPTION'));
          return [...lines.slice(0, header + 1 + keep), ''].join(CRLF);
        },
      });

    it('refuses a dataset with under half the rows of the previous release, with both counts', async () => {
      await importRelease(test.database, pfsZip('rvu24b'));
      const error = await refusal(await shrunk('shrunk-20', 20));
      expect(error.file).toBe(`rvu25d.zip:${PPRRVU}`);
      expect(error.problem).toBe('pprrvu has 20 rows, under half of the 48 it had in RVU24B');
      expect(error.expected).toContain('--allow-shrink');
      const active = await test.database.db.selectFrom('cms.current_releases').select(['dataset', 'code']).where('dataset', '=', 'pprrvu').execute();
      expect(active).toEqual([{ dataset: 'pprrvu', code: 'RVU24B' }]);
      const runs = await test.database.db.selectFrom('cms.import_runs').select('outcome').orderBy('id').execute();
      expect(runs.map((run) => run.outcome)).toEqual(['loaded', 'failed']);
    });

    it('loads it with allowShrink', async () => {
      await importRelease(test.database, pfsZip('rvu24b'));
      const result = await importRelease(test.database, await shrunk('shrunk-allowed', 20), { allowShrink: true });
      expect(result.datasets.find((dataset) => dataset.dataset === 'pprrvu')?.rows).toBe(20);
    });

    it('compares a re-post with the revision it supersedes; half exactly is not a shrink', async () => {
      await importRelease(test.database, pfsZip('rvu25d'));
      const error = await refusal(await shrunk('repost-shrunk', 25));
      expect(error.problem).toBe('pprrvu has 25 rows, under half of the 52 it had in RVU25D');
      const half = await importRelease(test.database, await shrunk('repost-half', 26));
      expect(half).toMatchObject({ status: 'loaded', revision: 1 });
    });

    it('compares a re-post with the revision it supersedes, not with an earlier release of the family', async () => {
      // RVU24B has 48 PPRRVU rows; a 25-row re-post of RVU25D (52) is over half of RVU24B's but under half of RVU25D's.
      await importRelease(test.database, pfsZip('rvu24b'));
      await importRelease(test.database, pfsZip('rvu25d'));
      const error = await refusal(await shrunk('repost-shrunk-after-older', 25));
      expect(error.problem).toBe('pprrvu has 25 rows, under half of the 52 it had in RVU25D');
      const current = await test.database.db.selectFrom('cms.current_releases').select(['code', 'revision']).where('dataset', '=', 'pprrvu').execute();
      expect(current).toEqual([{ code: 'RVU25D', revision: 0 }]);
    });

    it('does not apply to the first release of a family', async () => {
      const result = await importRelease(test.database, await shrunk('first-small', 3));
      expect(result.datasets.find((dataset) => dataset.dataset === 'pprrvu')?.rows).toBe(3);
    });
  });

  it('refuses a NUL character in a description with its file, line and column, and loads nothing', async () => {
    let line = 0;
    const source = await variant('nul-description', {
      [PPRRVU]: (text) => {
        const lines = text.split(CRLF);
        line = lines.findIndex((candidate) => candidate.startsWith('99213,,')) + 1;
        lines[line - 1] = lines[line - 1]!.replace(/^99213,,([^,]*)/, (_match, description: string) => `99213,,${description.slice(0, 3)}\u0000${description.slice(3)}`);
        return lines.join(CRLF);
      },
    });
    const error = await refusal(source);
    expect(error).toMatchObject({ file: `rvu25d.zip:${PPRRVU}`, line, column: '#3', problem: 'a NUL character (U+0000) at character 4 of the value' });
    expect(await loadedCounts()).toEqual({ releases: '0', rvu: '0', caps: '0', datasets: '0' });
  });

  describe('short rows', () => {
    it('refuses a csv row with one value fewer than the header, naming line, found and expected', async () => {
      const source = await variant('short-csv', {
        [PPRRVU]: (text) => text.replace(/\r\n(99213,,[^\r]*),0\.00\r\n/, (_m, row: string) => `${CRLF}${row}${CRLF}`),
      });
      const error = await refusal(source);
      expect(error).toMatchObject({ file: `rvu25d.zip:${PPRRVU}`, line: 40, value: '30 values' });
      expect(error.expected).toBe('31 values, one per column of the header on line 10');
      expect(await loadedCounts()).toMatchObject({ releases: '0', rvu: '0' });
    });

    it('refuses a short row in every tabular dataset (GPCI, LOCCO, ANES, OPPSCAP)', async () => {
      const cases: [string, RegExp][] = [
        ['GPCI2025.csv', /\r\n(10112,AL,00,[^\r]*),[^,\r]*\r\n/],
        ['25LOCCO.csv', /\r\n(10112,0,[^\r]*),[^,\r]*\r\n/],
        ['ANES2025.csv', /\r\n(10112 ,00 ,ALABAMA),19.31 \r\n/],
        [OPPSCAP, /\r\n(0633T,TC,C,01112,05,150\.69),150\.69\r\n/],
      ];
      for (const [member, row] of cases) {
        const source = await variant(`short-${member}`, {
          [member]: (text) => {
            const next = text.replace(row, (_m, kept: string) => `${CRLF}${kept}${CRLF}`);
            if (next === text) throw new Error(`no row to shorten in ${member}`);
            return next;
          },
        });
        const error = await refusal(source);
        expect(error.file, member).toBe(`rvu25d.zip:${member}`);
        expect(error.problem, member).toMatch(/^a short row: \d+ values$/);
      }
      expect(await loadedCounts()).toMatchObject({ releases: '0' });
    });

    it('refuses a short row in an xlsx (a cell missing at the end of the row)', async () => {
      const members = await zipMembers(pfsZip('rvu25d'));
      const original = XLSX.read(members['OPPSCAP_Oct.xlsx']!);
      const rows = XLSX.utils.sheet_to_json<string[]>(original.Sheets[original.SheetNames[0]!]!, { header: 1, raw: false, defval: '' });
      rows[2] = rows[2]!.slice(0, 6); // sheet row 3 without its NON-FACILTY PRICE cell
      const workbook = XLSX.utils.book_new();
      XLSX.utils.book_append_sheet(workbook, XLSX.utils.aoa_to_sheet(rows), 'OPPSCAP');
      const xlsx = XLSX.write(workbook, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
      const source = await writeZip(path.join(scratch, 'short-xlsx'), 'OPPSCAP_Oct.zip', { 'OPPSCAP_Oct.xlsx': new Uint8Array(xlsx) });
      const error = await refusal(source, { code: 'RVU25D' });
      expect(error).toMatchObject({ file: 'OPPSCAP_Oct.zip:OPPSCAP_Oct.xlsx', line: 3, value: '6 values', expected: '7 values, one per column of the header on line 1' });
    });

    it('keeps a trailing blank column and the footnote rows as they were', async () => {
      const source = await variant('trailing-blank-column', {
        [OPPSCAP]: (text) => text.replace(/\r\n/g, `,${CRLF}`),
      });
      const result = await importRelease(test.database, source);
      expect(result.datasets.find((dataset) => dataset.dataset === 'oppscap')?.rows).toBe(30);
      expect(result.datasets.find((dataset) => dataset.dataset === 'gpci')?.rows).toBe(14);
    });
  });

  describe('line and field bounds', () => {
    it('refuses a member that is one enormous line, at once, naming file and line', async () => {
      const source = await variant('huge-line', { [PPRRVU]: 'x'.repeat(8 * 1024 * 1024) });
      const error = await refusal(source);
      expect(error).toMatchObject({ file: `rvu25d.zip:${PPRRVU}`, line: 1, problem: 'a line longer than 65,536 characters' });
      expect(await loadedCounts()).toMatchObject({ releases: '0' });
    });

    it('refuses an unclosed quote that would read on to the end of the file', async () => {
      const source = await variant('unclosed-quote', {
        [PPRRVU]: (text) => text.replace('CPT descriptor withheld 99213', `"CPT descriptor withheld 99213${'y'.repeat(100_000)}`),
      });
      const error = await refusal(source);
      expect(error).toMatchObject({ file: `rvu25d.zip:${PPRRVU}`, line: 40, problem: 'a line longer than 65,536 characters' });
    });

    it('refuses a field longer than any CMS descriptor, naming line and column', async () => {
      const source = await variant('huge-field', {
        [PPRRVU]: (text) => text.replace('CPT descriptor withheld 99213', `"${'z'.repeat(40_000)}"`),
      });
      const error = await refusal(source);
      expect(error).toMatchObject({ file: `rvu25d.zip:${PPRRVU}`, line: 40, column: '#3', problem: 'a value of 40,000 characters' });
    });
  });
});
