/** Payment by locality: the price of a code, a locality's fee schedule, and their renderings. */
export { priceCode, priceSchedule } from './price.js';
export { renderPrice } from './render/price.js';
export { renderSchedule, SCHEDULE_FORMATS, type ScheduleFormat } from './render/schedule.js';
export { matchLocality, describeLocality } from './locality.js';
export type * from './types.js';
export type { IndicatorField, PaymentRules } from './rules.js';
