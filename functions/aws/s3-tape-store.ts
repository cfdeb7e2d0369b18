/**
 * The TapeStore port over S3: streams one object version into the core readers (GetObject body,
 * re-chunked to 1 MiB) and streams artifacts out through multipart uploads (@aws-sdk/lib-storage),
 * with backpressure so memory stays bounded whatever the tape's size. No domain logic.
 */
import { once } from 'node:events';
import { PassThrough, Readable, type Writable } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';
import { CopyObjectCommand, DeleteObjectCommand, GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { TapeObjectError } from '../core/errors.ts';
import type { ByteSource } from '../core/readers/types.ts';
import type { ObjectWriter, TapeStore, WriterOptions } from '../pipeline/ports.ts';
import type { TapeObject } from '../pipeline/state.ts';

export interface S3TapeStoreOptions {
  readonly client: S3Client;
  readonly bucket: string;
  /** Chunk size handed to the readers (default 1 MiB: faster than 64 KiB: bench/README.md). */
  readonly readChunkBytes?: number;
  /** Multipart part size (default 8 MiB; S3's minimum is 5 MiB, at most 10,000 parts: 80 GB). */
  readonly partSizeBytes?: number;
  /** Parts uploaded concurrently per writer (default 4). Memory per writer ≈ partSize × (queueSize + 1). */
  readonly queueSize?: number;
}

/**
 * @example
 * const store = new S3TapeStore({ client: clients.s3, bucket: 'dmbs-tapes' });
 * const source = await store.open({ key: 'incoming/acme/deal-1/tape.csv', versionId });
 */
export class S3TapeStore implements TapeStore {
  readonly bucket: string;
  readonly #client: S3Client;
  readonly #chunk: number;
  readonly #partSize: number;
  readonly #queueSize: number;

  constructor(options: S3TapeStoreOptions) {
    this.#client = options.client;
    this.bucket = options.bucket;
    this.#chunk = options.readChunkBytes ?? 1 << 20;
    this.#partSize = options.partSizeBytes ?? 8 << 20;
    this.#queueSize = options.queueSize ?? 4;
  }

  async open(object: Pick<TapeObject, 'key' | 'versionId' | 'eTag'>): Promise<ByteSource> {
    const body = await this.#get(object.key, {
      ...(object.versionId ? { VersionId: object.versionId } : {}),
      // Without a version id, make sure the bytes are the ones the notification announced.
      ...(!object.versionId && object.eTag ? { IfMatch: `"${object.eTag}"` } : {}),
    });
    return coalesce(body, this.#chunk);
  }

  createWriter(key: string, options: WriterOptions): ObjectWriter {
    return new MultipartWriter(this.#client, this.bucket, key, options, this.#partSize, this.#queueSize);
  }

  async putJson(key: string, value: unknown): Promise<void> {
    await this.#client.send(new PutObjectCommand({
      Bucket: this.bucket, Key: key, Body: JSON.stringify(value), ContentType: 'application/json',
    }));
  }

  async getJson<T>(key: string): Promise<T> {
    const body = await this.#get(key, {});
    const chunks: Buffer[] = [];
    for await (const c of body) chunks.push(Buffer.from(c as Uint8Array));
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as T;
  }

  async *readLines(key: string, options: { gzip?: boolean } = {}): AsyncIterable<string> {
    const body = await this.#get(key, {});
    const stream: Readable = options.gzip ? body.pipe(createGunzip()) : body;
    if (options.gzip) body.on('error', (e) => stream.destroy(e));
    yield* splitLines(stream as AsyncIterable<Uint8Array>);
  }

  async readRange(key: string, start: number, end: number): Promise<Uint8Array> {
    if (end <= start) return new Uint8Array(0);
    const body = await this.#get(key, { Range: `bytes=${start}-${end - 1}` });
    const chunks: Buffer[] = [];
    for await (const c of body) chunks.push(Buffer.from(c as Uint8Array));
    const bytes = Buffer.concat(chunks);
    // An emulator that ignores Range answers the whole object: cut the range out of it.
    return bytes.length > end - start ? bytes.subarray(start, end) : bytes;
  }

  async deleteObjects(keys: readonly string[]): Promise<number> {
    // One DeleteObject per key: a tape has a handful of artifacts, and this needs no
    // s3:ListBucket and no multi-object delete (whose checksum rules differ between emulators).
    await Promise.all(keys.map((Key) => this.#client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key }))));
    return keys.length;
  }

  async copyObject(from: string, to: string): Promise<void> {
    // Keys are path-safe ([A-Za-z0-9._=/-]); encoded all the same, as the copy source header requires.
    await this.#client.send(new CopyObjectCommand({ Bucket: this.bucket, Key: to, CopySource: `${this.bucket}/${from.split('/').map(encodeURIComponent).join('/')}` }));
  }

  async #get(key: string, extra: { VersionId?: string; IfMatch?: string; Range?: string }): Promise<Readable> {
    try {
      const out = await this.#client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key, ...extra }));
      if (!out.Body) throw new TapeObjectError('OBJECT_NOT_FOUND', `s3://${this.bucket}/${key} has no body`);
      // Some emulators (s3rver) ignore If-Match: compare the answer's ETag as well.
      if (extra.IfMatch && out.ETag && out.ETag !== extra.IfMatch) {
        (out.Body as Readable).destroy();
        throw Object.assign(new Error('ETag differs'), { name: 'PreconditionFailed' });
      }
      return out.Body as Readable;
    } catch (e) {
      const name = (e as { name?: string }).name;
      const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (name === 'NoSuchKey' || name === 'NoSuchVersion' || name === 'NotFound' || status === 404) {
        throw new TapeObjectError('OBJECT_NOT_FOUND', `the file ${key}${extra.VersionId ? ` (version ${extra.VersionId})` : ''} was deleted before it could be read; upload it again`, { cause: e });
      }
      if (name === 'PreconditionFailed' || status === 412) {
        throw new TapeObjectError('OBJECT_NOT_FOUND', `the file ${key} was replaced before it could be read; the newer upload is processed on its own`, { cause: e });
      }
      throw e;
    }
  }
}

