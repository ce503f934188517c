/**
 * How release diffs treat HCPCS Level II: the kinds of change people ask about (discontinued,
 * reinstated, descriptor, coverage, pricing, BETOS), and how CMS's action code in the newer file
 * (cms-formats.md §3) is checked against the change computed from the two files.
 *
 * The action code and its effective date say what CMS did this quarter; they are bookkeeping
 * about the change, not data of the code, so they are not compared (a code going from `A` to `N`
 * the quarter after it was added is not a change). Discontinued codes stay in the file with a
 * termination date for years; a code that is gone from the newer file is also discontinued.
 */
import type { DiffCondition, DiffSpec } from '../../src/pipeline.js';
import { ACTION_CODES } from './codes.js';

const BOOKKEEPING = ['action_code', 'action_effective_date'];

/** The columns behind each action code, for the table that has them. */
interface Groups {
  administrative: readonly string[];
  coverage: readonly string[];
  /** MOG, pricing indicators, anesthesia base units, ASC (action P) */
  payment: readonly string[];
  /** BETOS, TOS (action T) */
  miscellaneous: readonly string[];
}

const CODE_GROUPS: Groups = {
  administrative: ['cim', 'mcm', 'statute', 'lab_cert', 'xref', 'proc_note', 'add_date'],
  coverage: ['coverage'],
  payment: ['pricing_ind', 'mult_pricing_ind', 'anes_base_units', 'asc_group', 'asc_date', 'opps', 'opps_pi', 'opps_date'],
  miscellaneous: ['betos', 'tos'],
};

/** Modifier records carry no payment, BETOS or TOS data: actions P and T are not checked for them. */
const MODIFIER_GROUPS: Groups = {
  administrative: ['cim', 'mcm', 'statute', 'xref', 'proc_note', 'add_date'],
  coverage: ['coverage'],
  payment: [],
  miscellaneous: [],
};

const discontinued: readonly DiffCondition[] = [{ change: 'removed' }, { set: 'termination_date' }];
const reinstated: readonly DiffCondition[] = [{ cleared: 'termination_date' }];

function categories(groups: Groups): NonNullable<DiffSpec['categories']> {
  const all = [
    { name: 'discontinued', when: discontinued },
    { name: 'reinstated', when: reinstated },
    { name: 'long_descriptor', when: [{ anyOf: ['long_description'] }] },
    { name: 'short_descriptor', when: [{ anyOf: ['short_description'] }] },
    { name: 'coverage', when: [{ anyOf: groups.coverage }] },
    { name: 'pricing', when: [{ anyOf: groups.payment }] },
    { name: 'betos', when: [{ anyOf: groups.miscellaneous }] },
    { name: 'administrative', when: [{ anyOf: groups.administrative }] },
  ];
  return all.filter((category) => category.when.every((when) => !('anyOf' in when) || when.anyOf.length > 0));
}

/** What each action code requires of the computed change (any one condition). */
function actionRules(groups: Groups): NonNullable<DiffSpec['reconcile']>['rules'] {
  const when: Record<string, readonly DiffCondition[]> = {
    A: [{ change: 'added' }],
    B: [{ anyOf: ['long_description', ...groups.administrative] }],
    C: [{ anyOf: ['long_description'] }],
    // Discontinued: a termination date appears (or moves).
    D: [{ set: 'termination_date' }],
    F: [{ anyOf: [...groups.coverage, ...groups.administrative] }],
    N: [{ unchanged: true }],
    P: [{ anyOf: groups.payment }],
    // Re-activated: the termination date is removed, or a code that was gone is back.
    R: [{ cleared: 'termination_date' }, { change: 'added' }],
    S: [{ anyOf: ['short_description'] }],
    T: [{ anyOf: groups.miscellaneous }],
  };
  const rules: Record<string, { meaning: string; when: readonly DiffCondition[] }> = {};
  for (const [code, conditions] of Object.entries(when)) {
    if (conditions.some((condition) => 'anyOf' in condition && condition.anyOf.length === 0)) continue;
    rules[code] = { meaning: ACTION_CODES.get(code) ?? code, when: conditions };
  }
  return rules;
}

export const hcpcsCodeDiff: DiffSpec = {
  aliases: ['codes', 'hcpcs'],
  feed: { hcpcs: 'hcpcs' },
  labelColumn: 'short_description',
  ignore: BOOKKEEPING,
  // Stored as CMS wrote it; a quarter that wraps the same text at other points is no change.
  whitespaceInsensitive: ['long_description'],
  categories: categories(CODE_GROUPS),
  reconcile: { column: 'action_code', rules: actionRules(CODE_GROUPS) },
};

export const hcpcsModifierDiff: DiffSpec = {
  aliases: ['modifiers', 'modifier'],
  feed: { modifier: 'modifier' },
  labelColumn: 'short_description',
  ignore: BOOKKEEPING,
  // Stored as CMS wrote it; a quarter that wraps the same text at other points is no change.
  whitespaceInsensitive: ['long_description'],
  categories: categories(MODIFIER_GROUPS),
  reconcile: { column: 'action_code', rules: actionRules(MODIFIER_GROUPS) },
};
