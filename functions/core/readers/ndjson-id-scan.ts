/**
 * The loanId pre-pass over an NDJSON range, on its bytes (check-range.ts): a key's string value read
 * with `Buffer#indexOf` on the undecoded line where that is certainly what JSON.parse would give,
 * so that such a line is never decoded. The conditions: no backslash and no `[` in the line, `{`
 * first and nowhere else, the quoted key after `{` or `,`, with a string value free of control
 * characters (the same rule on decoded text, `test/support/quick-ndjson-value.ts`, is the oracle it
 * is tested against) — but not that the key comes only once: a line with the key twice is read as
 * its first value, where JSON.parse keeps the last (searching the rest of every line for it cost
 * more than the rest of the pre-pass). A line it cannot read (or read before any loanId key is
 * known, or starting with a byte-order mark) is decoded and handed over as the reader's trimmed
 * text (ndjson-reader.ts readNdjsonTexts), for the caller to parse. Blank lines are skipped. The
 * pre-pass is a guess its caller checks (check-tape-parallel.ts), so a line this reads differently
 * from the full pass costs a second read, never a wrong report. Pure.
 */
import { TapeReadError } from '../errors.ts';
import { asBuffer, nextIndex } from './byte-search.ts';
import type { ByteSource } from './types.ts';

const LF = 10;
const BACKSLASH = 0x5c;
const BRACKET = 0x5b;
const BRACE = 0x7b;
const QUOTE = 0x22;
/** A line still unfinished after this many bytes ends the pre-pass (the full pass applies the real limit). */
const MAX_LINE_BYTES = 16 << 20;

export interface NdjsonIdSink {
  /** The keys known to map to loanId, in the order to try them (may grow as lines are parsed). */
  keys(): readonly string[];
  /** Line `row` holds `key` with the string `value`, read without parsing. */
  quick(row: number, key: string, value: string): void;
  /** Line `row` (trimmed, not blank, no byte-order mark) could not be read quickly: parse it. */
  line(row: number, text: string): void;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads the range's lines (numbered from 1 at its start); resolves with the number of lines.
 * @example const lines = await scanNdjsonIds(source, { keys: () => ['loanId'], quick: (row, key, id) => …, line: (row, text) => … });
 */
export async function scanNdjsonIds(source: ByteSource, sink: NdjsonIdSink): Promise<number> {
  const scanner = new IdScanner(sink);
  let carry: Buffer | undefined;
  for await (const bytes of source) {
    const chunk = asBuffer(bytes);
    let from = 0;
    if (carry) {
      // The line begun in the last chunk, completed with this one's bytes up to its first line break.
      const lf = chunk.indexOf(LF);
      if (lf < 0) {
        carry = Buffer.concat([carry, chunk]);
        if (carry.length > MAX_LINE_BYTES) throw new TapeReadError('TAPE_LIMIT_EXCEEDED', `a line of more than ${MAX_LINE_BYTES} bytes`);
        continue;
      }
      scanner.scan(Buffer.concat([carry, chunk.subarray(0, lf + 1)]), 0);
      carry = undefined;
      from = lf + 1;
    }
    const used = scanner.scan(chunk, from);
    carry = used < chunk.length ? Buffer.from(chunk.subarray(used)) : undefined;
  }
  if (carry) scanner.line(carry, 0, carry.length);
  return scanner.lines;
}

class IdScanner {
  lines = 0;
  // Next backslash / `[` / `{` at or after a position of the current buffer (its length when none).
  #nextBackslash = -1;
  #nextBracket = -1;
  #nextBrace = -1;
  /** Per key: its quoted form's bytes, and its next occurrence at or after the line being read. */
  readonly #needles = new Map<string, { bytes: Buffer; next: number }>();
  #buf: Buffer = Buffer.alloc(0);

  constructor(private readonly sink: NdjsonIdSink) {}

