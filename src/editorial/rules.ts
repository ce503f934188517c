/**
 * What the editorial stage needs to know of CMS codes and releases: the shape of a code editors
 * may name, the category ids they may file entries under, and how a code page names a release.
 * pipelines/catalog/ declares them; src/index.ts hands them in, so that editorial never reaches
 * into pipelines/.
 */
export interface CatalogRules {
  /** a code editors may name (CPT or HCPCS Level II), and how a message says so */
  readonly codeShape: RegExp;
  readonly codeShapeExpected: string;
  /** the category ids editors may name (`cpt:surgery`, `hcpcs:A`), in the order a message lists them */
  readonly categoryIds: readonly string[];
  /** `pfs` RVU26A → "CMS Physician Fee Schedule RVU26A" */
  releaseTitle(family: string, code: string): string;
}
