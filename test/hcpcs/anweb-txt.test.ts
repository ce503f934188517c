/** The canonical ANWEB form: the fixed-width txt, read into code and modifier rows. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hcpcsCodeDataset, hcpcsModifierDataset } from '../../pipelines/hcpcs/index.js';
import { byKey, fixturePath, memberFromBytes, readAll } from './support.js';

const TXT_2020 = '2020/HCPC2020_ANWEB_w_disclaimer.txt';
const TXT_2025 = '2025-oct/HCPC2025_OCT_ANWEB.txt';
const bytes2020 = readFileSync(fixturePath(TXT_2020));

const G0503 =
  'Subsequent psychiatric collaborative care management, first 60 minutes in a subsequent month of behavioral ' +
  'health care manager activities, in consultation with a psychiatric consultant, and directed by the treating ' +
  'physician or other qualified health care professional, with the following required elements: tracking patient ' +
  'follow-up and progress using the registry, with appropriate documentation;  participation in weekly caseload ' +
  "consultation with the psychiatric consultant;  ongoing collaboration with and coordination of the patient's mental " +
  'health care with the treating physician or other qualified health care professional and any other treating ' +
  'mental health providers; additional review of progress and recommendations for changes in treatment, as ' +
  'indicated, including medications, based on recommendations provided by the psychiatric consultant;  provision of ' +
  'brief interventions using evidence-based techniques such as behavioral activation, motivational interviewing, ' +
  'and other focused treatment strategies;  monitoring of patient outcomes using validated rating scales; and ' +
  'relapse prevention planning with patients as they achieve remission of symptoms and/or other treatment goals ' +
  'and are prepared for discharge from active treatment';

async function read2020(bytes: Buffer = bytes2020, chunkSize?: number) {
  const file = memberFromBytes(TXT_2020, bytes, chunkSize);
  return {
    codes: byKey(hcpcsCodeDataset, await readAll(hcpcsCodeDataset, file)),
    codeRows: await readAll(hcpcsCodeDataset, file),
    modifiers: byKey(hcpcsModifierDataset, await readAll(hcpcsModifierDataset, file)),
  };
}

describe('ANWEB txt (2020 excerpt: disclaimer, CRLF, continuations trimmed to 91 characters)', () => {
  it('reads one row per first record: RECID 3 codes, RECID 7 modifiers', async () => {
    const { codes, modifiers } = await read2020();
    expect(codes.size).toBe(26);
    expect(modifiers.size).toBe(14);
  });

  it('skips the disclaimer prose (with its cp1252 0x92 byte) before the first record', async () => {
    expect(bytes2020.subarray(0, 400).includes(0x92)).toBe(true);
    const { codeRows } = await read2020();
    // Records start on line 10; the first code record is on line 42.
    expect(codeRows[0]).toMatchObject({ line: 42, values: { hcpcs: 'A0021' } });
  });

  it('normalizes every field of a code: arrays, dates, NULLs, numbers as decimal strings', async () => {
    const { codes } = await read2020();
    expect(codes.get('G0124')).toEqual({
      hcpcs: 'G0124',
      long_description:
        'Screening cytopathology, cervical or vaginal (any reporting system), collected in preservative fluid, ' +
        'automated thin layer preparation, requiring interpretation by physician',
      short_description: 'Screen c/v thin layer by md',
      pricing_ind: ['11', '21'],
      mult_pricing_ind: 'C',
      cim: ['50-20'],
      mcm: null,
      statute: null,
      lab_cert: ['630'],
      xref: null,
      coverage: 'D',
      asc_group: null,
      asc_date: null,
      opps: null,
      opps_pi: null,
      opps_date: null,
      proc_note: '0045',
      betos: 'T1H',
      tos: ['5'],
      anes_base_units: '0',
      add_date: '1998-04-01',
      action_effective_date: '1998-04-01',
      termination_date: null,
      action_code: 'N',
    });
  });

  it('joins the 17 records of G0503 in SEQNUM order with one space', async () => {
    const { codes, codeRows } = await read2020();
    expect(codes.get('G0503')?.long_description).toBe(G0503);
    expect(codeRows.find((row) => row.values.hcpcs === 'G0503')?.line).toBe(87);
  });

  it("stores CMS's text as written: double spaces kept, only each segment's right-hand padding dropped", async () => {
    const { codes } = await read2020();
    // The file has "fistula,  percutaneous" inside one segment and "including " at a line end.
    expect(codes.get('C9754')?.long_description).toMatch(/^Creation of arteriovenous fistula,  percutaneous; direct, any site, including all imaging/);
    expect(String(codes.get('G0503')?.long_description)).toContain('documentation;  participation in weekly caseload consultation');
    expect([...codes.values()].every((row) => !/\s$/.test(String(row.long_description)))).toBe(true);
    // The short description is one fixed field: kept as written, only trimmed.
    expect(codes.get('G0503')?.short_description).toBe('Subseq  psych care man,60mi');
  });

  it('keeps lists in field order and several values per list', async () => {
    const { codes } = await read2020();
    expect(codes.get('G0464')).toMatchObject({ lab_cert: ['220', '310', '900'], xref: ['81528'], pricing_ind: ['21'] });
    expect(codes.get('C9742')?.xref).toEqual(['31573', '31574']);
    expect(codes.get('E0100')?.cim).toEqual(['60-3', '60-9']);
    expect(codes.get('E0210')?.tos).toEqual(['A', 'L', 'P', 'R']);
    expect(codes.get('J7518')?.mcm).toEqual(['2050.5', '4471', '5249']);
    expect(codes.get('A4252')?.statute).toBe('1861(n)');
    expect(codes.get('A9590')).toMatchObject({ asc_group: 'YY', asc_date: '2020-01-01' });
  });

  it('reads discontinued codes with their termination date, and every 2020 action code', async () => {
    const { codes, modifiers } = await read2020();
    expect(codes.get('C9035')).toMatchObject({ action_code: 'D', termination_date: '2019-09-30', action_effective_date: '2019-10-01' });
    const actions = new Set([...codes.values(), ...modifiers.values()].map((row) => row.action_code));
    expect([...actions].sort()).toEqual(['A', 'C', 'D', 'N', 'P', 'S']);
  });

  it('reads modifiers right-justified in the code field, with their continuations', async () => {
    const { modifiers } = await read2020();
    expect(modifiers.get('AD')).toEqual({
      modifier: 'AD',
      long_description: 'Medical supervision by a physician: more than four concurrent anesthesia procedures',
      short_description: 'Md supervision, >4 anes proc',
      cim: null,
      mcm: ['3350.5'],
      statute: null,
      xref: null,
      coverage: 'D',
      proc_note: null,
      add_date: '1984-01-01',
      action_effective_date: '2001-01-01',
      termination_date: null,
      action_code: 'N',
    });
    expect(modifiers.get('GD')).toMatchObject({ action_code: 'D', termination_date: '2019-12-31' });
    expect(modifiers.get('GC')?.mcm).toEqual(['3350.5', '4116']);
    expect(modifiers.get('QS')?.cim).toEqual(['15018I']);
    expect(modifiers.get('X3')?.long_description).toMatch(/^Episodic\/broad servies: .* admitted to the hospital$/);
  });

  it('reads LF line breaks and small stream chunks the same as CRLF in one chunk', async () => {
    const expected = await read2020();
    const lf = Buffer.from(bytes2020.toString('latin1').replace(/\r\n/g, '\n'), 'latin1');
    const actual = await read2020(lf, 7);
    expect([...actual.codes]).toEqual([...expected.codes]);
    expect([...actual.modifiers]).toEqual([...expected.modifiers]);
  });

  it('decodes cp1252 in descriptions (0x92 → ’)', async () => {
    const text = bytes2020.toString('latin1').replace('Dressing for one wound  ', 'Dressing for one wound\x92s');
    const { modifiers } = await read2020(Buffer.from(text, 'latin1'));
    expect(modifiers.get('A1')?.long_description).toBe('Dressing for one wound\u2019s');
  });

  it('ignores a DOS end-of-file byte and filler after the last record', async () => {
    const trailer = Buffer.from('\r\n\r\nEND OF FILE\r\n\x1a', 'latin1');
    const { codes } = await read2020(Buffer.concat([bytes2020, trailer]));
    expect(codes.size).toBe(26);
  });
});

describe('ANWEB txt (Oct 2025, derived: no disclaimer, continuations padded to 320)', () => {
  it('reads continuations padded with blanks to the full record length', async () => {
    const file = memberFromBytes(TXT_2025, readFileSync(fixturePath(TXT_2025)));
    const codes = byKey(hcpcsCodeDataset, await readAll(hcpcsCodeDataset, file));
    const modifiers = byKey(hcpcsModifierDataset, await readAll(hcpcsModifierDataset, file));
    expect(codes.size).toBe(32);
    expect(modifiers.size).toBe(16);
    expect(String(codes.get('G0137')?.long_description)).toHaveLength(1412);
    expect(codes.get('C9248')?.pricing_ind).toEqual(['53', '11']); // PRICE1 53, PRICE2 blank, PRICE3 11
    expect(codes.get('J0570')?.action_code).toBe('R');
  });
});
