/**
 * `price`: what Medicare pays for one code in one locality, and how each number was computed;
 * `price --all`: a locality's whole fee schedule. Amounts come from SQL (queries/payment-rows.ts);
 * this module picks the release and locality, checks options and explains the numbers.
 */
import type { Kysely } from 'kysely';
import type { PaymentRow, Schema } from '../db/schema.js';
import { UsageError } from '../errors.js';
import { isHcpcsCode, normalizeDecimal } from '../parse/values.js';
import { resolveLocality } from './locality.js';
import type { PaymentRules } from './rules.js';
import { anesthesiaAmount, codePaymentRows, localitySchedule } from './queries/payment-rows.js';
import { releaseLocalities } from './queries/localities.js';
import { resolvePricingRelease } from './release.js';
import type { AnesthesiaPrice, Indicator, PriceOptions, PriceResult, PricingLocality, PricingRelease, ScheduleOptions, ScheduleResult, SettingPrice } from './types.js';

const ANESTHESIA_STATUS = 'J';

/** `rules`: the fee schedule's explanations (pipelines/pfs/payment.ts, handed in by src/index.ts). */
export async function priceCode(db: Kysely<Schema>, rules: PaymentRules, options: PriceOptions): Promise<PriceResult> {
  const hcpcs = checkCode(options.hcpcs);
  const modifier = checkModifier(options.modifier);
  const anesthesiaInput = checkAnesthesiaInput(options);
  const { release, locality } = await releaseAndLocality(db, options);
  const rows = await codePaymentRows(db, { releaseId: release.id, state: locality.state, locality: locality.locality, hcpcs });
  if (rows.length === 0) throw new UsageError(`${hcpcs} is not in ${releaseLabel(release)}'s PPRRVU file`);
  const row = rows.find((candidate) => candidate.modifier === modifier);
  if (!row) {
    const present = rows.map((candidate) => (candidate.modifier === '' ? '(none)' : candidate.modifier)).join(', ');
    throw new UsageError(`${hcpcs} has no row with ${modifier === '' ? 'no modifier' : `modifier ${modifier}`} in ${releaseLabel(release)}; its modifiers: ${present}`);
  }
  if (options.qpp && row.conv_factor_qpp === null) {
    throw new UsageError(`--qpp: ${releaseLabel(release)} has no QPP conversion factor (before 2026 CMS published one factor; from 2026 the QPP one comes from the QPP PPRRVU file, which this release was loaded without)`);
  }
  if (anesthesiaInput && row.status_code !== ANESTHESIA_STATUS) {
    throw new UsageError(`--base-units and --minutes price anesthesia codes (status J); ${hcpcs} has status ${row.status_code}`);
  }
  const anesthesia = row.status_code === ANESTHESIA_STATUS ? await priceAnesthesia(db, row, anesthesiaInput) : null;
  return {
    release,
    locality,
    hcpcs,
    modifier,
    description: row.description,
    status: { code: row.status_code, priced: row.priced, reason: row.priced ? null : unpricedReason(rules, row.status_code) },
    conversionFactorUsed: options.qpp ? 'qpp' : 'non-qpp',
    rvus: { work: row.work_rvu, mp: row.mp_rvu },
    gpci: { work: row.pw_gpci, pe: row.pe_gpci, mp: row.mp_gpci },
    conversionFactor: row.conv_factor,
    conversionFactorQpp: row.conv_factor_qpp,
    formula: rules.FORMULA,
    nonFacility: setting(row, 'nonfac'),
    facility: setting(row, 'fac'),
    opps: {
      known: row.opps_cap_known,
      procStatus: row.opps_proc_status,
      note: oppsNote(rules, row, release),
    },
    indicators: indicators(rules, row),
    anesthesia,
    notes: [...(row.nonfac_na || row.fac_na ? [rules.NA_MEANING] : [])],
    schedules: [],
  };
}

export async function priceSchedule(db: Kysely<Schema>, options: ScheduleOptions): Promise<ScheduleResult> {
  const { release, locality } = await releaseAndLocality(db, options);
  const rows = await localitySchedule(db, { releaseId: release.id, state: locality.state, locality: locality.locality });
  return { release, locality, rows };
}

async function releaseAndLocality(db: Kysely<Schema>, options: { locality: string; release?: string; date?: string }): Promise<{ release: PricingRelease; locality: PricingLocality }> {
  if (options.locality.trim() === '') throw new UsageError('--locality is required: MAC-LOCALITY (01112-05), STATE-LOCALITY (CA-05) or a name');
  const release = await resolvePricingRelease(db, options);
  const locality = resolveLocality(options.locality, await releaseLocalities(db, release.id), releaseLabel(release));
  return { release, locality };
}

