/**
 * What every tape reader yields. Readers are pure: they take bytes (any chunking) and yield
 * records; they never touch files, S3 or the network.
 */

/** Bytes of a tape in any chunking: a file stream, an S3 body, an array in a test. */
export type ByteSource = AsyncIterable<Uint8Array>;

/**
 * One record of a tabular tape (CSV, XLSX) in file order. The first record yielded is the header.
 * `row` is the row number a person sees in a spreadsheet: header = 1, first loan = 2; a CSV record
 * with quoted line breaks is still one row. Blank records are not yielded but still counted.
 */
export interface TapeRecord {
  row: number;
  cells: string[];
}

/** Limits every reader enforces, so that no input can exhaust memory or time. */
export interface ReaderLimits {
  /** Largest single field, in characters (default 1 MiB). */
  maxFieldChars: number;
  /** Most columns in a record (default 2,000). */
  maxColumns: number;
}

export const DEFAULT_READER_LIMITS: ReaderLimits = { maxFieldChars: 1 << 20, maxColumns: 2000 };
