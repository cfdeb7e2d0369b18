/**
 * A finding is one problem with one cell or row: `{ row, field, code, severity, message, value }`.
 * Codes and their severities are published in schemas/dmbs-report.v1.schema.json (`x-finding-codes`).
 */
import reportSchema from '../../../schemas/dmbs-report.v1.schema.json' with { type: 'json' };
import type { Finding } from '../generated/report.ts';
import { detached } from '../readers/text-decoding.ts';

export type { Finding };

/** The documented finding codes. */
export type FindingCode =
  | 'REQUIRED' | 'MISSING_COLUMN' | 'UNKNOWN_COLUMN' | 'TYPE' | 'FORMAT' | 'ENUM' | 'RANGE' | 'ND_NOT_ALLOWED'
  | 'CASE_NORMALISED' | 'CROSS_FIELD' | 'RECOMPUTE_MISMATCH' | 'REPORTING_DATE_MISMATCH' | 'DUPLICATE_ID' | 'ROW_LENGTH'
  | 'MALFORMED_ROW' | 'PRECISION' | 'NO_LOANS' | 'DATE_PATTERN';

/** Code -> severity and description, as published. */
export const FINDING_CODES = reportSchema['x-finding-codes'] as Record<FindingCode, { severity: 'error' | 'warning'; description: string }>;

/** Quotes a value for a message, shortened so a 64 MB cell cannot flood a terminal. */
export function quote(value: string): string {
  const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
  return `'${shown.replace(/[\u0000-\u001f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}'`;
}

/** Where a finding points: "Row 42, maturityDate (column 'Maturity Date')". */
export function place(row: number, field: string | null, column?: string): string {
  if (field === null) return `Row ${row}`;
  return column !== undefined && column !== field ? `Row ${row}, ${field} (column '${column}')` : `Row ${row}, ${field}`;
}


/** Most characters of a cell kept in a finding's `value` (a 1 MiB cell on many rows would fill memory); `valueLength` then gives the cell's length. */
export const MAX_FINDING_VALUE_CHARS = 200;

/**
 * Builds a finding with the house message form: place, value, rule, what to do. `severity`
 * overrides the code's published one (ROW_LENGTH is an error when an extra cell holds a value).
 */
export function finding(
  code: FindingCode,
  row: number,
  field: string | null,
  value: string | null,
  rule: string,
  column?: string,
  severity?: 'error' | 'warning',
): Finding {
  const blank = value === null || value === '';
  const long = !blank && value.length > MAX_FINDING_VALUE_CHARS;
  const shown = blank ? '' : long ? `${quote(value)} (${value.length} characters) ` : `${quote(value)} `;
  const f: Finding = {
    row,
    field,
    ...(column !== undefined && column !== field ? { column } : {}),
    code,
    severity: severity ?? FINDING_CODES[code].severity,
    message: detached(`${place(row, field, column)}: ${shown}${rule}.`),
    value: blank ? null : long ? cut(value) : detached(value),
  };
  if (long) f.valueLength = value.length;
  return f;
}

/** The first MAX_FINDING_VALUE_CHARS characters, not splitting a surrogate pair. */
function cut(value: string): string {
  const end = (value.charCodeAt(MAX_FINDING_VALUE_CHARS - 1) & 0xfc00) === 0xd800 ? MAX_FINDING_VALUE_CHARS - 1 : MAX_FINDING_VALUE_CHARS;
  return detached(value.slice(0, end));
}

/**
 * The DUPLICATE_ID finding of one row carrying a duplicated loanId (every such row is invalid).
 * @param rows every row the id appears on, ascending.
 */
export function duplicateIdFinding(row: number, id: string, rows: readonly number[], idHeader?: string, kind: { idField: string; rowNoun: string } = { idField: 'loanId', rowNoun: 'loan' }): Finding {
  const f = finding('DUPLICATE_ID', row, kind.idField, id, `appears on rows ${rows.join(', ')}; every row carrying it is invalid; give each ${kind.rowNoun} its own id`, idHeader);
  f.loanId = f.value!; // the id itself: at most 64 characters, never cut
  return f;
}

/**
 * Names the loan of a row on the row's findings: `loanId` is the row's id when it passed its own
 * checks (undefined: blank, a no-data code or invalid — then nothing is added). Findings about a
 * column rather than the row (DATE_PATTERN, reported once for every row of the column) get none.
 */
export function nameLoan(findings: readonly Finding[], loanId: string | undefined): void {
  if (loanId === undefined) return;
  const id = detached(loanId); // (a slice would keep the tape's chunk alive with the finding)
  for (const f of findings) if (f.code !== 'DATE_PATTERN') f.loanId = id;
}
