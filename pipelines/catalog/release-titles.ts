/** How a code page names the releases its data came from. */

const MONTHS: Readonly<Record<string, string>> = { JAN: 'January', APR: 'April', JUL: 'July', OCT: 'October' };

/** `pfs` RVU26A → "CMS Physician Fee Schedule RVU26A"; `hcpcs` HCPC2026_JAN → "HCPCS 2026 January". */
export function releaseTitle(family: string, code: string): string {
  if (family === 'pfs') return `CMS Physician Fee Schedule ${code}`;
  if (family === 'hcpcs') {
    const match = /^HCPC(\d{4})_([A-Z]{3})$/.exec(code);
    const month = match ? MONTHS[match[2]!] : undefined;
    return match && month ? `HCPCS ${match[1]} ${month}` : `HCPCS ${code}`;
  }
  return `${family} ${code}`;
}
