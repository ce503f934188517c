/** Help text built from the declared families (pipelines/), so a new family shows up by itself. */
import { SYNC_FAMILIES, families } from '../index.js';
import { orList } from './output.js';

/** `pfs, hcpcs, opps, asp or clfs` */
export const familyChoices = (): string => orList(families.map((family) => family.name));

/** `pfs or hcpcs`: the families sync finds on the CMS site */
export const syncFamilyChoices = (): string => orList(SYNC_FAMILIES);

/** Release codes as a user types them: `RVU25D, RVU24AR, HCPC2026_JAN, …` */
export const codeExamples = (): string => families.flatMap((family) => family.codeExamples).join(', ');

/** What the releases are: `PFS Relative Value Files, HCPCS Level II quarterly files and …` (only those sync finds, with `synced`) */
export function familyTitles(synced = false): string {
  const titles = families.filter((family) => !synced || SYNC_FAMILIES.includes(family.name)).map((family) => family.title);
  return titles.length <= 1 ? (titles[0] ?? '') : `${titles.slice(0, -1).join(', ')} and ${titles.at(-1)}`;
}

/** The name `diff --dataset` shows for a dataset: its first alias, else its name (`locality`, `codes`). */
const shownName = (dataset: (typeof families)[number]['datasets'][number]): string => dataset.diff?.aliases?.[0] ?? dataset.name;

/** `pfs: pprrvu, gpci, …; hcpcs: codes, modifiers; default: pprrvu, codes` */
export function datasetChoices(): string {
  const each = families.map((family) => `${family.name}: ${family.datasets.map(shownName).join(', ')}`);
  return `${each.join('; ')}; default: ${families.map((family) => shownName(family.datasets[0]!)).join(', ')}`;
}
