/**
 * The RFC 4180 state machine of the CSV reader over decoded text (csv-reader.ts drives it): records
 * in batches, to a callback, or as spans of the text. No bytes, no decoding.
 */
import { TapeReadError } from '../errors.ts';
import type { CellSpans, TapeRecord } from './types.ts';

export const QUOTE = 34;
export const LF = 10;
export const CR = 13;
/** Bytes decoded at a time (see parseChunks). */
export function isLineBreak(c: number): boolean {
  return c === LF || c === CR;
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
 * The RFC 4180 state machine over decoded text. Between chunks it keeps only the finished cells of the
 * current record and the raw text of its unfinished field (re-scanned when more text arrives), plus
 * whether a CR ended the previous chunk (a following LF belongs to it).
 */
export class CsvParser {
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
  /** Each record as soon as it is complete, in a cells array reused for the next one. */
  private readonly sink: RecordSink | undefined;
  private readonly spanSink: SpanSink | undefined;
  /** Span mode: cells split out of a record without quotes (the rest is skipped). */
  private readonly firstColumns: number = Number.POSITIVE_INFINITY;

  constructor(
    private readonly delimiter: string,
    private readonly maxFieldChars: number,
    private readonly maxColumns: number,
    /** Records go here in batches, unless `delivery` takes them one by one. */
    private readonly out: TapeRecord[],
    delivery?: RecordSink | SpanOptions,
  ) {
    if (typeof delivery === 'function') this.sink = delivery;
    else if (delivery) {
      this.spanSink = delivery.spans;
      this.firstColumns = delivery.columns ?? Number.POSITIVE_INFINITY;
    }
    this.delimiterCode = delimiter.charCodeAt(0);
    this.maxRowChars = maxFieldChars * 4;
    if (this.spanSink) this.spans = { text: '', starts: new Int32Array(64), ends: new Int32Array(64), special: [], count: 0 };
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

