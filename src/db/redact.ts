/**
 * Secrets out of every text that is printed, logged or stored (messages, --json output, the
 * schedule's JSON log, import_runs.error). This is the one redaction function; `redactUrl` and
 * `errorMessage` (src/errors.ts) call it.
 *
 * It removes every form of password `pg` accepts:
 * - URL user info: `postgres://user:secret@host/db` → `postgres://user:***@host/db` (also for
 *   mirror URLs with basic-auth credentials);
 * - `password=` / `sslpassword=` query parameters: `…/db?password=secret` → `…/db?password=***`;
 * - libpq keyword/value strings: `host=h password=secret dbname=d`, quoted values included
 *   (`password='a b\' c'`);
 * - `PGPASSWORD=secret` spelled out, and the value of the PGPASSWORD environment variable
 *   wherever it appears;
 * and, as a net, any password registered with `registerSecret` (those of the connection string in
 * use) wherever it appears verbatim. Literal values shorter than 8 characters are not scrubbed on
 * their own (they could match ordinary output: a year, a code, a number); the patterns above still
 * remove them.
 */

const MASK = '***';
const MIN_LITERAL = 8;
const secrets = new Set<string>();

/** URL user info: everything between `scheme://` and the authority's last `@` (passwords may hold a raw `@`). */
const USER_INFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#@]*)((?:[^\s/?#]*)@)/gi;
/**
 * `password=…` as a query parameter or a libpq keyword (quoted or bare), and PGPASSWORD=…; a bare
 * value ends at whitespace, `&`, `#`, quotes, `,;)`, or a colon that ends a phrase ("…=secret: refused").
 */
const KEYWORD = /(^|[\s?&;,(])((?:ssl|pg)?password\s*=\s*)('(?:\\.|[^'\\])*'?|"(?:\\.|[^"\\])*"?|(?:[^\s&#'",;):]|:(?!\s|$))*)/gi;

/** Remember a secret to scrub wherever it appears verbatim (raw, URL-encoded and JSON-escaped). */
export function registerSecret(value: string | undefined | null): void {
  if (value === undefined || value === null || value.length < MIN_LITERAL) return;
  secrets.add(value);
  secrets.add(encodeURIComponent(value));
  secrets.add(JSON.stringify(value).slice(1, -1));
}

/** Every password a connection string carries (URL user info, query parameters, keyword/value). */
export function passwordsIn(connection: string): string[] {
  const found: string[] = [];
  for (const match of connection.matchAll(USER_INFO)) {
    const info = `${match[2] ?? ''}${(match[3] ?? '').slice(0, -1)}`;
    const colon = info.indexOf(':');
    if (colon >= 0) found.push(...decoded(info.slice(colon + 1)));
  }
  for (const match of connection.matchAll(KEYWORD)) {
    const value = match[3] ?? '';
    const unquoted = /^['"]/.test(value) ? value.slice(1, value.endsWith(value[0]!) && value.length > 1 ? -1 : undefined).replace(/\\(.)/g, '$1') : value;
    found.push(...decoded(unquoted));
  }
  return found.filter((value) => value !== '');
}

/** Register every password of a connection string (see passwordsIn). */
export function registerConnectionSecrets(connection: string | undefined): void {
  if (connection === undefined) return;
  for (const password of passwordsIn(connection)) registerSecret(password);
}

/** The text with every password removed. */
export function redactSecrets(text: string): string {
  let out = text
    .replace(USER_INFO, (_match, scheme: string, user: string, rest: string) => {
      // `user:secret@` → `user:***@`; plain `user@` stays as it is
      const info = `${user}${rest.slice(0, -1)}`;
      const colon = info.indexOf(':');
      return colon < 0 ? `${scheme}${info}@` : `${scheme}${info.slice(0, colon)}:${MASK}@`;
    })
    .replace(KEYWORD, (_match, before: string, key: string) => `${before}${key}${MASK}`);
  const fromEnvironment = process.env.PGPASSWORD;
  for (const secret of fromEnvironment !== undefined && fromEnvironment.length >= MIN_LITERAL ? [...secrets, fromEnvironment] : secrets) {
    if (out.includes(secret)) out = out.split(secret).join(MASK);
  }
  return out;
}

/** A value with every string in it (deeply: arrays, plain objects, errors' messages) redacted, for JSON output and logs. */
export function redactDeep<T>(value: T): T {
  return deep(value, new WeakMap()) as T;
}

function deep(value: unknown, seen: WeakMap<object, unknown>): unknown {
  if (typeof value === 'string') return redactSecrets(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return seen.get(value);
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    seen.set(value, copy);
    for (const item of value) copy.push(deep(item, seen));
    return copy;
  }
  if (value instanceof Error) return redactSecrets(value.message);
  if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return value;
  const copy: Record<string, unknown> = {};
  seen.set(value, copy);
  for (const [key, item] of Object.entries(value)) copy[key] = deep(item, seen);
  return copy;
}

function decoded(value: string): string[] {
  try {
    const plain = decodeURIComponent(value);
    return plain === value ? [value] : [value, plain];
  } catch {
    return [value];
  }
}
