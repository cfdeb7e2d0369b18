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
 */
import { Buffer, isAscii } from 'node:buffer';
import { DmbsError, TapeReadError } from '../errors.ts';
import { DEFAULT_READER_LIMITS, type ByteSource, type CellSpans, type ReaderLimits, type TapeRecord } from './types.ts';

export { cellText, type CellSpans } from './types.ts';

/** Options of {@link readCsv}; every one is optional (limits default to `DEFAULT_READER_LIMITS`). */
export interface CsvReaderOptions extends ReaderLimits {
  /** Field delimiter, one character. When absent it is sniffed from the header ({@link sniffDelimiter}). */
  delimiter: string;
  /** Called once, before the first record is yielded, with the delimiter in use (given or sniffed). */
  onDelimiter: (delimiter: string) => void;
}

/** Delimiters {@link sniffDelimiter} chooses among, in order of preference when counts tie. */
export const SNIFFED_DELIMITERS: readonly string[] = [',', ';', '\t', '|'];

const QUOTE = 34;
const LF = 10;
const CR = 13;
/** Bytes decoded at a time (see parseChunks). */
const DECODE_PIECE = 64 << 10;
/** The header is sniffed once it is complete, or once this much text has arrived without it ending. */
const SNIFF_MAX_CHARS = 1 << 20;

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

function newParser(delimiter: string, maxFieldChars: number, maxColumns: number, out: TapeRecord[], sink: RecordSink | SpanOptions | undefined): CsvParser {
  return typeof sink === 'function'
    ? new CsvParser(delimiter, maxFieldChars, maxColumns, out, sink)
    : new CsvParser(delimiter, maxFieldChars, maxColumns, out, undefined, sink?.spans, sink?.columns);
}

interface ParseState {
  parser: CsvParser | undefined;
}

/**
 * Span mode: `spans` receives each record. `columns`: only the first N cells of a record without
 * quotes are split out (the rest of the line is skipped; `count` ≤ N): for a pass that needs one
 * column, such as the loanId pre-pass. Records with quotes are always read whole.
 */
export interface SpanOptions {
  readonly spans: SpanSink;
  readonly columns?: number;
}

/** Receives each record in span mode, as soon as it is parsed. */
export type SpanSink = (row: number, cells: CellSpans) => void;

/**
 * Receives each record of {@link parseCsvRange} as soon as it is parsed. `cells` is reused for the
 * next record: copy what you keep. (Records then die young: less garbage collection than batches of
 * a chunk's records.)
 */
export type RecordSink = (row: number, cells: string[]) => void;

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
    parser = state.parser = newParser(delimiter, maxFieldChars, maxColumns, out, sink);
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
      parser = state.parser = newParser(sniffed, maxFieldChars, maxColumns, out, sink);
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

/**
 * Guesses the delimiter of a CSV from its header: the most frequent of `,` `;` tab `|` outside quotes
 * on the first non-empty line (ties go to that order); `,` when none occurs.
 *
 * @example
 * ```ts
 * sniffDelimiter('loanId;currentBalance;"city; state"\r\n'); // ';'
 * ```
 */
export function sniffDelimiter(headerText: string): string {
  const { counts } = scanHeader(headerText);
  let best = 0;
  for (let i = 1; i < counts.length; i++) if (counts[i]! > counts[best]!) best = i;
  return SNIFFED_DELIMITERS[best]!;
}

/**
 * Reads the first non-empty line as the parser would (a quote opens a quoted field only at the start
 * of a field), counting the candidate delimiters outside quotes. `end` is the index of the line break
 * that ends the header, or -1 if `text` does not contain it yet.
 */
function scanHeader(text: string): { counts: number[]; end: number } {
  const counts = [0, 0, 0, 0];
  const n = text.length;
  let pos = 0;
  while (pos < n && isLineBreak(text.charCodeAt(pos))) pos++;
  let fieldStart = true;
  while (pos < n) {
    const c = text.charCodeAt(pos);
    if (fieldStart && c === QUOTE) {
      let q = text.indexOf('"', pos + 1);
      while (q !== -1 && text.charCodeAt(q + 1) === QUOTE) q = text.indexOf('"', q + 2);
      if (q === -1) return { counts, end: -1 };
      pos = q + 1;
      fieldStart = false;
      continue;
    }
    const candidate = c === 44 ? 0 : c === 59 ? 1 : c === 9 ? 2 : c === 124 ? 3 : -1;
    if (candidate !== -1) {
      counts[candidate]!++;
      fieldStart = true;
    } else if (isLineBreak(c)) return { counts, end: pos };
    else fieldStart = false;
    pos++;
  }
  return { counts, end: -1 };
}