const BATCH_CHARS = 256 * 1024;

/** A multipart upload fed by synchronous writes; `ready()` reports backpressure from the upload. */
class MultipartWriter implements ObjectWriter {
  readonly key: string;
  readonly #head: Writable;
  readonly #upload: Upload;
  readonly #done: Promise<unknown>;
  #failure: unknown;
  #bytes = 0;
  #pending: string[] = [];
  #pendingChars = 0;

  constructor(client: S3Client, bucket: string, key: string, options: WriterOptions, partSize: number, queueSize: number) {
    this.key = key;
    const body = new PassThrough({ highWaterMark: 1 << 20 });
    if (options.gzip) {
      // Level 1: ≈ 4-6× smaller NDJSON at a fraction of level 6's CPU; zlib runs off the main thread.
      const gzip = createGzip({ level: 1, chunkSize: 256 << 10 });
      gzip.pipe(body);
      gzip.on('error', (e) => body.destroy(e));
      this.#head = gzip;
    } else {
      this.#head = body;
    }
    this.#upload = new Upload({
      client,
      params: { Bucket: bucket, Key: key, Body: body, ContentType: options.contentType },
      partSize,
      queueSize,
      leavePartsOnError: false,
    });
    this.#done = this.#upload.done();
    this.#done.catch((e: unknown) => {
      this.#failure ??= e;
      this.#head.destroy();
    });
  }

  get needsDrain(): boolean {
    return this.#head.writableNeedDrain;
  }

  write(text: string): void {
    if (this.#failure) throw this.#failure;
    this.#bytes += Buffer.byteLength(text);
    // Lines are batched: one zlib/stream write per ~256 KiB instead of one per line (measured
    // ≈ 3× less CPU for NDJSON of 1 KiB lines; bench/pipeline-steps.ts).
    this.#pending.push(text);
    this.#pendingChars += text.length;
    if (this.#pendingChars >= BATCH_CHARS) this.#flush();
  }

  writeBytes(bytes: Uint8Array): void {
    if (this.#failure) throw this.#failure;
    this.#flush();
    this.#bytes += bytes.length;
    this.#head.write(bytes);
  }

  async ready(): Promise<void> {
    if (this.#failure) throw this.#failure;
    if (!this.#head.writableNeedDrain) return;
    await Promise.race([once(this.#head, 'drain'), this.#done.then(() => undefined)]);
    if (this.#failure) throw this.#failure;
  }

  async end(): Promise<{ bytes: number }> {
    if (this.#failure) throw this.#failure;
    this.#flush();
    this.#head.end();
    await this.#done;
    return { bytes: this.#bytes };
  }

  #flush(): void {
    if (this.#pending.length === 0) return;
    this.#head.write(this.#pending.length === 1 ? this.#pending[0]! : this.#pending.join(''));
    this.#pending = [];
    this.#pendingChars = 0;
  }

  async abort(): Promise<void> {
    this.#failure ??= new Error(`upload of ${this.key} aborted`);
    try {
      await this.#upload.abort();
    } catch {
      // nothing was started, or it is already gone
    }
    this.#head.destroy();
  }
}

/** Re-chunks a byte stream into chunks of at least `size` bytes (the last may be shorter). */
export async function* coalesce(source: AsyncIterable<Uint8Array>, size: number): AsyncGenerator<Uint8Array> {
  let parts: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of source) {
    if (chunk.length >= size && length === 0) {
      yield chunk;
      continue;
    }
    parts.push(chunk);
    length += chunk.length;
    if (length >= size) {
      yield Buffer.concat(parts, length);
      parts = [];
      length = 0;
    }
  }
  if (length > 0) yield parts.length === 1 ? parts[0]! : Buffer.concat(parts, length);
}

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
