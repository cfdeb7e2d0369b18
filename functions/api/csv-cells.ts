/**
 * CSV output for people who open it in a spreadsheet: RFC 4180 quoting, and cells that a
 * spreadsheet would run as a formula (starting with = + - @, tab or carriage return) prefixed
 * with an apostrophe (OWASP "CSV injection"). Excel in locales whose list separator is `;` (and
 * any reader told to split on tabs) cuts a line at `;` or tab, quoted or not, so a formula right
 * after one of those would start a cell of its own: it gets the apostrophe too. Pure.
 */

const FORMULA_START = /^[=+\-@\t\r]/;
/** A formula character right after a `;` or tab (spaces between): a cell start in a `;`- or tab-separated reading. */
const FORMULA_AFTER_SEPARATOR = /([;\t][ ]*)([=+\-@])/g;

/** One cell: neutralised, then quoted when it holds a comma, `;`, tab, quote or line break. */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string') {
    if (FORMULA_START.test(text)) text = `'${text}`;
    text = text.replace(FORMULA_AFTER_SEPARATOR, "$1'$2");
  }
  return /[",;\t\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record, CRLF-terminated (RFC 4180). */
export function csvRecord(values: ReadonlyArray<string | number | boolean | null | undefined>): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}
