/**
 * Streaming text decoding shared by the text readers: BOM sniffing (UTF-8, UTF-16 LE/BE) and
 * fatal UTF-8 decoding across chunk boundaries. Invalid bytes become a TapeReadError, never U+FFFD.
 */
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
    return decoder.decode(bytes, { stream });
  } catch (cause) {
    throw new TapeReadError('TAPE_ENCODING',
      `${where()}: the bytes are not valid ${decoder.encoding.toUpperCase()}; save the file as UTF-8 (e.g. "CSV UTF-8" in Excel)`, { cause });
  }
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