function setting(row: PaymentRow, prefix: 'nonfac' | 'fac'): SettingPrice {
  const pick = <K extends string>(suffix: K) => (row as unknown as Record<string, string | boolean | null>)[`${prefix}_${suffix}`];
  return {
    peRvu: pick('pe_rvu') as string | null,
    na: pick('na') as boolean,
    gpciRvus: pick('gpci_rvus') as string | null,
    amount: pick('amount') as string | null,
    amountQpp: pick('amount_qpp') as string | null,
    oppsCap: (prefix === 'nonfac' ? row.opps_nonfac_cap : row.opps_fac_cap),
    capped: pick('capped') as boolean,
    cappedQpp: pick('capped_qpp') as boolean,
    paid: pick('paid') as string | null,
    paidQpp: pick('paid_qpp') as string | null,
    nonParticipating: pick('nonpar') as string | null,
    nonParticipatingQpp: pick('nonpar_qpp') as string | null,
    limitingCharge: pick('limiting_charge') as string | null,
    limitingChargeQpp: pick('limiting_charge_qpp') as string | null,
  };
}

function unpricedReason(rules: PaymentRules, status: string): string {
  return rules.UNPRICED_STATUS[status] ?? rules.NO_RVUS.replace('{status}', status);
}

function oppsNote(rules: PaymentRules, row: PaymentRow, release: PricingRelease): string | null {
  if (!release.datasets.includes('oppscap')) return `${releaseLabel(release)} has no OPPSCAP file loaded: whether an OPPS cap applies is unknown.`;
  if (!row.opps_cap_known) return `MAC ${row.mac} locality ${row.locality} stands for more than one state in the GPCI file, so its OPPS cap cannot be told apart: unknown.`;
  if (row.opps_proc_status === null) return null;
  return row.opps_proc_status === 'C' ? rules.OPPS_CAP_CONTRACTOR : rules.OPPS_CAP_MEANING;
}

function indicators(rules: PaymentRules, row: PaymentRow): Indicator[] {
  const { INDICATORS } = rules;
  return (Object.keys(INDICATORS) as (keyof typeof INDICATORS)[]).map((field) => {
    const code = row[field];
    return { field, label: INDICATORS[field].label, code, meaning: code === null ? null : (INDICATORS[field].meanings[code] ?? null) };
  });
}

async function priceAnesthesia(db: Kysely<Schema>, row: PaymentRow, input: { baseUnits: string; minutes: string } | null): Promise<AnesthesiaPrice> {
  const base = { conversionFactor: row.anes_cf, nationalConversionFactor: row.national_anes_cf, baseUnits: input?.baseUnits ?? null, minutes: input?.minutes ?? null };
  if (row.anes_cf === null) {
    return { ...base, timeUnits: null, amount: null, note: 'The release has no anesthesia conversion factor for this locality (no ANES row for it).' };
  }
  if (input === null) {
    return {
      ...base,
      timeUnits: null,
      amount: null,
      note: 'Give --base-units N --minutes M for an amount: base units are not in the RVU files (CMS publishes them in its anesthesia base units file).',
    };
  }
  const computed = await anesthesiaAmount(db, { conversionFactor: row.anes_cf, ...input });
  return { ...base, timeUnits: computed.time_units, amount: computed.amount, note: '(base units + minutes ÷ 15, rounded to one decimal) × anesthesia CF' };
}

function checkCode(text: string): string {
  const code = text.trim().toUpperCase();
  if (!isHcpcsCode(code)) throw new UsageError(`"${text}" is not an HCPCS code: expected 5 letters or digits, e.g. 99213 or G0008`);
  return code;
}

function checkModifier(text: string | undefined): string {
  const modifier = (text ?? '').trim().toUpperCase();
  if (modifier !== '' && !/^[0-9A-Z]{2}$/.test(modifier)) throw new UsageError(`--modifier ${text}: expected two letters or digits, e.g. 26 or TC`);
  return modifier;
}

function checkAnesthesiaInput(options: PriceOptions): { baseUnits: string; minutes: string } | null {
  if (options.baseUnits === undefined && options.minutes === undefined) return null;
  if (options.baseUnits === undefined || options.minutes === undefined) throw new UsageError('--base-units and --minutes go together');
  return { baseUnits: nonNegative('--base-units', options.baseUnits), minutes: nonNegative('--minutes', options.minutes) };
}

function nonNegative(flag: string, text: string): string {
  const value = normalizeDecimal(text);
  if (value === null || value.startsWith('-')) throw new UsageError(`${flag} ${text}: expected a number of 0 or more`);
  return value;
}

const releaseLabel = (release: PricingRelease): string => (release.status === 'active' ? release.code : `${release.code}@${release.revision}`);
