/**
 * Streaming CSV tape reader (RFC 4180): bytes in any chunking → records with spreadsheet row numbers.
 * Must not touch files or the network, nor hold more than one record plus one chunk in memory.
 *
 * Written by hand, for a measured reason (bench/csv-parsers.ts; figures in bench/README.md, "Choosing
 * the CSV parser"): csv-parse is the best library that meets the reader's requirements and this
 * reader is several times faster; the faster libraries (udsv, papaparse) fail requirements (a CR LF
 * split across chunks, mixed line endings, short rows, unclosed quotes, blank lines, size limits) that
 * a wrapper cannot repair without re-implementing the quote-aware scan.
 *
 * Decisions a reader of a tape should know:
 *   - Rows are numbered as a spreadsheet shows them: header = 1; a record with quoted line breaks is
 *     one row; an empty line is not yielded but is counted. A line of only delimiters is a record.
 *   - Lenient quotes, as Excel and LibreOffice read them: a quote inside an unquoted field is a
 *     literal character (`ab"c` → `ab"c`), and text after a closing quote is kept literally
 *     (`"ab"c` → `abc`). Only a quote left open at end of file is an error (TAPE_MALFORMED).
 *   - Encoding: UTF-8 (BOM stripped) unless the file starts with a UTF-16 BOM; invalid bytes stop the
 *     read (TAPE_ENCODING) naming the row, after every earlier row has been yielded.
 *   - What is yielded before an error, and the error, do not depend on how the bytes are chunked.
 *   - Cells are slices of the decoded chunk; V8 may keep the chunk alive while a long-lived slice
 *     (≥ 13 chars) is held, so copy strings you keep for the whole run (group keys) if memory matters.
 *
 * Faster forms of the same reader, for the check's hot path: readCsvBatches
 * (a chunk's records per async step), parseCsv (each record to a callback as soon as it is parsed)
 * and span mode (cells as spans of the decoded text, CellSpans: numbers, dates and codes are then
 * read in place, never sliced out; a record without quotes is split by a tight loop). readCsvRange
 * and parseCsvRange read one byte range of a tape split at record boundaries (csv-split.ts) for
 * parallel checks. Bytes are decoded 64 KiB at a time so that decoded text dies young in V8.
 * Every form yields the records and errors of readCsv (test/unit/readers/csv-spans.test.ts).
 *
 * Files: this one drives the read; csv-parser.ts is the state machine, csv-delimiter.ts sniffs the
 * delimiter, tape-decoder.ts turns bytes into text.
 */
import { DmbsError } from '../errors.ts';
import { CsvParser, isLineBreak, type RecordSink, type SpanOptions } from './csv-parser.ts';
import { scanHeader, sniffDelimiter, SNIFF_MAX_CHARS } from './csv-delimiter.ts';
import { EMPTY, encodingError, InvalidBytes, TapeDecoder } from './tape-decoder.ts';
import { DEFAULT_READER_LIMITS, type ByteSource, type ReaderLimits, type TapeRecord } from './types.ts';

export { cellText, type CellSpans } from './types.ts';
export { sniffDelimiter, SNIFFED_DELIMITERS } from './csv-delimiter.ts';
export type { RecordSink, SpanOptions, SpanSink } from './csv-parser.ts';

/** Options of {@link readCsv}; every one is optional (limits default to `DEFAULT_READER_LIMITS`). */
export interface CsvReaderOptions extends ReaderLimits {
  /** Field delimiter, one character. When absent it is sniffed from the header ({@link sniffDelimiter}). */
  delimiter: string;
  /** Called once, before the first record is yielded, with the delimiter in use (given or sniffed). */
  onDelimiter: (delimiter: string) => void;
}


const DECODE_PIECE = 64 << 10;
/** The header is sniffed once it is complete, or once this much text has arrived without it ending. */
/**
 * Reads a CSV tape as records, streaming: memory is bounded by one record and one chunk, whatever the
 * file size. The first record is the header (row 1).
 *
 * @throws TapeReadError `TAPE_ENCODING` (invalid UTF-8/UTF-16), `TAPE_MALFORMED` (quote never closed),
 *   `TAPE_LIMIT_EXCEEDED` (`maxFieldChars`, `maxColumns`); every record before the failing row is
 *   yielded first, whatever the chunking.
 *
 * @example
 * ```ts
 * // In an adapter (core never opens files): 1 MiB chunks read about 3x faster than 64 KiB.
 * const source = createReadStream(path, { highWaterMark: 1 << 20 });
 * let delimiter = ',';
 * for await (const { row, cells } of readCsv(source, { onDelimiter: (d) => (delimiter = d) })) {
 *   if (row === 1) console.log(`header (delimiter ${JSON.stringify(delimiter)}):`, cells);
 *   else console.log(`row ${row}:`, cells);
 * }
 * ```
 */
