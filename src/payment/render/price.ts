/** `price` for people: the amounts, how each was computed, the cap, and the claim indicators. Pure. */
import { formatTable } from '../../text-table.js';
import { describeLocality } from '../locality.js';
import type { PriceResult, SettingPrice } from '../types.js';

export function renderPrice(result: PriceResult): string {
  const lines: string[] = [];
  const code = result.modifier === '' ? result.hcpcs : `${result.hcpcs}-${result.modifier}`;
  lines.push(`${code}${result.description ? `  ${result.description}` : ''}`);
  lines.push(`locality  ${describeLocality(result.locality)}`);
  lines.push(`release   ${releaseText(result)}`);
  lines.push(`status    ${result.status.code}${result.status.priced ? ' (priced from its RVUs)' : ''}`);
  lines.push('');
  if (!result.status.priced) {
    lines.push(`No amount: ${result.status.reason}`);
    if (result.anesthesia) lines.push(...anesthesiaLines(result));
    // OPPSCAP status C: the contractor prices the code and the cap is its ceiling, so show it.
    if (result.opps.procStatus !== null) lines.push('', oppsLine(result), ...capLines(result));
    lines.push(...scheduleLines(result), '', ...indicatorLines(result));
    return lines.join('\n');
  }
  const qpp = result.conversionFactorUsed === 'qpp';
  const cf = qpp ? result.conversionFactorQpp! : result.conversionFactor!;
  const pick = (setting: SettingPrice, key: 'amount' | 'paid' | 'nonParticipating' | 'limitingCharge'): string => {
    const map = { amount: ['amount', 'amountQpp'], paid: ['paid', 'paidQpp'], nonParticipating: ['nonParticipating', 'nonParticipatingQpp'], limitingCharge: ['limitingCharge', 'limitingChargeQpp'] } as const;
    const value = setting[map[key][qpp ? 1 : 0]];
    return value === null ? '–' : `$${value}`;
  };
  const settings = [result.nonFacility, result.facility];
  lines.push(
    formatTable(
      ['', 'NON-FACILITY', 'FACILITY'],
      [
        ['fee schedule amount', ...settings.map((s) => pick(s, 'amount') + (s.na ? ' (NA)' : ''))],
        ...(result.opps.procStatus !== null ? [['OPPS cap', ...settings.map((s) => (s.oppsCap === null ? '–' : `$${s.oppsCap}`))]] : []),
        ['paid', ...settings.map((s) => pick(s, 'paid') + ((qpp ? s.cappedQpp : s.capped) ? ' (OPPS cap)' : ''))],
        ['non-participating (95%)', ...settings.map((s) => pick(s, 'nonParticipating'))],
        ['limiting charge (×1.0925)', ...settings.map((s) => pick(s, 'limitingCharge'))],
      ],
    ),
  );
  lines.push('');
  lines.push(`conversion factor ${cf} (${qpp ? 'QPP' : result.conversionFactorQpp === null ? 'the release\'s only CF' : 'non-QPP; --qpp for the QPP CF ' + result.conversionFactorQpp})`);
  lines.push(`formula   ${result.formula}`);
  for (const [name, s] of [['non-facility', result.nonFacility], ['facility', result.facility]] as const) {
    lines.push(
      `  ${name.padEnd(12)} [(${result.rvus.work} × ${result.gpci.work}) + (${s.peRvu} × ${result.gpci.pe}) + (${result.rvus.mp} × ${result.gpci.mp})] × ${cf}` +
        ` = ${s.gpciRvus} × ${cf} = ${pick(s, 'amount')}`,
    );
  }
  lines.push('  computed exactly and rounded once, half-up, to cents');
  if (result.opps.note !== null) lines.push('', oppsLine(result));
  for (const note of result.notes) lines.push('', note);
  lines.push(...scheduleLines(result), '', ...indicatorLines(result));
  return lines.join('\n');
}

function releaseText(result: PriceResult): string {
  const release = result.release;
  const name = release.status === 'active' ? release.code : `${release.code}@${release.revision} (superseded)`;
  return `${name}, in effect from ${release.effectiveFrom}${release.publishedOn ? `, released ${release.publishedOn}` : ''}`;
}

function oppsLine(result: PriceResult): string {
  return result.opps.note ?? '';
}

function capLines(result: PriceResult): string[] {
  const caps = [['non-facility', result.nonFacility.oppsCap], ['facility', result.facility.oppsCap]].filter(([, cap]) => cap !== null);
  return caps.length === 0 ? [] : [`OPPS cap  ${caps.map(([name, cap]) => `${name} $${cap}`).join(', ')}`];
}

function anesthesiaLines(result: PriceResult): string[] {
  const anes = result.anesthesia!;
  const lines = ['', `anesthesia CF for this locality: ${anes.conversionFactor ?? '–'}${anes.nationalConversionFactor ? ` (national ${anes.nationalConversionFactor})` : ''}`];
  if (anes.amount !== null) {
    lines.push(`  (${anes.baseUnits} base units + ${anes.minutes} min ÷ 15 = ${anes.timeUnits} time units) × ${anes.conversionFactor} = $${anes.amount}`);
  } else lines.push(`  ${anes.note}`);
  return lines;
}

/** The other schedules: words for "no separate payment", amounts only where paid. */
function scheduleLines(result: PriceResult): string[] {
  if (result.schedules.length === 0) return [];
  return ['', 'other schedules:', ...result.schedules.map((entry) => `  ${entry.summary}`)];
}

function indicatorLines(result: PriceResult): string[] {
  return [
    'indicators on a claim:',
    ...result.indicators.map((indicator) => `  ${indicator.label.padEnd(36)} ${(indicator.code ?? '–').padEnd(4)} ${indicator.meaning ?? ''}`.trimEnd()),
  ];
}
