/**
 * Wraps a byte source to hash (SHA-256) and count what passes, and to peek at the first bytes for
 * format detection, without reading anything twice.
 */
import { createHash } from 'node:crypto';
import type { ByteSource } from './types.ts';

/** A source that reports bytes read and, once drained, the SHA-256 of everything it passed on. */
export class MeteredSource implements ByteSource {
  readonly #hash = createHash('sha256');
  #iterator: AsyncIterator<Uint8Array>;
  #first: Uint8Array | undefined;
  #started = false;
  bytesRead = 0;

  constructor(source: ByteSource, private readonly onBytes?: (bytesRead: number) => void) {
    this.#iterator = source[Symbol.asyncIterator]();
  }

  /** The first chunk (up to its natural size), without consuming it. */
  async head(): Promise<Uint8Array> {
    if (this.#first === undefined && !this.#started) {
      const r = await this.#iterator.next();
      this.#first = r.done ? new Uint8Array(0) : r.value;
    }
    return this.#first ?? new Uint8Array(0);
  }

  /** Hex SHA-256 of the bytes read so far (call after draining). */
  sha256(): string {
    return this.#hash.digest('hex');
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array> {
    this.#started = true;
    if (this.#first !== undefined) {
      const first = this.#first;
      this.#first = undefined;
      if (first.length > 0) yield this.#pass(first);
    }
    for (;;) {
      const r = await this.#iterator.next();
      if (r.done) return;
      yield this.#pass(r.value);
    }
  }

  #pass(chunk: Uint8Array): Uint8Array {
    this.#hash.update(chunk);
    this.bytesRead += chunk.length;
    this.onBytes?.(this.bytesRead);
    return chunk;
  }
}
