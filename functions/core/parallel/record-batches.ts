/**
 * Records of a tabular tape packed to cross to another thread: all cells in one string, with row
 * numbers and cell lengths in typed arrays. Structured clone copies a string in one go but clones
 * an array of strings cell by cell; packed, a batch crosses at once, and the receiver reads the cells as spans of that string (no string per cell).
 */
import type { CellSpans, TapeRecord } from '../readers/types.ts';

/** A packed batch of records (typed arrays transferable). */
export interface RecordBatch {
  readonly text: string;
  readonly rows: Int32Array;
  /** Cells per record. */
  readonly counts: Int32Array;
  /** Length of each cell, record after record. */
  readonly lengths: Int32Array;
}

/** Collects records into a batch (one text per record, not an array entry per cell). */
export class RecordBatcher {
  #texts: string[] = [];
  #rows: Int32Array = new Int32Array(2048);
  #counts: Int32Array = new Int32Array(2048);
  #lengths: Int32Array = new Int32Array(2048 * 64);
  #records = 0;
  #cells = 0;

  get size(): number {
    return this.#records;
  }

  push(record: TapeRecord): void {
    const cells = record.cells;
    const n = cells.length;
    if (this.#records === this.#rows.length) {
      this.#rows = grow(this.#rows, this.#records * 2);
      this.#counts = grow(this.#counts, this.#records * 2);
    }
    if (this.#cells + n > this.#lengths.length) this.#lengths = grow(this.#lengths, (this.#cells + n) * 2);
    this.#rows[this.#records] = record.row;
    this.#counts[this.#records++] = n;
    const lengths = this.#lengths;
    let at = this.#cells;
    for (let k = 0; k < n; k++) lengths[at++] = (cells[k] ?? '').length;
    this.#cells = at;
    this.#texts.push(cells.join(''));
  }

  /** The batch so far; the batcher starts over. */
  take(): RecordBatch {
    const batch = {
      text: this.#texts.join(''),
      rows: this.#rows.slice(0, this.#records),
      counts: this.#counts.slice(0, this.#records),
      lengths: this.#lengths.slice(0, this.#cells),
    };
    this.#texts = [];
    this.#records = 0;
    this.#cells = 0;
    return batch;
  }
}

function grow(a: Int32Array, size: number): Int32Array {
  const b = new Int32Array(size);
  b.set(a);
  return b;
}

/** Calls `onRecord` for each record of a batch, its cells as spans of the batch's text (`spans` is reused). */
export function forEachRecord(batch: RecordBatch, onRecord: (row: number, cells: CellSpans) => void): void {
  const spans: CellSpans = { text: batch.text, starts: new Int32Array(64), ends: new Int32Array(64), special: [], count: 0 };
  let at = 0;
  let cell = 0;
  for (let r = 0; r < batch.rows.length; r++) {
    const count = batch.counts[r]!;
    if (count > spans.starts.length) {
      spans.starts = new Int32Array(count);
      spans.ends = new Int32Array(count);
    }
    for (let k = 0; k < count; k++) {
      spans.starts[k] = at;
      at += batch.lengths[cell++]!;
      spans.ends[k] = at;
    }
    spans.count = count;
    onRecord(batch.rows[r]!, spans);
  }
}

/** A batch kept to go over again: its text as is, cell lengths narrowed to the smallest array that holds them. */
interface KeptBatch {
  readonly text: string;
  readonly rows: Int32Array;
  readonly counts: Int32Array;
  readonly lengths: Uint8Array | Uint16Array | Int32Array;
}

/**
 * Batches already checked, kept up to `budget` bytes, so that a second pass over them (evaluating
 * again without duplicated loanIds: check-tape-piped.ts) needs no second read of a tape that is one
 * deflate stream. Over the budget it lets them all go (`complete` false) and the caller reads the
 * tape again. Kept as they came (the text is the string the worker already holds; deflating it
 * cost the worker more than the second read saved), with cell lengths in bytes or 16-bit units
 * where they fit.
 */
export class KeptBatches {
  readonly #budget: number;
  #kept: KeptBatch[] = [];
  #size = 0;
  #complete = true;

  constructor(budget: number) {
    this.#budget = budget;
  }

  /** True while every batch given so far is kept. */
  get complete(): boolean {
    return this.#complete;
  }

  keep(batch: RecordBatch): void {
    if (!this.#complete) return;
    const all = batch.lengths;
    let longest = 0;
    for (let i = 0; i < all.length; i++) if (all[i]! > longest) longest = all[i]!;
    const lengths = longest < 0x100 ? new Uint8Array(all) : longest < 0x10000 ? new Uint16Array(all) : all;
    const size = batch.text.length * (WIDE.test(batch.text) ? 2 : 1) + lengths.byteLength + batch.rows.byteLength + batch.counts.byteLength;
    if (this.#size + size > this.#budget) {
      this.#kept = [];
      this.#size = 0;
      this.#complete = false;
      return;
    }
    this.#kept.push({ text: batch.text, rows: batch.rows, counts: batch.counts, lengths });
    this.#size += size;
  }

  /** The kept batches, in order, as they were given. */
  *batches(): Generator<RecordBatch> {
    for (const k of this.#kept) yield { text: k.text, rows: k.rows, counts: k.counts, lengths: k.lengths instanceof Int32Array ? k.lengths : new Int32Array(k.lengths) };
  }
}

/** A character V8 cannot hold in a one-byte string: a text with one takes two bytes a character. */
const WIDE = /[^\u0000-\u00ff]/;
