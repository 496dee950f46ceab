/**
 * One CSV cell (RFC 4180) of a report a person opens in a spreadsheet: text
 * that a spreadsheet would run as a formula — starting with = + - @, or with a
 * tab or carriage return before one — is kept as text with a leading '. Text
 * in these reports comes from callers (applications, users, reasons), so a
 * cell must never be able to run anything on the reader's machine.
 */
export function csvCell(value: string | number | null): string {
  let text = value === null ? '' : String(value);
  if (typeof value !== 'number' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || text !== String(value ?? '')
    ? `"${text.replaceAll('"', '""')}"`
    : text;
}