export async function* readCsv(
  source: ByteSource,
  options: Partial<CsvReaderOptions> = {},
): AsyncGenerator<TapeRecord> {
  for await (const batch of readCsvBatches(source, options)) for (const record of batch) yield record;
}

/**
 * {@link readCsv} in batches: the records of each chunk read come as one array (same records, same
 * errors), which spares an async step per record. The array is
 * reused for the next batch: take what you need before asking for more.
 */
export async function* readCsvBatches(
  source: ByteSource,
  options: Partial<CsvReaderOptions> = {},
): AsyncGenerator<TapeRecord[]> {
  const { delimiter, onDelimiter, maxFieldChars, maxColumns } = normalizeOptions(options);
  yield* parseChunks(source, { delimiter, onDelimiter, maxFieldChars, maxColumns }, new TapeDecoder(), true);
}

/**
 * {@link readCsv} delivering each record to `sink` as soon as it is parsed (the cells array is
 * reused: copy what you keep); the same records and errors, in the same order.
 */
export async function parseCsv(source: ByteSource, options: Partial<CsvReaderOptions>, sink: RecordSink | SpanOptions): Promise<void> {
  const { delimiter, onDelimiter, maxFieldChars, maxColumns } = normalizeOptions(options);
  for await (const _ of parseChunks(source, { delimiter, onDelimiter, maxFieldChars, maxColumns }, new TapeDecoder(), true, undefined, sink)) {
    // records went to the sink
  }
}

/** Options of {@link readCsvRange}. */
export interface CsvRangeOptions extends Partial<ReaderLimits> {
  /** The tape's delimiter (sniffed from the header by whoever split the tape). */
  readonly delimiter: string;
  /** File offset of the range's first byte: it starts a record (csv-split.ts), or the file. */
  readonly byteOffset: number;
  /** The range ends the file: the end-of-file rules apply (last record without a line break, unclosed quote). */
  readonly last: boolean;
}

/** How a range ended: rows read (records and blank lines), and whether the last record ended inside it. */
export interface CsvRangeEnd {
  rows: number;
  /** False when the range ended inside a record: the split point was wrong (see csv-split.ts). */
  atRecordBoundary: boolean;
}

/**
 * Reads one byte range of a UTF-8 CSV tape in batches, as {@link readCsvBatches} reads a whole
 * tape: row numbers count from the range's start (its first row is 1), a BOM is stripped only at
 * offset 0, and encoding errors name file offsets. Reading every range of a tape split at record
 * boundaries yields exactly the records (and the first error) of reading the tape whole.
 * @param end filled in when the generator finishes.
 */
export async function* readCsvRange(
  source: ByteSource,
  options: CsvRangeOptions,
  end: CsvRangeEnd = { rows: 0, atRecordBoundary: true },
): AsyncGenerator<TapeRecord[]> {
  const { maxFieldChars, maxColumns } = normalizeOptions(options);
  const decoder = options.byteOffset === 0 ? new TapeDecoder() : new TapeDecoder('utf-8', options.byteOffset);
  const state: ParseState = { parser: undefined };
  yield* parseChunks(source, { delimiter: options.delimiter, onDelimiter: undefined, maxFieldChars, maxColumns }, decoder, options.last, state);
  end.rows = state.parser?.row ?? 0;
  end.atRecordBoundary = state.parser?.atRecordBoundary() ?? true;
}


interface ParseState {
  parser: CsvParser | undefined;
}

/**
 * {@link readCsvRange} delivering records to `sink` synchronously instead of in batches; resolves
 * with how the range ended. Errors are thrown after every record before them has been delivered.
 */
