/**
 * One column of a CSV range read straight from its bytes: for the loanId pre-pass of a parallel
 * check (check-range.ts), which needs one cell per record and not the rest. No decoding of the
 * record into text: line breaks, quotes and delimiters are found with `indexOf` on the bytes (they
 * are ASCII, and UTF-8 never uses bytes below 0x80 inside a multi-byte character), and only the
 * wanted cell becomes a string: much cheaper than parsing the range as text (csv-reader.ts).
 *
 * Records are cut exactly as the CSV reader cuts them (csv-reader.ts CsvParser): a record ends at
 * LF or CR outside quotes (CRLF: the LF is then an empty line, which is no record); a field that
 * starts with `"` is quoted (`""` inside is one quote; text after its closing quote, up to the next
 * delimiter or line break, is kept literally); a quote anywhere else is an ordinary character.
 * The cell is given untrimmed, as the reader's span would be. Anything the reader would refuse
 * (an unterminated quote at the end of the file, invalid UTF-8 in the cell, a record longer than
 * 16 MiB) throws a TapeReadError: the pre-pass then gives up and the full pass reports the tape's
 * own error (check-tape-parallel.ts). Pure.
 */
import { TapeReadError } from '../errors.ts';
import { asBuffer, nextIndex } from './byte-search.ts';
import type { ByteSource } from './types.ts';

const LF = 10;
const CR = 13;
const QUOTE = 34;
/** A record still unfinished after this many bytes ends the pre-pass (the full pass applies the real limits). */
const MAX_RECORD_BYTES = 16 << 20;

export interface ColumnScanOptions {
  /** The delimiter's byte (ASCII). */
  readonly delimiter: number;
  /** 0-based column of the wanted cell. */
  readonly column: number;
  /** The range ends the file: its last record may end without a line break. */
  readonly last: boolean;
}

export interface ColumnScanEnd {
  /** Records read (blank lines not counted). */
  readonly records: number;
  /** False: the range ended inside a record (a wrong split point, csv-split.ts). */
  readonly atRecordBoundary: boolean;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Calls `onCell` with the text of cell `column` of every record of the range (undefined when the
 * record has fewer cells), in order.
 * @example await scanCsvColumn(source, { delimiter: 44, column: 0, last: true }, (id) => ids.push(id));
 */
export async function scanCsvColumn(source: ByteSource, options: ColumnScanOptions, onCell: (text: string | undefined) => void): Promise<ColumnScanEnd> {
  const scanner = new ColumnScanner(options, onCell);
  let carry: Buffer | undefined;
  for await (const bytes of source) {
    const chunk = asBuffer(bytes);
    let from = 0;
    if (carry) {
      // The record begun in the last chunk, completed with as few bytes of this one as it takes
      // (line by line): copying whole 1 MiB chunks onto the carry cost more in GC than the scan.
      let take = 0;
      for (;;) {
        take = take >= chunk.length ? chunk.length : nextIndex(chunk, LF, take) + 1;
        if (take > chunk.length) take = chunk.length;
        const joined = Buffer.concat([carry, chunk.subarray(0, take)]);
        const used = scanner.scan(joined, false);
        if (used >= carry.length) {
          from = used - carry.length;
          carry = undefined;
          break;
        }
        if (take === chunk.length) {
          carry = joined; // still unfinished at the end of this chunk
          break;
        }
      }
      if (carry) {
        if (carry.length > MAX_RECORD_BYTES) throw new TapeReadError('TAPE_LIMIT_EXCEEDED', `a record of more than ${MAX_RECORD_BYTES} bytes`);
        continue;
      }
    }
    const used = scanner.scan(chunk, false, from);
    carry = used < chunk.length ? Buffer.from(chunk.subarray(used)) : undefined;
  }
  if (!carry) return { records: scanner.records, atRecordBoundary: true };
  if (!options.last) return { records: scanner.records, atRecordBoundary: false };
  scanner.scan(carry, true);
  return { records: scanner.records, atRecordBoundary: true };
}

class ColumnScanner {
  records = 0;
  // Next LF / CR / quote / delimiter at or after the scan position (n when none), searched again
  // only once passed: each byte is looked at a bounded number of times.
  #nextLF = -1;
  #nextCR = -1;
  #nextQuote = -1;
  #nextDelimiter = -1;

  constructor(private readonly options: ColumnScanOptions, private readonly onCell: (text: string | undefined) => void) {}

