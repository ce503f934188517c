import { redactUrl } from '../errors.js';

/**
 * A CMS page that no longer has the structure discovery relies on (no detail links, no File Name,
 * no zip link). Never answered with an empty result: a silent "nothing new" would hide that CMS
 * changed its site. Names the page and what was missing.
 */
export class PageStructureError extends Error {
  override readonly name = 'PageStructureError';
  /** the page, credentials redacted */
  readonly pageUrl: string;
  readonly problem: string;
  readonly expected: string | undefined;

  constructor(pageUrl: string, problem: string, expected?: string) {
    const page = redactUrl(pageUrl);
    super(`${page}: ${problem}${expected !== undefined ? `; expected ${expected}` : ''}`);
    this.pageUrl = page;
    this.problem = problem;
    this.expected = expected;
  }
}