  /** Reads the whole lines of buf from `from`; returns where the unfinished last line starts. */
  scan(buf: Buffer, from: number): number {
    this.#reset(buf);
    let pos = from;
    for (;;) {
      const lf = buf.indexOf(LF, pos);
      if (lf < 0) return pos;
      this.line(buf, pos, lf);
      pos = lf + 1;
    }
  }

  /** One line, buf[start, end) (without its LF). */
  line(buf: Buffer, start: number, end: number): void {
    if (buf !== this.#buf) this.#reset(buf);
    const row = ++this.lines;
    let first = start;
    while (first < end && isSpace(buf[first]!)) first++;
    if (first === end) return; // blank
    if (buf[first] === BRACE) {
      for (const key of this.sink.keys()) {
        const value = this.#value(buf, first, end, key);
        if (value !== undefined) {
          this.sink.quick(row, key, value);
          return;
        }
      }
    }
    let last = end;
    while (last > first && isSpace(buf[last - 1]!)) last--;
    const text = decode(buf, first, last);
    if (text !== '') this.sink.line(row, text); // (trim() also drops a byte-order mark, as readNdjsonTexts does)
  }

  #reset(buf: Buffer): void {
    this.#buf = buf;
    this.#nextBackslash = this.#nextBracket = this.#nextBrace = -1;
    for (const needle of this.#needles.values()) needle.next = -1;
  }

  /** The value of `key` on buf[first, end) (`{` at `first`) under the conditions above, or undefined. */
  #value(buf: Buffer, first: number, end: number, key: string): string | undefined {
    if (this.#nextBackslash < first) this.#nextBackslash = nextIndex(buf, BACKSLASH, first);
    if (this.#nextBackslash < end) return undefined;
    if (this.#nextBracket < first) this.#nextBracket = nextIndex(buf, BRACKET, first);
    if (this.#nextBracket < end) return undefined;
    if (this.#nextBrace <= first) this.#nextBrace = nextIndex(buf, BRACE, first + 1);
    if (this.#nextBrace < end) return undefined;
    let needle = this.#needles.get(key);
    if (!needle) this.#needles.set(key, (needle = { bytes: Buffer.from(`"${key}"`, 'utf8'), next: -1 }));
    const quoted = needle.bytes;
    if (needle.next < first) needle.next = nextIndex(buf, quoted, first);
    const at = needle.next;
    if (at >= end) return undefined;
    // (Not checked: that the key does not come again later in the line; see the module comment.)
    let before = at - 1;
    while (before > first && isJsonSpace(buf[before]!)) before--;
    if (buf[before] !== BRACE && buf[before] !== 0x2c /* , */) return undefined;
    let i = at + quoted.length;
    while (i < end && isJsonSpace(buf[i]!)) i++;
    if (buf[i] !== 0x3a /* : */) return undefined;
    i++;
    while (i < end && isJsonSpace(buf[i]!)) i++;
    if (buf[i] !== QUOTE) return undefined;
    const close = buf.indexOf(QUOTE, i + 1);
    if (close < 0 || close >= end) return undefined;
    let ascii = true;
    for (let k = i + 1; k < close; k++) {
      const c = buf[k]!;
      if (c < 0x20) return undefined; // JSON.parse rejects a raw control character
      if (c >= 0x80) ascii = false;
    }
    if (ascii) return buf.toString('latin1', i + 1, close);
    try {
      return utf8.decode(buf.subarray(i + 1, close));
    } catch {
      return undefined; // invalid UTF-8: the line is decoded (and refused) as the reader does
    }
  }
}

/** What String.prototype.trim removes among ASCII (the reader trims lines). */
function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

/** JSON whitespace (between tokens). */
function isJsonSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

function decode(buf: Buffer, start: number, end: number): string {
  try {
    return utf8.decode(buf.subarray(start, end)).trim();
  } catch {
    throw new TapeReadError('TAPE_ENCODING', 'a line is not valid UTF-8');
  }
}