export async function parseCsvRange(source: ByteSource, options: CsvRangeOptions, sink: RecordSink | SpanOptions): Promise<CsvRangeEnd> {
  const { maxFieldChars, maxColumns } = normalizeOptions(options);
  const decoder = options.byteOffset === 0 ? new TapeDecoder() : new TapeDecoder('utf-8', options.byteOffset);
  const state: ParseState = { parser: undefined };
  for await (const _ of parseChunks(source, { delimiter: options.delimiter, onDelimiter: undefined, maxFieldChars, maxColumns }, decoder, options.last, state, sink)) {
    // records went to the sink
  }
  return { rows: state.parser?.row ?? 0, atRecordBoundary: state.parser?.atRecordBoundary() ?? true };
}

/** The reading loop shared by whole tapes and ranges; `last` = the source ends the file. */
async function* parseChunks(
  source: ByteSource,
  options: NormalizedOptions,
  decoder: TapeDecoder,
  last: boolean,
  state: ParseState = { parser: undefined },
  sink?: RecordSink | SpanOptions,
): AsyncGenerator<TapeRecord[]> {
  const { delimiter, onDelimiter, maxFieldChars, maxColumns } = options;
  const out: TapeRecord[] = [];
  let parser: CsvParser | undefined;
  if (delimiter !== undefined) {
    onDelimiter?.(delimiter);
    parser = state.parser = new CsvParser(delimiter, maxFieldChars, maxColumns, out, sink);
  }
  // Until the header is complete the text is held back, so that the delimiter can be sniffed from it.
  let head = '';

  /** Parses `text`; `force` ends the hold-back of the header even if it is not complete yet. */
  const feed = (text: string, final: boolean, force = final): void => {
    if (parser === undefined) {
      head += text;
      // Rescanned only when a line break arrives, so tiny chunks do not make this quadratic.
      const mayEnd = text.includes('\n') || text.includes('\r');
      if (!force && head.length < SNIFF_MAX_CHARS && !(mayEnd && scanHeader(head).end !== -1)) return;
      const sniffed = sniffDelimiter(head);
      onDelimiter?.(sniffed);
      parser = state.parser = new CsvParser(sniffed, maxFieldChars, maxColumns, out, sink);
      text = head;
      head = '';
    }
    parser.push(text, final);
  };

  let failure: unknown;
  try {
    for await (const chunk of source) {
      // Decoded in pieces of at most 64 KiB: a piece's text then lives and dies in V8's young
      // generation, where a 1 MiB text goes to the large-object space and waits for a full GC
      for (let at = 0; at < chunk.length; at += DECODE_PIECE) {
        feed(decoder.decode(at === 0 && chunk.length <= DECODE_PIECE ? chunk : chunk.subarray(at, at + DECODE_PIECE), false), false);
      }
      if (out.length > 0) {
        yield out;
        out.length = 0;
      }
    }
    const rest = decoder.decode(EMPTY, true);
    if (last) feed(rest, true);
    else if (rest !== '' || parser === undefined) feed(rest, false, true);
  } catch (error) {
    failure = error;
    if (error instanceof InvalidBytes) {
      // Parse what precedes the bad bytes, so that the row named is the one that holds them.
      try {
        feed(error.validText, false, true);
        failure = encodingError(error, parser);
      } catch (inner) {
        failure = inner;
      }
    }
  }
  if (out.length > 0) {
    yield out;
    out.length = 0;
  }
  if (failure !== undefined) throw failure;
}

interface NormalizedOptions extends ReaderLimits {
  delimiter: string | undefined;
  onDelimiter: ((delimiter: string) => void) | undefined;
}

function normalizeOptions(options: Partial<CsvReaderOptions>): NormalizedOptions {
  const { delimiter, onDelimiter } = options;
  if (delimiter !== undefined && (delimiter.length !== 1 || delimiter === '"' || isLineBreak(delimiter.charCodeAt(0)))) {
    throw new DmbsError('USAGE', `The CSV delimiter must be one character other than a quote or a line break, not ${JSON.stringify(delimiter)}.`);
  }
  const limit = (name: keyof ReaderLimits): number => {
    const value = options[name] ?? DEFAULT_READER_LIMITS[name];
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new DmbsError('USAGE', `The reader limit ${name} must be a positive whole number, not ${String(value)}.`);
    }
    return value;
  };
  return { delimiter, onDelimiter, maxFieldChars: limit('maxFieldChars'), maxColumns: limit('maxColumns') };
}

