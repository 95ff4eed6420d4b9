/** A CSV cell (RFC 4180): a leading = + - @ (or tab / CR) is defused with ' so a spreadsheet never runs it; quoted when needed. */
export function csvCell(v: string | number | null): string {
  const s = v === null ? '' : String(v);
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