  /**
   * Reads the whole records of `buf` from `from` (with `final`, the last one may end at the end of
   * `buf`); returns where the first unfinished record starts (buf.length when none).
   */
  scan(buf: Buffer, final: boolean, from = 0): number {
    const { delimiter, column } = this.options;
    const n = buf.length;
    this.#nextLF = this.#nextCR = this.#nextQuote = this.#nextDelimiter = -1;
    let pos = from;
    while (pos < n) {
      const c = buf[pos]!;
      if (c === LF || c === CR) {
        pos++; // an empty line (or the LF of a CRLF): no record
        continue;
      }
      if (this.#nextLF < pos) this.#nextLF = nextIndex(buf, LF, pos);
      if (this.#nextCR < pos) this.#nextCR = nextIndex(buf, CR, pos);
      if (this.#nextQuote < pos) this.#nextQuote = nextIndex(buf, QUOTE, pos);
      const lineEnd = this.#nextLF < this.#nextCR ? this.#nextLF : this.#nextCR;
      if (lineEnd < n && this.#nextQuote > lineEnd) {
        // No quote before the line break: the record is the line, its cells between delimiters.
        let start = pos;
        for (let k = 0; k < column && start <= lineEnd; k++) start = this.#delimiterAt(buf, start, lineEnd) + 1;
        this.onCell(start <= lineEnd ? text(buf, start, this.#delimiterAt(buf, start, lineEnd)) : undefined);
        this.records++;
        pos = lineEnd + 1;
        continue;
      }
      const end = this.#quotedRecord(buf, pos, final);
      if (end < 0) return pos; // unfinished: wait for more bytes
      pos = end;
    }
    return n;
  }

  /** The next delimiter at or after `from`, or `limit` when there is none before it. */
  #delimiterAt(buf: Buffer, from: number, limit: number): number {
    if (this.#nextDelimiter < from) this.#nextDelimiter = nextIndex(buf, this.options.delimiter, from);
    return this.#nextDelimiter < limit ? this.#nextDelimiter : limit;
  }

  /** The end of an unquoted stretch: the next delimiter, LF or CR at or after `from` (n when none). */
  #fieldEnd(buf: Buffer, from: number): number {
    if (this.#nextLF < from) this.#nextLF = nextIndex(buf, LF, from);
    if (this.#nextCR < from) this.#nextCR = nextIndex(buf, CR, from);
    const lineEnd = this.#nextLF < this.#nextCR ? this.#nextLF : this.#nextCR;
    return this.#delimiterAt(buf, from, lineEnd);
  }

  /**
   * A record that holds a quote, read field by field from `start`: calls onCell and returns the
   * index after its line break (or n at the end of the final text); -1 when it does not end in `buf`.
   */
  #quotedRecord(buf: Buffer, start: number, final: boolean): number {
    const { delimiter, column } = this.options;
    const n = buf.length;
    let pos = start;
    let cell: string | undefined;
    for (let k = 0; ; k++) {
      if (k > column) {
        // Past the wanted cell: once no quote is left before the line break, the record ends there.
        if (this.#nextLF < pos) this.#nextLF = nextIndex(buf, LF, pos);
        if (this.#nextCR < pos) this.#nextCR = nextIndex(buf, CR, pos);
        if (this.#nextQuote < pos) this.#nextQuote = nextIndex(buf, QUOTE, pos);
        const lineEnd = this.#nextLF < this.#nextCR ? this.#nextLF : this.#nextCR;
        if (lineEnd < n && this.#nextQuote > lineEnd) {
          this.onCell(cell);
          this.records++;
          return lineEnd + 1;
        }
      }
      let value: string | undefined;
      if (pos < n && buf[pos] === QUOTE) {
        // Quoted: to the quote not followed by another (`""` is an escaped quote).
        let q = nextIndex(buf, QUOTE, pos + 1);
        let doubled = false;
        for (;;) {
          if (q === n || (q === n - 1 && !final)) break;
          if (q === n - 1 || buf[q + 1] !== QUOTE) break;
          doubled = true;
          q = nextIndex(buf, QUOTE, q + 2);
        }
        if (q === n || (q === n - 1 && !final)) {
          if (final) throw new TapeReadError('TAPE_MALFORMED', 'a quoted field is never closed');
          return -1;
        }
        const tailEnd = this.#fieldEnd(buf, q + 1);
        if (tailEnd === n && !final) return -1;
        if (k === column) {
          value = text(buf, pos + 1, q);
          if (doubled) value = value.replaceAll('""', '"');
          if (tailEnd > q + 1) value += text(buf, q + 1, tailEnd);
        }
        pos = tailEnd;
      } else {
        const end = this.#fieldEnd(buf, pos);
        if (end === n && !final) return -1;
        if (k === column) value = text(buf, pos, end);
        pos = end;
      }
      if (k === column) cell = value;
      if (pos < n && buf[pos] === delimiter) {
        pos++;
        continue;
      }
      // a line break, or the end of the final text: the record is complete
      this.onCell(cell);
      this.records++;
      return pos < n ? pos + 1 : n;
    }
  }
}

/** The UTF-8 text of buf[start, end). */
function text(buf: Buffer, start: number, end: number): string {
  let ascii = true;
  for (let i = start; i < end; i++) {
    if (buf[i]! >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return buf.toString('latin1', start, end);
  try {
    return utf8.decode(buf.subarray(start, end));
  } catch {
    throw new TapeReadError('TAPE_ENCODING', 'a cell is not valid UTF-8');
  }
}
