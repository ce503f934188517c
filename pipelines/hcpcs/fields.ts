/**
 * The fields of an ANWEB record, named after the workbook headers. The txt layout
 * (`layout.ts`) and the workbook contract (`workbook.ts`) both map onto these names, so one
 * normalizer serves every format.
 */

export const PRICE_FIELDS = ['PRICE1', 'PRICE2', 'PRICE3', 'PRICE4'] as const;
export const CIM_FIELDS = ['CIM1', 'CIM2', 'CIM3'] as const;
export const MCM_FIELDS = ['MCM1', 'MCM2', 'MCM3'] as const;
export const LABCERT_FIELDS = [
  'LABCERT1',
  'LABCERT2',
  'LABCERT3',
  'LABCERT4',
  'LABCERT5',
  'LABCERT6',
  'LABCERT7',
  'LABCERT8',
] as const;
export const XREF_FIELDS = ['XREF1', 'XREF2', 'XREF3', 'XREF4', 'XREF5'] as const;
export const TOS_FIELDS = ['TOS1', 'TOS2', 'TOS3', 'TOS4', 'TOS5'] as const;

export const ANWEB_FIELDS = [
  'HCPC',
  'SEQNUM',
  'RECID',
  'LONG_DESCRIPTION',
  'SHORT_DESCRIPTION',
  ...PRICE_FIELDS,
  'MULT_PI',
  ...CIM_FIELDS,
  ...MCM_FIELDS,
  'STATUTE',
  ...LABCERT_FIELDS,
  ...XREF_FIELDS,
  'COV',
  'ASC_GRP',
  'ASC_DT',
  'OPPS',
  'OPPS_PI',
  'OPPS_DT',
  'PROCNOTE',
  'BETOS',
  ...TOS_FIELDS,
  'ANEST_BU',
  'ADD_DT',
  'ACT_EFF_DT',
  'TERM_DT',
  'ACTION_CD',
] as const;

export type AnwebField = (typeof ANWEB_FIELDS)[number];

/** The fields a continuation record carries; every other field of it must be blank. */
export const CONTINUATION_FIELDS: readonly AnwebField[] = ['HCPC', 'SEQNUM', 'RECID', 'LONG_DESCRIPTION'];
