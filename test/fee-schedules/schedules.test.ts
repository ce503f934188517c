/**
 * The other schedules of a code (codeSchedules): status and amount with release and quarter, in
 * words where a schedule pays nothing on its own, never a bare 0; the release in effect on a date.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { codeSchedules, importRelease } from '../../src/index.js';
import { backends, useFreshDatabase } from '../support/db.js';
import { ASP_JAN_2025, CLFS_2025_Q1, OPPS_JAN_2025, OPPS_JUL_2025, OPPS_JUL_2025_REPOST } from './support.js';

describe.each(backends)('code schedules on %s', (backend) => {
  const test = useFreshDatabase(backend);
  beforeEach(async () => {
    for (const source of [OPPS_JAN_2025, OPPS_JUL_2025, OPPS_JUL_2025_REPOST, ASP_JAN_2025, CLFS_2025_Q1]) await importRelease(test.database, source);
  });

  it('A9532: packaged under OPPS, in words, with no amount', async () => {
    expect(await codeSchedules(test.database, 'a9532')).toEqual([
      {
        family: 'opps',
        schedule: 'hospital outpatient (OPPS Addendum B)',
        release: { code: 'OPPS2025_JUL', revision: 1, year: 2025, quarter: 3, effectiveFrom: '2025-07-01', quarterName: 'July 2025' },
        statusName: 'SI',
        status: 'N',
        meaning: 'packaged into the payment for other services: no separate payment',
        paid: false,
        amountName: 'payment rate',
        amount: null,
        summary: 'hospital outpatient (OPPS Addendum B): packaged into the payment for other services: no separate payment (SI N), July 2025 (OPPS2025_JUL@1)',
      },
    ]);
  });

  it('J9035 in January 2025: the OPPS rate (SI K) and the ASP limit, both 73.19', async () => {
    const entries = await codeSchedules(test.database, 'J9035', { date: '2025-02-01' });
    expect(entries.map((entry) => [entry.family, entry.release.code, entry.status, entry.paid, entry.amount])).toEqual([
      ['opps', 'OPPS2025_JAN', 'K', true, '73.19'],
      ['asp', 'ASP2025_JAN', null, true, '73.190'],
    ]);
    expect(entries[0]!.summary).toBe(
      'hospital outpatient (OPPS Addendum B): $73.19 payment rate: non-pass-through drug or biological: paid separately (SI K), January 2025 (OPPS2025_JAN)',
    );
    expect(entries[1]!.summary).toBe('Part B drug payment limit (ASP): $73.190 payment limit: payment limit per dosage unit, January 2025 (ASP2025_JAN)');
    // Now, July's re-posted rate.
    expect((await codeSchedules(test.database, 'J9035'))[0]).toMatchObject({ release: { code: 'OPPS2025_JUL', revision: 1 }, amount: '73.049' });
  });

  it('an ASP N/A limit and a locally priced lab code are words, never 0', async () => {
    const [asp] = await codeSchedules(test.database, 'A9606');
    expect(asp).toMatchObject({ family: 'asp', paid: false, amount: null, meaning: 'no payment limit published (N/A): priced by the contractor' });
    const [clfs] = await codeSchedules(test.database, 'G0327');
    expect(clfs).toMatchObject({ family: 'clfs', status: 'L', paid: false, amount: null });
    expect(clfs!.summary).toBe('clinical laboratory (CLFS): priced locally by the Medicare contractor: no national rate (indicator L), January 2025 (25CLABQ1)');
  });

  it('the CLFS modifier row is asked for by modifier; a code no schedule has gives none', async () => {
    expect(await codeSchedules(test.database, '80053', { modifier: 'QW' })).toEqual([expect.objectContaining({ family: 'clfs', amount: '10.56' })]);
    expect(await codeSchedules(test.database, 'ZZZZZ')).toEqual([]);
    // Before any release was in effect there is nothing to show.
    expect(await codeSchedules(test.database, 'J9035', { date: '2024-12-31' })).toEqual([]);
  });
});
