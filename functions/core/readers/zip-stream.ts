/**
 * Streaming ZIP reader for the XLSX tape reader: walks local file headers in file order and hands out
 * each entry's bytes incrementally. Must not touch files or the network, nor inflate anything except
 * through `inflateEntry`, which enforces the size and compression-ratio limits (zip bombs).
 */
import { createInflateRaw, type InflateRaw } from 'node:zlib';
import { TapeReadError } from '../errors.ts';

/*
 * Inflation uses node:zlib (a compute-only built-in): it inflates on the libuv thread pool, beside
 * the thread that scans the XML, several times faster than fflate's pure-JS Inflate would on the
 * scanning thread itself (bench/README.md, "XLSX").
 */

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_END = 0x06054b50;
const SIG_END64 = 0x06064b50;
const SIG_DESCRIPTOR = 0x08074b50;
/** Bytes held back while looking for the end of an entry that has a data descriptor (24 + 4). */
const DESCRIPTOR_LOOKBEHIND = 28;
/** Compressed bytes handed to the inflater at a time: bounds how far a zip bomb gets before it is caught. */
const SLICE_BYTES = 64 * 1024;
/** Entries smaller than this (inflated) are exempt from the ratio check: tiny parts compress oddly. */
const RATIO_EXEMPT_BYTES = 1 << 20;
/** The end-of-central-directory record (22 bytes) plus the largest ZIP comment (65,535 bytes). */
const END_RECORD_WINDOW = 22 + 65535;

/** One ZIP entry as its local file header describes it. */
export interface ZipEntry {
  /** Name as stored (forward slashes, no leading slash in a well-formed archive). */
  name: string;
  /** 0 = stored, 8 = deflate; anything else is rejected when the entry is read. */
  method: number;
  /** Size of the stored bytes, or undefined when a data descriptor after the data gives it (flag bit 3). */
  compressedSize: number | undefined;
  /** Declared inflated size; undefined when a data descriptor follows. Never trusted, only used to fail early. */
  uncompressedSize: number | undefined;
}

/** Limits `inflateEntry` enforces; `remainingBytes` is shared by all entries of one archive and counts down. */
export interface InflateBudget {
  /** Uncompressed bytes still allowed for the whole archive. */
  remainingBytes: number;
  /** The limit that `remainingBytes` counts down from (for messages). */
  maxUncompressedBytes: number;
  /** Largest allowed inflated/compressed ratio of one entry. */
  maxCompressionRatio: number;
}

const invalid = (reason: string, cause?: unknown): TapeReadError =>
  new TapeReadError('XLSX_INVALID', `The file is not a readable XLSX workbook: ${reason}`, { cause });

