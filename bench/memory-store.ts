/** An in-memory tape store and results table for benches that run the pipeline's steps in-process. */
import { once } from 'node:events';
import { Readable } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';
import { splitLines } from '../functions/aws/s3-tape-store.ts';
import { TapeObjectError } from '../functions/core/errors.ts';
import type { DealTapeView, ObjectWriter, ResultsPort, TapeStore, WriterOptions } from '../functions/pipeline/ports.ts';

/** Objects in memory; writers gzip through zlib like the S3 store does. */
export class MemoryStore implements TapeStore {
  readonly bucket = 'bench';
  readonly objects = new Map<string, Buffer>();
  async open(o: { key: string }) {
    const body = this.objects.get(o.key)!;
    return (async function* () {
      for (let i = 0; i < body.length; i += 1 << 20) yield body.subarray(i, i + (1 << 20));
    })();
  }
  createWriter(key: string, options: WriterOptions): ObjectWriter {
    // Same shape as S3TapeStore's writer: lines batched to ~256 KiB, gzip level 1 off the main thread.
    const chunks: Buffer[] = [];
    const gzip = options.gzip ? createGzip({ level: 1, chunkSize: 256 << 10 }) : undefined;
    gzip?.on('data', (c: Buffer) => chunks.push(c));
    let bytes = 0;
    let pending: string[] = [];
    let pendingChars = 0;
    const flush = () => {
      if (pending.length === 0) return;
      const text = pending.join('');
      if (gzip) gzip.write(text); else chunks.push(Buffer.from(text));
      pending = [];
      pendingChars = 0;
    };
    return {
      key,
      get needsDrain() { return gzip?.writableNeedDrain ?? false; },
      write: (t: string) => {
        bytes += t.length;
        pending.push(t);
        pendingChars += t.length;
        if (pendingChars >= 256 * 1024) flush();
      },
      writeBytes: (b: Uint8Array) => {
        flush();
        bytes += b.length;
        if (gzip) gzip.write(b); else chunks.push(Buffer.from(b));
      },
      ready: () => new Promise<void>((r) => (gzip?.writableNeedDrain ? gzip.once('drain', () => r()) : r())),
      end: async () => {
        flush();
        if (gzip) {
          const ended = once(gzip, 'end');
          gzip.end();
          await ended;
        }
        this.objects.set(key, Buffer.concat(chunks));
        return { bytes };
      },
      abort: async () => {},
    };
  }
  async putJson(key: string, v: unknown) { this.objects.set(key, Buffer.from(JSON.stringify(v))); }
  async getJson<T>(key: string) {
    const bytes = this.objects.get(key);
    if (!bytes) throw new TapeObjectError('OBJECT_NOT_FOUND', `${key}: no such object`); // as the S3 store says it (a deal without its own criteria)
    return JSON.parse(bytes.toString()) as T;
  }
  async *readLines(key: string, o: { gzip?: boolean } = {}) {
    const s = Readable.from([this.objects.get(key)!]);
    yield* splitLines((o.gzip ? s.pipe(createGunzip()) : s) as AsyncIterable<Uint8Array>);
  }
  async readRange(key: string, start: number, end: number) { return this.objects.get(key)!.subarray(start, end); }
  async deleteObjects(keys: readonly string[]) { for (const k of keys) this.objects.delete(k); return keys.length; }
  async copyObject(from: string, to: string) { this.objects.set(to, this.objects.get(from)!); }
}

/** A results table that accepts every write; `setScored` sets the deal's scored tapes it lists (a prior tape). */
export function benchResults(): { results: ResultsPort; setScored: (tapes: DealTapeView[]) => void } {
  let scored: DealTapeView[] = [];
  const results: ResultsPort = {
    receiveTape: async () => ({ outcome: 'claimed', status: 'RECEIVED' }),
    setStatus: async () => {},
    dealKind: async () => undefined,
    declareDealKind: async (_t, kind, tapeId) => ({ kind, tapeId }),
    claimContent: async (_t, _s, tapeId) => ({ ownerTapeId: tapeId }),
    markDuplicate: async () => {},
    failDuplicatesOf: async () => [],
    publishScored: async () => true,
    eventPublished: async () => {},
    pendingEvents: async () => [],
    recordDealTape: async () => {},
    listTapesByDeal: async () => ({ items: scored }),
    markFailed: async () => 'failed',
  };
  return { results, setScored: (tapes) => { scored = tapes; } };
}
