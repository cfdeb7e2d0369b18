/**
 * Searching undecoded tape bytes (the loanId pre-passes: csv-column-scan.ts, ndjson-id-scan.ts):
 * through `Buffer#indexOf`, a native memchr, much faster than `Uint8Array#indexOf` here.
 */

/** A Buffer view of the bytes (no copy). */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}

/** The first index of `needle` (a byte, or bytes) at or after `from`; buf.length when there is none. */
export function nextIndex(buf: Buffer, needle: number | Buffer, from: number): number {
  const at = from < buf.length ? buf.indexOf(needle, from) : -1;
  return at < 0 ? buf.length : at;
}