const u16 = (b: Uint8Array, i: number): number => b[i]! | (b[i + 1]! << 8);
const u32 = (b: Uint8Array, i: number): number =>
  (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0;
const u64 = (b: Uint8Array, i: number): number => u32(b, i) + u32(b, i + 4) * 2 ** 32;

/** Pull-based byte buffer over an async iterator of chunks. */
class ByteReader {
  buf: Uint8Array = new Uint8Array(0);
  pos = 0;
  /** Bytes of the source before `buf[0]`, for offsets in messages. */
  base = 0;
  private ended = false;

  constructor(private readonly it: AsyncIterator<Uint8Array>) {}

  get available(): number {
    return this.buf.length - this.pos;
  }

  /** Absolute offset of the next unread byte. */
  get offset(): number {
    return this.base + this.pos;
  }

  get atEnd(): boolean {
    return this.ended && this.available === 0;
  }

  /** Appends the next non-empty source chunk to the unread bytes; false at the end of the source. */
  async more(): Promise<boolean> {
    while (!this.ended) {
      const next = await this.it.next();
      if (next.done) {
        this.ended = true;
        return false;
      }
      const chunk = next.value;
      if (chunk.length === 0) continue;
      const rest = this.buf.length - this.pos;
      this.base += this.pos;
      if (rest === 0) {
        this.buf = chunk;
      } else {
        const joined = new Uint8Array(rest + chunk.length);
        joined.set(this.buf.subarray(this.pos));
        joined.set(chunk, rest);
        this.buf = joined;
      }
      this.pos = 0;
      return true;
    }
    return false;
  }

  /** Makes at least `n` unread bytes contiguous in `buf`; false if the source ends first. */
  async ensure(n: number): Promise<boolean> {
    while (this.available < n) if (!(await this.more())) return false;
    return true;
  }

  take(n: number): Uint8Array {
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  async close(): Promise<void> {
    if (!this.ended) {
      this.ended = true;
      await this.it.return?.();
    }
  }
}

/**
 * Reads a ZIP archive front to back from a stream of chunks. Call `nextEntry()`, then consume the
 * entry with `data()` (compressed bytes) or `skip()`, before asking for the next entry; `finish()`
 * reads the central directory and checks that the archive is complete.
 *
 * @example
 * const zip = new ZipStreamReader(source);
 * for (let e = await zip.nextEntry(); e; e = await zip.nextEntry()) {
 *   if (e.name === 'xl/workbook.xml') for await (const part of inflateEntry(e, zip.data(), budget)) use(part);
 *   else await zip.skip();
 * }
 * await zip.finish();
 */
export class ZipStreamReader {
  private readonly r: ByteReader;
  private current: { entry: ZipEntry; hasDescriptor: boolean; consumed: boolean } | undefined;
  private entries = 0;
  private reachedCentral = false;

  constructor(source: AsyncIterable<Uint8Array>) {
    this.r = new ByteReader(source[Symbol.asyncIterator]());
  }

  /** The next entry, or undefined once the central directory is reached. Throws `XLSX_INVALID` on damage. */
  async nextEntry(): Promise<ZipEntry | undefined> {
    if (this.current && !this.current.consumed) await this.skip();
    if (this.reachedCentral) return undefined;
    const r = this.r;
    if (!(await r.ensure(4))) {
      if (r.offset === 0 && r.available === 0) throw new TapeReadError('TAPE_EMPTY', 'The file is empty (0 bytes).');
      if (this.entries === 0) throw invalid('it is not a ZIP archive (too short).');
      throw invalid(`the ZIP archive is truncated after ${r.offset} bytes (the central directory is missing).`);
    }
    const sig = u32(r.buf, r.pos);
    if (sig === SIG_CENTRAL || sig === SIG_END || sig === SIG_END64) {
      if (this.entries === 0) throw invalid('the ZIP archive is empty.');
      this.reachedCentral = true;
      return undefined;
    }
    if (sig !== SIG_LOCAL) {
      if (this.entries > 0)
        throw invalid(`the ZIP archive is corrupt at byte ${r.offset} (no entry header where one should be).`);
      throw notZip(r.buf.subarray(r.pos, r.pos + 8));
    }
    if (!(await r.ensure(30)))
      throw invalid(`the ZIP archive is truncated at byte ${r.offset} (inside an entry header).`);
    const b = r.buf;
    const p = r.pos;
    const flags = u16(b, p + 6);
    const method = u16(b, p + 8);
    let compressedSize: number | undefined = u32(b, p + 18);
    let uncompressedSize: number | undefined = u32(b, p + 22);
    const nameLength = u16(b, p + 26);
    const extraLength = u16(b, p + 28);
    if (!(await r.ensure(30 + nameLength + extraLength))) {
      throw invalid(`the ZIP archive is truncated at byte ${r.offset} (inside an entry header).`);
    }
    r.take(30);
    const name = new TextDecoder().decode(r.take(nameLength));
    const extra = r.take(extraLength);
    if (flags & 1) throw invalid(`entry ${name} is encrypted; save the workbook without a password.`);
    if (compressedSize === 0xffffffff || uncompressedSize === 0xffffffff) {
      // ZIP64: the real sizes are in extra field 0x0001 (uncompressed first, then compressed).
      for (let i = 0; i + 4 <= extra.length;) {
        const id = u16(extra, i);
        const size = u16(extra, i + 2);
        if (id === 1 && size >= 16 && i + 4 + size <= extra.length) {
          uncompressedSize = u64(extra, i + 4);
          compressedSize = u64(extra, i + 12);
        }
        i += 4 + size;
      }
    }
    const hasDescriptor = (flags & 8) !== 0;
    if (hasDescriptor) {
      compressedSize = undefined;
      uncompressedSize = undefined;
    }
    const entry: ZipEntry = { name, method, compressedSize, uncompressedSize };
    this.entries += 1;
    this.current = { entry, hasDescriptor, consumed: false };
    return entry;
  }

  /**
   * The current entry's stored (compressed) bytes, in slices of at most 64 KiB. The slices are views
   * into the source's chunks: copy them to keep them beyond the next call.
   */
  async *data(): AsyncGenerator<Uint8Array, void, undefined> {
    const cur = this.current;
    if (!cur || cur.consumed) throw new Error('ZipStreamReader.data(): no current entry');
    cur.consumed = true;
    const r = this.r;
    const { name } = cur.entry;
    if (!cur.hasDescriptor) {
      let left = cur.entry.compressedSize ?? 0;
      while (left > 0) {
        if (r.available === 0 && !(await r.more())) {
          throw invalid(`the ZIP archive is truncated inside ${name} (${left} bytes missing).`);
        }
        const n = Math.min(left, r.available, SLICE_BYTES);
        left -= n;
        yield r.take(n);
      }
      return;
    }
    // Flag bit 3: the sizes follow the data. The data ends where a data descriptor whose compressed
    // size equals the bytes seen so far is followed by the next header's signature.
    let emitted = 0;
    let searchFrom = r.pos;
    for (;;) {
      const b = r.buf;
      const end = b.length;
      for (
        let q = b.indexOf(0x50, Math.max(searchFrom, r.pos + 12));
        q >= 0 && q + 4 <= end;
        q = b.indexOf(0x50, q + 1)
      ) {
        if (b[q + 1] !== 0x4b) continue;
        const sig = u32(b, q);
        if (sig !== SIG_LOCAL && sig !== SIG_CENTRAL) continue;
        const dataEnd = descriptorStart(b, r.pos, q, emitted);
        if (dataEnd < 0) continue;
        while (r.pos < dataEnd) {
          const n = Math.min(dataEnd - r.pos, SLICE_BYTES);
          emitted += n;
          yield r.take(n);
        }
        r.pos = q;
        return;
      }
      searchFrom = Math.max(r.pos, end - 3);
      while (end - r.pos > DESCRIPTOR_LOOKBEHIND) {
        const n = Math.min(end - DESCRIPTOR_LOOKBEHIND - r.pos, SLICE_BYTES);
        emitted += n;
        yield r.take(n);
      }
      // `more()` moves the unread bytes to the front of a new buffer: rebase the search position.
      const shift = r.pos;
      if (!(await r.more())) throw invalid(`the ZIP archive is truncated inside ${name}.`);
      searchFrom = Math.max(0, searchFrom - shift);
    }
  }

  /** Discards the current entry's bytes. */
  async skip(): Promise<void> {
    if (!this.current || this.current.consumed) return;
    for await (const _ of this.data()) {
      // discard
    }
  }

  /**
   * Reads the rest of the archive (the central directory) and checks that it ends with an
   * end-of-central-directory record, so a truncated upload is reported even if every part was read.
   */
  async finish(): Promise<void> {
    const r = this.r;
    while (!this.reachedCentral) {
      if (!(await this.nextEntry())) break;
    }
    let tail = new Uint8Array(0);
    for (;;) {
      const chunk = r.take(r.available);
      if (chunk.length >= END_RECORD_WINDOW) {
        tail = chunk.slice(chunk.length - END_RECORD_WINDOW);
      } else if (chunk.length > 0) {
        const keep = Math.min(tail.length, END_RECORD_WINDOW - chunk.length);
        const joined = new Uint8Array(keep + chunk.length);
        joined.set(tail.subarray(tail.length - keep));
        joined.set(chunk, keep);
        tail = joined;
      }
      if (!(await r.more())) break;
    }
    for (let i = tail.length - 22; i >= 0; i--) {
      if (u32(tail, i) === SIG_END && i + 22 + u16(tail, i + 20) <= tail.length) return;
    }
    throw invalid('the ZIP archive is truncated (its end-of-central-directory record is missing).');
  }

  /** Stops reading and releases the source. */
  async close(): Promise<void> {
    await this.r.close();
  }
}

/**
 * Where the data ends if a data descriptor sits right before the signature at `q`, else -1. Checks
 * the 4 descriptor layouts (with/without signature, 32/64-bit sizes) against the bytes seen so far.
 */
function descriptorStart(b: Uint8Array, pos: number, q: number, emitted: number): number {
  const layouts: readonly [number, boolean, boolean][] = [
    [16, true, false],
    [12, false, false],
    [24, true, true],
    [20, false, true],
  ];
  for (const [length, signed, wide] of layouts) {
    const start = q - length;
    if (start < pos) continue;
    if (signed && u32(b, start) !== SIG_DESCRIPTOR) continue;
    const sizeAt = start + (signed ? 8 : 4);
    const size = wide ? u64(b, sizeAt) : u32(b, sizeAt);
    const seen = emitted + (start - pos);
    if (size === (wide ? seen : seen % 2 ** 32)) return start;
  }
  return -1;
}

function notZip(head: Uint8Array): TapeReadError {
  if (u32(head, 0) === 0xe011cfd0 && u32(head, 4) === 0xe11ab1a1) {
    return invalid(
      'it is a legacy .xls workbook or a password-protected file (OLE2 format); save it as .xlsx without a password.',
    );
  }
  const text = new TextDecoder('utf-8', { fatal: false }).decode(head);
  const hint = /^[\x20-\x7e\t\r\n]*$/.test(text) ? ' (it looks like text: is it a CSV file?)' : '';
  return invalid(`it is not a ZIP archive${hint}.`);
}

/**
 * Inflates one entry incrementally (stored entries pass through), enforcing the budget: a zip bomb
 * is rejected with `TAPE_LIMIT_EXCEEDED` as soon as its output passes `maxCompressionRatio` × the
 * input consumed (a few MB out of a 64 KiB slice), or at once when the
 * sizes in its header declare it; it is never inflated whole. Corrupt data is `XLSX_INVALID`.
 *
 * @example
 * for await (const bytes of inflateEntry(entry, zip.data(), budget)) decoder.decode(bytes, { stream: true });
 */
export async function* inflateEntry(
  entry: ZipEntry,
  compressed: AsyncIterable<Uint8Array>,
  budget: InflateBudget,
): AsyncGenerator<Uint8Array, void, undefined> {
  const { name, method, compressedSize, uncompressedSize } = entry;
  if (method !== 0 && method !== 8) {
    throw invalid(`entry ${name} uses compression method ${method}; only stored and deflate are supported.`);
  }
  const ratioExceeded = (out: number, input: number): TapeReadError =>
    new TapeReadError(
      'TAPE_LIMIT_EXCEEDED',
      `The workbook part ${name} inflates ${out} bytes from ${input} (more than ${budget.maxCompressionRatio}:1); ` +
        'it looks like a zip bomb. Re-save the workbook, or raise limits.maxCompressionRatio if it is genuine.',
    );
  const totalExceeded = (): TapeReadError =>
    new TapeReadError(
      'TAPE_LIMIT_EXCEEDED',
      `The workbook inflates to more than ${budget.maxUncompressedBytes} bytes (while reading ${name}); ` +
        'split the tape or raise limits.maxUncompressedBytes.',
    );
  if (compressedSize !== undefined && uncompressedSize !== undefined) {
    if (uncompressedSize > RATIO_EXEMPT_BYTES && uncompressedSize > budget.maxCompressionRatio * compressedSize) {
      throw ratioExceeded(uncompressedSize, compressedSize);
    }
    if (uncompressedSize > budget.remainingBytes) throw totalExceeded();
  }
  let input = 0;
  let output = 0;
  const account = (n: number): void => {
    output += n;
    if (output > RATIO_EXEMPT_BYTES && output > budget.maxCompressionRatio * Math.max(input, 1)) {
      throw ratioExceeded(output, input);
    }
    budget.remainingBytes -= n;
    if (budget.remainingBytes < 0) throw totalExceeded();
  };
  if (method === 0) {
    for await (const chunk of compressed) {
      input += chunk.length;
      account(chunk.length);
      yield chunk;
    }
    return;
  }
  const counted = (async function* () {
    for await (const chunk of compressed) {
      input += chunk.length;
      yield chunk;
    }
  })();
  try {
    for await (const out of inflateRaw(counted)) {
      account(out.length);
      yield out;
    }
  } catch (error) {
    if (isZlibError(error))
      throw invalid(`the compressed data of ${name} is corrupt (${(error as Error).message}).`, error);
    throw error;
  }
}

function isZlibError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('Z_');
}

/**
 * Bytes per inflated chunk. Below V8's large-object size (128 KiB): each chunk becomes one string
 * (xlsx-reader.ts), and a string of 256 KiB is a large object of its own — allocating one per chunk
 * costs the reading thread far more than young-generation strings do.
 */
export const INFLATED_CHUNK_BYTES = 64 * 1024;

/**
 * Raw DEFLATE through a node:zlib stream fed by a pump with backpressure, so inflation runs on the
 * thread pool while the caller scans the previous output. The pump also drains input left over after
 * the deflate stream ends, so the ZIP reader stays at the next entry.
 */
async function* inflateRaw(compressed: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array, void, undefined> {
  const z: InflateRaw = createInflateRaw({ chunkSize: INFLATED_CHUNK_BYTES });
  let stopped = false;
  let wake: (() => void) | undefined;
  const settle = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  z.on('drain', settle);
  z.on('close', settle);
  z.on('error', settle);
  const pump = (async (): Promise<void> => {
    try {
      for await (const chunk of compressed) {
        if (stopped) return;
        if (z.destroyed || z.writableEnded) continue; // drain what follows the end of the deflate stream
        if (!z.write(chunk)) {
          await new Promise<void>((resolve) => {
            wake = resolve;
            if (stopped || z.destroyed) settle();
          });
        }
      }
      if (!z.destroyed && !z.writableEnded) z.end();
    } catch (error) {
      if (!stopped) z.destroy(error as Error);
    }
  })();
  try {
    for await (const out of z as AsyncIterable<Uint8Array>) yield out;
    await pump;
  } finally {
    stopped = true;
    settle();
    if (!z.destroyed) z.destroy();
    await pump;
  }
}
