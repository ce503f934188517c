/** Code tables of the PPRRVU file (RVU25D.pdf; every value observed in 2024–2026 files is listed). */

const set = (...values: string[]): ReadonlySet<string> => new Set(values);

/** Status code: only A, R and T codes are paid from their RVUs. */
export const STATUS_CODES = set('A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'M', 'N', 'P', 'R', 'T', 'X');
export const PCTC_INDICATORS = set('0', '1', '2', '3', '4', '5', '6', '7', '8', '9');
export const GLOBAL_DAYS = set('000', '010', '090', 'MMM', 'XXX', 'YYY', 'ZZZ');
export const MULT_PROC = set('0', '1', '2', '3', '4', '5', '6', '7', '9');
export const BILAT_SURG = set('0', '1', '2', '3', '9');
/** Assistant, co- and team surgery indicators share one table. */
export const SURGERY_INDICATORS = set('0', '1', '2', '9');
export const PHYS_SUPERVISION = set('01', '02', '03', '04', '05', '06', '09', '21', '22', '66', '6A', '77', '7A');
/** Imaging family: 01–11 legacy, 88 reductions apply, 99 not applicable. */
export const IMAGING_FAMILY = set('01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '88', '99');
/** OPPSCAP procedure status: A (active, priced) or C (contractor-priced; the value is the cap itself). */
export const OPPS_PROC_STATUS = set('A', 'C');
