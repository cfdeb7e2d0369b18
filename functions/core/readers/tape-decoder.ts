/**
 * Bytes of a text tape → text, chosen by BOM (UTF-8 by default), knowing exactly which bytes are
 * invalid so the error can name the row. Used by the CSV reader.
 */
import { Buffer, isAscii } from 'node:buffer';
import { TapeReadError } from '../errors.ts';
import type { CsvParser } from './csv-parser.ts';

type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be';
export const EMPTY = new Uint8Array(0);

/** Raised inside the decoder; turned into a TapeReadError once the row is known. */
export class InvalidBytes extends Error {
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

export function encodingError(error: InvalidBytes, parser: CsvParser | undefined): TapeReadError {
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
export class TapeDecoder {
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

