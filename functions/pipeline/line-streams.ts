/** Bytes of stored text objects as lines, gunzipped when asked: for any store adapter and the API. */
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** Splits UTF-8 bytes into lines (LF or CRLF), skipping blank ones. */
export async function* splitLines(source: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  for await (const lines of splitLineBatches(source)) yield* lines;
}

/** As splitLines, the lines of each chunk read given together (no empty batches). */
export async function* splitLineBatches(source: AsyncIterable<Uint8Array>): AsyncGenerator<string[]> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let rest = '';
  for await (const chunk of source) {
    const text = rest + decoder.decode(chunk, { stream: true });
    const lines = text.split('\n');
    rest = lines.pop() ?? '';
    const out: string[] = [];
    for (const line of lines) {
      const l = line.endsWith('\r') ? line.slice(0, -1) : line;
      if (l.length > 0) out.push(l);
    }
    if (out.length > 0) yield out;
  }
  const last = (rest + decoder.decode()).replace(/\r$/, '');
  if (last.length > 0) yield [last];
}

/** The gunzipped bytes of a byte source (chunks of 256 KiB). */
export function gunzipped(source: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  const gunzip = createGunzip({ chunkSize: 256 << 10 });
  const input = Readable.from(source);
  input.on('error', (e) => gunzip.destroy(e));
  return input.pipe(gunzip);
}
