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
  | 'MALFORMED_ROW';

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


/** Builds a finding with the house message form: place, value, rule, what to do. */
export function finding(
  code: FindingCode,
  row: number,
  field: string | null,
  value: string | null,
  rule: string,
  column?: string,
): Finding {
  const shown = value === null || value === '' ? '' : `${quote(value)} `;
  return {
    row,
    field,
    ...(column !== undefined && column !== field ? { column } : {}),
    code,
    severity: FINDING_CODES[code].severity,
    message: detached(`${place(row, field, column)}: ${shown}${rule}.`),
    value: value === null || value === '' ? null : detached(value),
  };
}
