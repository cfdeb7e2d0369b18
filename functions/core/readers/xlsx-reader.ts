/**
 * Streaming XLSX tape reader: inflates ZIP entries incrementally and scans the worksheet XML by hand
 * into TapeRecords. Pure: bytes in, records out; must not touch files, S3 or the network, and must
 * never hold a whole inflated sheet in memory.
 */
import { DEFAULT_READER_LIMITS, type ByteSource, type ReaderLimits, type TapeRecord } from './types.ts';
import { WorkbookReader } from './xlsx-workbook.ts';

/*
 * Why hand-written: exceljs streaming is several times slower (bench/xlsx-reader.ts; figures in
 * bench/README.md, "XLSX"). Worksheet XML is machine-written and regular (<row r><c r s t><v>…</v></c>),
 * so a one-pass scanner over decoded text suffices. Number→shortest-string for full-precision doubles
 * is a noticeable share of the time; values with ≤ 15 significant digits take a fast path. node:zlib and node:buffer
 * (compute-only built-ins) are used for speed: see zip-stream.ts and utf8-decoder.ts.
 *
 * Files: xlsx-workbook.ts walks the ZIP (xlsx-parts.ts: names, relationships, styles),
 * xlsx-sheet-scanner.ts and xlsx-shared-strings.ts scan the XML (xml-scan.ts), xlsx-values.ts
 * formats cell values.
 *
 * Memory bound: the shared-string table and the styles are held inflated (they are needed to read any
 * row). When the sheet's entry comes before them in the ZIP (Excel writes sheets before
 * sharedStrings.xml and styles.xml), the sheet's *compressed* bytes are kept until they arrive, so peak
 * memory is about the compressed size of the sheet + inflated shared strings + one row's XML (+ ~1 MiB of buffers).
 * Parts that may be needed before the workbook's relationships are known are kept compressed too
 * (Excel writes the relationships first; exceljs writes workbook.xml last, so there every sheet is
 * kept compressed until the end: memory is about the compressed file).
 */

/** Limits of the XLSX reader, on top of the limits every reader has. */
export interface XlsxLimits extends ReaderLimits {
  /** Most bytes inflated from all parts read (workbook, styles, shared strings, sheet); default 2 GiB. */
  maxUncompressedBytes: number;
  /**
   * Largest inflated/compressed ratio of one part; default 200 (real sheets compress 4–30:1, a zip
   * bomb up to about 1000:1). Parts under 1 MiB inflated are exempt. Checked as bytes come out (and
   * against the sizes a header declares), so a bomb is rejected after a few MB, never inflated whole.
   */
  maxCompressionRatio: number;
  /** Most entries in the shared-string table; default 5,000,000 (roughly 0.3–0.5 GB of strings). */
  maxSharedStrings: number;
  /**
   * Most characters in the shared-string table, all strings together; default 100,000,000. The
   * table is held whole (it is needed to read any row), so this bounds what a workbook costs:
   * each limit above alone admits a table of gigabytes (e.g. 1,900 strings of 1,000,000
   * characters, under the field limit, inflated at 164:1, under the ratio limit).
   */
  maxSharedStringChars: number;
}

/** Defaults of `XlsxLimits`. */
export const DEFAULT_XLSX_LIMITS: XlsxLimits = {
  ...DEFAULT_READER_LIMITS,
  maxUncompressedBytes: 2 * 1024 ** 3,
  maxCompressionRatio: 200,
  maxSharedStrings: 5_000_000,
  maxSharedStringChars: 100_000_000,
};

/** Options of `readXlsx`. */
export interface XlsxReadOptions {
  /** Name of the worksheet to read; default the first worksheet in workbook order. */
  sheet?: string;
  limits?: Partial<XlsxLimits>;
}

/**
 * Reads one worksheet of an XLSX workbook as tape records: the header (the first non-empty row) first,
 * then every non-empty row, `row` being the sheet's own row number and cells placed by column letter.
 * Numbers come out as the shortest round-tripping decimal without exponent, date-formatted cells as
 * ISO `YYYY-MM-DD` (a time of day is dropped), booleans as `true`/`false`, formulas as their cached
 * value (blank if never calculated), errors as their text (`#N/A`). The first sheet is the first
 * worksheet in workbook order, hidden or not. Source chunks must not be reused after being yielded.
 *
 * Throws `TapeReadError`: `XLSX_INVALID` (not a ZIP, truncated, corrupt, parts missing),
 * `XLSX_SHEET_NOT_FOUND` (lists the sheet names), `TAPE_LIMIT_EXCEEDED`, `TAPE_ENCODING`, `TAPE_EMPTY`.
 *
 * @example
 * import { createReadStream } from 'node:fs'; // in an adapter, not in core
 * for await (const { row, cells } of readXlsx(createReadStream('tape.xlsx', { highWaterMark: 1 << 20 }), { sheet: 'Loans' })) {
 *   console.log(row, cells);
 * }
 */
export async function* readXlsx(
  source: ByteSource,
  options: XlsxReadOptions = {},
): AsyncGenerator<TapeRecord, void, undefined> {
  const limits: XlsxLimits = { ...DEFAULT_XLSX_LIMITS, ...options.limits };
  const workbook = new WorkbookReader(source, options.sheet, limits);
  try {
    // Records travel in batches (one per inflated chunk) through the inner generators: each
    // generator level costs a promise per item, so only this outermost one pays per record.
    for await (const batch of workbook.records()) yield* batch;
  } finally {
    await workbook.close();
  }
}

/**
 * {@link readXlsx} in batches (the records of each inflated chunk): the same records and errors,
 * without an async step per record. Take what you need from a batch before asking for the next.
 */
export async function* readXlsxBatches(source: ByteSource, options: XlsxReadOptions = {}): AsyncGenerator<TapeRecord[], void, undefined> {
  const limits: XlsxLimits = { ...DEFAULT_XLSX_LIMITS, ...options.limits };
  const workbook = new WorkbookReader(source, options.sheet, limits);
  try {
    yield* workbook.records();
  } finally {
    await workbook.close();
  }
}
