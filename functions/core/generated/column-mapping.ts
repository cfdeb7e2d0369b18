/* eslint-disable */
// GENERATED from schemas/column-mapping.v1.schema.json by `npm run gen:types`. Do not edit: change the schema and regenerate.

/**
 * An issuer's mapping file: their headers to DMBS fields, with per-column units, date patterns and code translations. An explicit mapping wins over names and aliases.
 */
export interface ColumnMapping {
  schemaVersion: "dmbs-column-mapping/1";
  /**
   * XLSX: the sheet to read (default: the first).
   */
  sheet?: string;
  /**
   * Decimal separator of every numeric column (`,` for 1234,56).
   */
  decimalSeparator?: "." | ",";
  /**
   * Headers to ignore silently (no UNKNOWN_COLUMN warning).
   */
  ignore?: string[];
  /**
   * Keys are the tape's headers exactly as written (after trimming); values a field name or a column spec.
   */
  columns: {
    [k: string]: string | ColumnSpec;
  };
}
export interface ColumnSpec {
  /**
   * A field of dmbs-loan-tape.v1.
   */
  field: string;
  /**
   * For fraction fields: `percent` means 5.25 is read as 0.0525.
   */
  unit?: "fraction" | "percent";
  /**
   * For date fields: e.g. MM-DD-YYYY (Schedule AL), YYYYMMDD (CREFC IRP), DD/MM/YYYY.
   */
  datePattern?: string;
  /**
   * Code translations applied before validation, e.g. Schedule AL paymentStatusLoanCode {"0": "CURRENT"}.
   */
  values?: {
    [k: string]: string;
  };
}
