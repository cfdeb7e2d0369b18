/* eslint-disable */
// GENERATED from schemas/dmbs-report.v1.schema.json by `npm run gen:types`. Do not edit: change the schema and regenerate.

/**
 * A decimal number as text.
 */
export type DecimalText = string;

/**
 * The machine-readable report of one DMBS tape (dmbs-report/1): the same document from `dmbs check --json`, from the pipeline (S3) and from the API. Money and ratios are JSON strings holding decimals so no consumer loses precision.
 */
export interface DmbsReport {
  schemaVersion: "dmbs-report/1";
  /**
   * When the report was produced.
   */
  generatedAt?: string;
  tape: {
    fileName: string;
    /**
     * SHA-256 of the tape's bytes, hex.
     */
    sha256: string;
    format: "csv" | "xlsx" | "ndjson";
    /**
     * The tape's cut-off; null when no row carries a valid one.
     */
    reportingDate: string | null;
    dealId: string | null;
    /**
     * XLSX: the sheet read.
     */
    sheet?: string;
    /**
     * CSV: the delimiter used.
     */
    delimiter?: string;
    /**
     * How each header of the tape was mapped.
     */
    columns?: {
      header: string;
      field: string | null;
      matchedBy: "name" | "alias" | "mapping" | "none" | "ignored";
    }[];
  };
  validation: {
    /**
     * Loan rows read (blank rows not counted).
     */
    rowCount: number;
    validRowCount: number;
    invalidRowCount: number;
    errorCount: number;
    warningCount: number;
    /**
     * 0-100, 2 decimals; weights from the loan-tape schema's x-criticality.
     */
    dataQualityScore: string;
    /**
     * True when `errors` holds fewer findings than errorCount + warningCount (see --max-errors / the errors artifact).
     */
    errorsTruncated?: boolean;
    errors: Finding[];
    /**
     * Per-field breakdown of the data-quality score.
     */
    dataQuality?: {
      field: string;
      criticality: number;
      valid: number;
      warning: number;
      noData: number;
      blank: number;
      invalid: number;
      score: DecimalText;
    }[];
  };
}
export interface Finding {
  /**
   * Row as a spreadsheet shows it: header = 1, first loan = 2 (NDJSON: line number).
   */
  row: number;
  /**
   * The standard's field name; null for row-level findings.
   */
  field: string | null;
  /**
   * The tape's own header for the field, when it differs.
   */
  column?: string;
  code: string;
  severity: "error" | "warning";
  message: string;
  /**
   * The cell as read (trimmed); null when blank.
   */
  value: string | null;
}