function isLineBreak(c: number): boolean {
  return c === LF || c === CR;
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

/**
 * The RFC 4180 state machine over decoded text. Between chunks it keeps only the finished cells of the
 * current record and the raw text of its unfinished field (re-scanned when more text arrives), plus
 * whether a CR ended the previous chunk (a following LF belongs to it).
 */
class CsvParser {
  /** Rows finished so far (records yielded and blank lines skipped); the current row is `row + 1`. */
  row = 0;
  private cells: string[] = [];
  private carry = '';
  private skipLF = false;
  private readonly delimiterCode: number;
  /** Span mode: cells as spans of the text (see CellSpans), delivered to `spanSink`. */
  private readonly spans: CellSpans | undefined;
  /** Characters of the open record's finished cells (delimiters not counted), against maxRowChars. */
  private recordChars = 0;
  /** Most characters of a record's cells: 4 × maxFieldChars, as an NDJSON line (a record held in memory whole). */
  private readonly maxRowChars: number;

  constructor(
    private readonly delimiter: string,
    private readonly maxFieldChars: number,
    private readonly maxColumns: number,
    private readonly out: TapeRecord[],
    /** When given, each record goes here as soon as it is complete, in a cells array reused for the next one. */
    private readonly sink?: RecordSink,
    private readonly spanSink?: SpanSink,
    /** Span mode: cells split out of a record without quotes (the rest is skipped). */
    private readonly firstColumns = Number.POSITIVE_INFINITY,
  ) {
    this.delimiterCode = delimiter.charCodeAt(0);
    this.maxRowChars = maxFieldChars * 4;
    if (spanSink) this.spans = { text: '', starts: new Int32Array(64), ends: new Int32Array(64), special: [], count: 0 };
  }

  /** True when no record is open: nothing carried over and no cell of an unfinished record. */
  atRecordBoundary(): boolean {
    return this.carry.length === 0 && this.cells.length === 0 && (this.spans?.count ?? 0) === 0;
  }

  push(chunk: string, final: boolean): void {
    const text = this.carry.length === 0 ? chunk : this.carry + chunk;
    this.carry = '';
    const n = text.length;
    if (n === 0 && !final) return;
    let pos = 0;
    if (this.skipLF) {
      this.skipLF = false;
      if (text.charCodeAt(0) === LF) pos = 1;
    }
    const { delimiter, delimiterCode: d, maxFieldChars, maxColumns, out, spans } = this;
    if (spans) spans.text = text;
    let cells = this.cells;
    // Next delimiter / LF / CR / quote at or after `pos` (n when there is none): each is searched again
    // only once `pos` has passed it, so every character is scanned a bounded number of times.
    let nextDelim = -1;
    let nextLF = -1;
    let nextCR = -1;
    let nextQuote = -1;

    for (;;) {
      const fieldStart = pos;
      const open = spans ? spans.count : cells.length; // cells of the current record so far
      if (pos >= n) {
        if (final && open > 0) {
          // The record ended with a delimiter: its last field is empty.
          if (open >= maxColumns) this.tooManyColumns();
          if (spans) this.addSpan(n, n, undefined);
          else cells.push('');
          cells = this.emit(cells);
        }
        break;
      }
      let c = text.charCodeAt(pos);
      let value: string | undefined;
      let spanStart = pos;
      let spanEnd = pos;
      if (c === QUOTE) {
        let q = text.indexOf('"', pos + 1);
        let doubled = false;
        for (;;) {
          if (q === -1 || (q === n - 1 && !final)) break; // the closing quote is not here yet
          if (q === n - 1 || text.charCodeAt(q + 1) !== QUOTE) break;
          doubled = true;
          q = text.indexOf('"', q + 2);
        }
        if (q === -1 || (q === n - 1 && !final)) {
          // Length first, so that the error does not depend on where the chunks end.
          if (n - fieldStart > 2 * maxFieldChars + 2) this.fieldTooLong(open + 1);
          if (final) this.unterminatedQuote(open + 1);
          this.carryFrom(text, fieldStart);
          break;
        }
        spanStart = pos + 1;
        spanEnd = q;
        if (doubled || !spans) {
          value = text.slice(pos + 1, q);
          if (doubled) value = value.replaceAll('""', '"');
        }
        pos = q + 1;
        c = pos < n ? text.charCodeAt(pos) : -1;
        if (c !== d && c !== LF && c !== CR && c !== -1) {
          // Text after the closing quote: kept literally (lenient, as spreadsheets read it).
          const end = fieldEnd(text, pos, delimiter);
          if (end === n && !final) {
            if (n - fieldStart > 2 * maxFieldChars + 2) this.fieldTooLong(open + 1);
            this.carryFrom(text, fieldStart);
            break;
          }
          value = (value ?? text.slice(spanStart, spanEnd)) + text.slice(pos, end);
          pos = end;
          c = pos < n ? text.charCodeAt(pos) : -1;
        }
      } else if (open === 0 && (c === LF || c === CR)) {
        // An empty line: not a record, but a row of the spreadsheet.
        this.row++;
        pos++;
        if (c === CR) {
          if (pos < n) {
            if (text.charCodeAt(pos) === LF) pos++;
          } else if (!final) this.skipLF = true;
        }
        continue;
      } else {
        if (nextLF < pos) {
          nextLF = text.indexOf('\n', pos);
          if (nextLF === -1) nextLF = n;
        }
        if (nextCR < pos) {
          nextCR = text.indexOf('\r', pos);
          if (nextCR === -1) nextCR = n;
        }
        const lineEnd = nextLF < nextCR ? nextLF : nextCR;
        if (spans && open === 0 && lineEnd < n) {
          if (nextQuote < pos) {
            nextQuote = text.indexOf('"', pos);
            if (nextQuote === -1) nextQuote = n;
          }
          if (nextQuote > lineEnd) {
            // Fast path: a whole record without quotes in this text: spans between delimiters.
            let p = pos;
            let k = 0;
            for (;;) {
              if (nextDelim < p) {
                nextDelim = text.indexOf(delimiter, p);
                if (nextDelim === -1) nextDelim = n;
              }
              const e = nextDelim < lineEnd ? nextDelim : lineEnd;
              if (e - p > maxFieldChars) this.fieldTooLong(k + 1);
              if (k >= maxColumns) this.tooManyColumns();
              if (k === spans.starts.length) this.growSpans();
              spans.starts[k] = p;
              spans.ends[k] = e;
              k++;
              if (e === lineEnd || k === this.firstColumns) break;
              p = e + 1;
            }
            spans.count = k;
            // (cells of a whole record here: the line less its delimiters, as the cell-by-cell path counts them)
            if (lineEnd - pos - (k - 1) > this.maxRowChars && k !== this.firstColumns) this.rowTooLong();
            this.emit(cells);
            pos = lineEnd + 1;
            if (text.charCodeAt(lineEnd) === CR) {
              if (pos < n) {
                if (text.charCodeAt(pos) === LF) pos++;
              } else if (!final) this.skipLF = true;
            }
            continue;
          }
        }
        if (nextDelim < pos) {
          nextDelim = text.indexOf(delimiter, pos);
          if (nextDelim === -1) nextDelim = n;
        }
        const end = nextDelim < lineEnd ? nextDelim : lineEnd;
        if (end === n && !final) {
          if (n - fieldStart > maxFieldChars) this.fieldTooLong(open + 1);
          this.carryFrom(text, fieldStart);
          break;
        }
        spanEnd = end;
        if (!spans) value = text.slice(pos, end);
        pos = end;
        c = pos < n ? text.charCodeAt(pos) : -1;
      }

      const length = value !== undefined ? value.length : spanEnd - spanStart;
      if (length > maxFieldChars) this.fieldTooLong(open + 1);
      if (open >= maxColumns) this.tooManyColumns();
      if ((this.recordChars += length) > this.maxRowChars) this.rowTooLong();
      if (spans) this.addSpan(spanStart, spanEnd, value);
      else cells.push(value!);
      if (c === d) {
        pos++;
        continue;
      }
      // c is LF, CR, or -1 (end of the final text): the record is complete.
      cells = this.emit(cells);
      if (c === LF) pos++;
      else if (c === CR) {
        pos++;
        if (pos < n) {
          if (text.charCodeAt(pos) === LF) pos++;
        } else if (!final) this.skipLF = true;
      } else break;
    }
    this.cells = cells;
    // Span mode: cells of a record still open refer to this text, which goes; keep them as strings.
    if (spans) for (let k = 0; k < spans.count; k++) spans.special[k] ??= text.slice(spans.starts[k]!, spans.ends[k]!);
  }

  /** Delivers the record; returns the cells array for the next one. */
  private emit(cells: string[]): string[] {
    this.recordChars = 0;
    const spans = this.spans;
    if (spans) {
      this.spanSink!(++this.row, spans);
      const special = spans.special;
      for (let k = 0; k < spans.count; k++) special[k] = undefined;
      spans.count = 0;
      return cells;
    }
    if (this.sink) {
      this.sink(++this.row, cells);
      cells.length = 0;
      return cells;
    }
    this.out.push({ row: ++this.row, cells });
    return [];
  }

  /** Span mode: one more cell, a span of the text or (quoted with doubled quotes, …) its own string. */
  private addSpan(start: number, end: number, value: string | undefined): void {
    const spans = this.spans!;
    const k = spans.count;
    if (k === spans.starts.length) this.growSpans();
    spans.starts[k] = start;
    spans.ends[k] = end;
    spans.special[k] = value;
    spans.count = k + 1;
  }

  private growSpans(): void {
    const spans = this.spans!;
    const starts = new Int32Array(spans.starts.length * 2);
    starts.set(spans.starts);
    const ends = new Int32Array(spans.ends.length * 2);
    ends.set(spans.ends);
    spans.starts = starts;
    spans.ends = ends;
  }

  /** Keeps the unfinished field for the next chunk. */
  private carryFrom(text: string, fieldStart: number): void {
    this.carry = text.slice(fieldStart);
  }

  private unterminatedQuote(column: number): never {
    const row = this.row + 1;
    throw new TapeReadError(
      'TAPE_MALFORMED',
      `Row ${row}: a quoted field opened here is never closed (column ${column}, the quote runs to the end of the file); ` +
        'close the quote, and write a quote inside a quoted field as two quotes ("").',
      { row },
    );
  }

  private fieldTooLong(column: number): never {
    const row = this.row + 1;
    throw new TapeReadError(
      'TAPE_LIMIT_EXCEEDED',
      `Row ${row}, column ${column}: a field is longer than the limit of ${this.maxFieldChars} characters (maxFieldChars); ` +
        'check for a quote that is never closed, or shorten the field.',
      { row },
    );
  }

  private rowTooLong(): never {
    const row = this.row + 1;
    throw new TapeReadError(
      'TAPE_LIMIT_EXCEEDED',
      `Row ${row}: the record is longer than the limit of ${this.maxRowChars} characters (4 × maxFieldChars); ` +
        'check for a quote that is never closed, or shorten the row.',
      { row },
    );
  }

  private tooManyColumns(): never {
    const row = this.row + 1;
    throw new TapeReadError(
      'TAPE_LIMIT_EXCEEDED',
      `Row ${row}: more columns than the limit of ${this.maxColumns} (maxColumns); ` +
        'check that the delimiter is right, or remove the extra columns.',
      { row },
    );
  }
}

/** End of an unquoted stretch starting at `pos`: the next delimiter or line break, or the text's end. */
function fieldEnd(text: string, pos: number, delimiter: string): number {
  let end = text.length;
  for (const stop of [delimiter, '\n', '\r']) {
    const at = text.indexOf(stop, pos);
    if (at !== -1 && at < end) end = at;
  }
  return end;
}

type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be';
const EMPTY = new Uint8Array(0);

/** Raised inside the decoder; turned into a TapeReadError once the row is known. */
class InvalidBytes extends Error {
  constructor(
    readonly encoding: Encoding,
    /** Text of the bytes before the invalid ones (still to be parsed). */
    readonly validText: string,
    readonly byteOffset: number,
    readonly byte: number | undefined,
  ) {
    super('invalid bytes');
  }
}

function encodingError(error: InvalidBytes, parser: CsvParser | undefined): TapeReadError {
  const row = (parser?.row ?? 0) + 1;
  const what =
    error.byte === undefined
      ? `it ends inside a character at byte offset ${error.byteOffset}`
      : `byte 0x${error.byte.toString(16).toUpperCase().padStart(2, '0')} at byte offset ${error.byteOffset}`;
  return new TapeReadError(
    'TAPE_ENCODING',
    `Row ${row}: the tape is not valid ${error.encoding.toUpperCase()} (${what}); ` +
      'save it as UTF-8 (in Excel: "CSV UTF-8 (Comma delimited)") and upload it again.',
    { row },
  );
}

/**
 * Bytes → text, chosen by BOM (UTF-8 by default). It splits each chunk itself at the last complete
 * character and decodes with a fatal TextDecoder, so that it knows exactly which bytes are invalid.
 */
class TapeDecoder {
  private encoding: Encoding | undefined;
  private decoder: InstanceType<typeof TextDecoder> | undefined;
  /** Bytes not yet decoded: the start of the file (BOM not yet known) or an incomplete character. */
  private pending: Uint8Array = EMPTY;
  /** File offset of the first byte of `pending`. */
  private offset = 0;

  /** `encoding` given: no BOM is looked for (a range inside a file); `offset`: file offset of the first byte. */
  constructor(encoding?: Encoding, offset = 0) {
    this.offset = offset;
    if (encoding !== undefined) {
      this.encoding = encoding;
      this.decoder = new TextDecoder(encoding, { fatal: true, ignoreBOM: true });
    }
  }

  decode(chunk: Uint8Array, final: boolean): string {
    let bytes = this.pending.length === 0 ? chunk : concat(this.pending, chunk);
    if (this.encoding === undefined) {
      if (bytes.length < 3 && !final) {
        this.pending = new Uint8Array(bytes); // a copy: the source may reuse its buffers
        return '';
      }
      const [b0, b1, b2] = bytes;
      let bom = 0;
      if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) [this.encoding, bom] = ['utf-8', 3];
      else if (b0 === 0xff && b1 === 0xfe) [this.encoding, bom] = ['utf-16le', 2];
      else if (b0 === 0xfe && b1 === 0xff) [this.encoding, bom] = ['utf-16be', 2];
      else this.encoding = 'utf-8';
      this.decoder = new TextDecoder(this.encoding, { fatal: true, ignoreBOM: true });
      bytes = bytes.subarray(bom);
      this.offset += bom;
    }
    const cut = final ? bytes.length : completePrefix(bytes, this.encoding);
    const body = cut === bytes.length ? bytes : bytes.subarray(0, cut);
    this.pending = cut === bytes.length ? EMPTY : new Uint8Array(bytes.subarray(cut));
    let text: string;
    try {
      // Pure ASCII (most tapes, most pieces) is the same text in Latin-1, which Node decodes
      // several times faster than a fatal TextDecoder.
      text = this.encoding === 'utf-8' && isAscii(body) ? Buffer.from(body.buffer, body.byteOffset, body.length).toString('latin1') : this.decoder!.decode(body);
    } catch {
      throw locateInvalid(body, this.encoding, this.offset, final);
    }
    this.offset += cut;
    return text;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}

/** Length of the longest prefix of `bytes` that does not end inside a character. */
function completePrefix(bytes: Uint8Array, encoding: Encoding): number {
  const n = bytes.length;
  if (encoding === 'utf-8') {
    for (let i = n - 1; i >= 0 && i >= n - 4; i--) {
      const b = bytes[i]!;
      if (b < 0x80) return n;
      if (b >= 0xc0) {
        const size = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
        return n - i < size ? i : n;
      }
    }
    return n;
  }
  let cut = n - (n & 1);
  if (cut >= 2) {
    const unit = encoding === 'utf-16le' ? bytes[cut - 2]! | (bytes[cut - 1]! << 8) : (bytes[cut - 2]! << 8) | bytes[cut - 1]!;
    if (unit >= 0xd800 && unit <= 0xdbff) cut -= 2; // a high surrogate waits for its low half
  }
  return cut;
}

/** On the error path only: finds the first undecodable byte by bisection (prefixes decode monotonically). */
function locateInvalid(body: Uint8Array, encoding: Encoding, offset: number, final: boolean): InvalidBytes {
  const decodePrefix = (length: number): string =>
    new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(body.subarray(0, length), { stream: true });
  let ok = 0;
  let bad = body.length + 1;
  while (bad - ok > 1) {
    const mid = (ok + bad) >>> 1;
    try {
      decodePrefix(mid);
      ok = mid;
    } catch {
      bad = mid;
    }
  }
  const validText = decodePrefix(ok);
  // Start of the first character that could not be decoded (the stream keeps an incomplete one back).
  // If all of a non-final body decodes as a stream, its last character was cut short by an invalid
  // byte that follows (kept back by completePrefix): that character is the invalid one.
  const start = encoding === 'utf-8' ? new TextEncoder().encode(validText).length : validText.length * 2;
  return new InvalidBytes(encoding, validText, offset + start, final && ok === body.length ? undefined : body[start]);
}
