/**
 * Streaming text decoding shared by the text readers: BOM sniffing (UTF-8, UTF-16 LE/BE) and
 * fatal UTF-8 decoding across chunk boundaries. Invalid bytes become a TapeReadError, never U+FFFD.
 */
import { Buffer, isAscii } from 'node:buffer';
import { TapeReadError } from '../errors.ts';
import type { ByteSource } from './types.ts';

/**
 * Decodes `source` to text chunks. `where()` names the position for an encoding error (e.g. "row 42").
 * @example for await (const text of decodeText(source, () => `line ${n}`)) ...
 */
export async function* decodeText(source: ByteSource, where: () => string, encoding?: 'utf-8'): AsyncGenerator<string> {
  // `encoding` given: the bytes are a range inside a file, no BOM is looked for.
  let decoder: InstanceType<typeof TextDecoder> | undefined = encoding ? new TextDecoder(encoding, { fatal: true, ignoreBOM: true }) : undefined;
  let pending: Uint8Array | undefined;
  for await (const chunk of source) {
    let bytes = chunk;
    if (!decoder) {
      bytes = pending ? concat(pending, chunk) : chunk;
      if (bytes.length < 3) { pending = bytes; continue; }
      pending = undefined;
      let encoding = 'utf-8';
      if (bytes[0] === 0xff && bytes[1] === 0xfe) encoding = 'utf-16le';
      else if (bytes[0] === 0xfe && bytes[1] === 0xff) encoding = 'utf-16be';
      decoder = new TextDecoder(encoding, { fatal: true, ignoreBOM: false });
    }
    yield decodeChunk(decoder, bytes, true, where);
  }
  if (!decoder && pending) {
    decoder = new TextDecoder('utf-8', { fatal: true });
    yield decodeChunk(decoder, pending, true, where);
  }
  if (decoder) yield decodeChunk(decoder, new Uint8Array(0), false, where);
}

function decodeChunk(decoder: InstanceType<typeof TextDecoder>, bytes: Uint8Array, stream: boolean, where: () => string): string {
  try {
    // Pure ASCII after a complete character is the same text in Latin-1, which Node decodes several
    // times faster than a fatal TextDecoder (csv-reader.ts does the same).
    const holding = pendingBytes.has(decoder);
    if (decoder.encoding === 'utf-8' && !holding && isAscii(bytes)) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
    if (stream && endsInsideSequence(bytes)) pendingBytes.add(decoder);
    else if (holding) pendingBytes.delete(decoder);
    return decoder.decode(bytes, { stream });
  } catch (cause) {
    throw new TapeReadError('TAPE_ENCODING',
      `${where()}: the bytes are not valid ${decoder.encoding.toUpperCase()}; save the file as UTF-8 (e.g. "CSV UTF-8" in Excel)`, { cause });
  }
}

/** Decoders that hold the first bytes of a character (the last chunk ended inside one). */
const pendingBytes = new WeakSet<InstanceType<typeof TextDecoder>>();

/** True if the last bytes start a multi-byte UTF-8 sequence that the chunk does not finish. */
export function endsInsideSequence(bytes: Uint8Array): boolean {
  for (let back = 1; back <= 3 && back <= bytes.length; back++) {
    const b = bytes[bytes.length - back]!;
    if (b < 0x80) return false;
    if (b >= 0xc0) return back < (b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2);
  }
  return bytes.length > 0 && bytes[bytes.length - 1]! >= 0x80;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/**
 * `text` as a string of its own. A cell is a slice of the decoded piece of the tape it came from,
 * and V8 keeps a slice's (and a concatenation's) whole parent alive: anything kept past its row —
 * group names, the date cache, findings — is copied. Short strings are copies already.
 */
export function detached(text: string): string {
  return text.length < 13 ? text : (' ' + text).slice(1);
}
