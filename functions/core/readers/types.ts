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

/**
 * The cells of one record as spans of the decoded text, not strings (span mode: most cells
 * of a tape are numbers, dates and codes that are read in place, never sliced out). Cell `k` is
 * `special[k]` when set (a quoted cell with doubled quotes, text after a closing quote, or a cell
 * begun in an earlier chunk), else `text.slice(starts[k], ends[k])`. Reused for the next record.
 */
export interface CellSpans {
  text: string;
  starts: Int32Array;
  ends: Int32Array;
  special: Array<string | undefined>;
  count: number;
}

/** The text of cell `k` of a record in span mode. */
export function cellText(cells: CellSpans, k: number): string {
  return cells.special[k] ?? cells.text.slice(cells.starts[k]!, cells.ends[k]!);
}

