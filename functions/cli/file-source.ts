/**
 * Local files as byte sources for the core readers: 1 MiB reads (fewer system calls than the
 * 64 KiB default), and the usual file-system failures turned into one clear sentence.
 */
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { ByteSource } from '../core/readers/types.ts';
import { UsageError } from './usage-error.ts';

export const READ_CHUNK_BYTES = 1 << 20;

/** Checks that `path` is a readable regular file; returns its size. */
export async function statTapeFile(path: string): Promise<number> {
  try {
    const s = await stat(path);
    if (s.isDirectory()) throw new UsageError(`${path}: is a directory, not a tape file`);
    if (!s.isFile()) throw new UsageError(`${path}: is not a regular file`);
    return s.size;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(`${path}: no such file`);
    if (code === 'EACCES') throw new UsageError(`${path}: permission denied`);
    throw new UsageError(`${path}: cannot be read (${code ?? (e as Error).message})`);
  }
}

/** The file's bytes in 1 MiB chunks. */
export function fileSource(path: string): ByteSource {
  return createReadStream(path, { highWaterMark: READ_CHUNK_BYTES }) as AsyncIterable<Uint8Array>;
}

/**
 * Bytes `[start, end)` of a file in 1 MiB chunks read into two buffers used in turn, for the CSV and
 * NDJSON range readers, which copy whatever they keep of a chunk (a record or a character cut at its
 * end): a chunk stays valid until the one after the next is asked for. A fresh 1 MiB buffer per read
 * (createReadStream) costs more than the read itself in page faults and GC, and the tape is read
 * three times (pre-pass, hash, ranges).
 */
export async function* fileRangeSource(path: string, start: number, end: number, buffers = 2): AsyncGenerator<Uint8Array> {
  if (end <= start) return;
  const file = await open(path, 'r');
  try {
    // (`buffers` 1: a chunk is overwritten by the next one — the tests' stricter case)
    const pool = Array.from({ length: buffers }, () => Buffer.allocUnsafeSlow(READ_CHUNK_BYTES));
    let position = start;
    for (let k = 0; position < end; k = (k + 1) % buffers) {
      const buffer = pool[k]!;
      const { bytesRead } = await file.read(buffer, 0, Math.min(READ_CHUNK_BYTES, end - position), position);
      if (bytesRead === 0) return; // the file shrank: the readers see where it ends
      position += bytesRead;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await file.close();
  }
}
