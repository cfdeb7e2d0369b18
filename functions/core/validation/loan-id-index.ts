/**
 * The loanIds of a tape, compact, to find duplicated ids (a cross-row rule) in O(rows) memory of a
 * few bytes per row instead of a Map of strings: each id is kept as its bytes in one growing byte
 * arena, with its 32-bit hash, its row and whether the row was valid, in typed arrays; an
 * open-addressing table of entry numbers finds earlier ids with the same hash, and a suspected
 * duplicate (same hash) is verified by comparing the bytes, so the answer is exact.
 * Memory per id: its length + 12 bytes of entry (+ 8 bytes of table when looking up), none of it
 * on the JS heap (a Map<string, number> took several times more and, since cells are slices of the decoded chunk, kept every chunk of the tape alive). Must not hold rows or loans.
 * Ids are the schema's loanIds (`^[A-Za-z0-9._-]+$`): one byte per character.
 */

/** An id seen before: its first row, and whether that row was valid. */
export interface EarlierId {
  readonly entry: number;
  readonly row: number;
  readonly valid: boolean;
}

/** The ids of one range of a tape, as shipped between workers (plain typed arrays, transferable). */
export interface LoanIdEntries {
  readonly count: number;
  readonly hashes: Uint32Array;
  /** row × 2 + (valid ? 1 : 0) */
  readonly rows: Int32Array;
  /** Arena offsets: id `i` is `bytes[ends[i - 1] ?? 0 .. ends[i])`. */
  readonly ends: Uint32Array;
  readonly bytes: Uint8Array;
}

const EMPTY = 0;
/** Bytes of arena per expected id (loanIds are short codes; a longer one grows the arena). */
const EXPECTED_ID_BYTES = 20;

/** FNV-1a over the id's characters. */
export function idHash(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export class LoanIdIndex {
  #count = 0;
  #hashes = new Uint32Array(1024);
  #rows = new Int32Array(1024);
  #ends = new Uint32Array(1024);
  #bytes = new Uint8Array(16384);
  #used = 0;
  /** Entry number + 1 per slot (0 = empty); absent when the index only collects (no lookups). */
  #table: Int32Array | undefined;

  /**
   * @param lookup false: only collect the ids (a worker's range; duplicates are found when ranges merge).
   * @param expected ids the caller expects (an estimate): the arrays start at that size instead of
   * growing by half again and again — each growth leaves the old arrays as garbage outside the JS
   * heap, which V8 frees only at its next full GC (tens of MB at 1M rows, peak RSS).
   */
  constructor(lookup = true, expected = 0) {
    if (expected > 1024) {
      const ids = Math.ceil(expected);
      this.#hashes = new Uint32Array(ids);
      this.#rows = new Int32Array(ids);
      this.#ends = new Uint32Array(ids);
      this.#bytes = new Uint8Array(ids * EXPECTED_ID_BYTES);
    }
    if (lookup) this.#table = new Int32Array(2048);
  }

  get size(): number {
    return this.#count;
  }

  /**
   * Adds an id seen on `row`; returns the earlier entry with the same id, if any (the id is then not
   * added again: the first row stays the one reported). Without lookups, always adds and returns undefined.
   */
  add(id: string, row: number, valid: boolean): EarlierId | undefined {
    if (row > 0x3fffffff) throw new RangeError('LoanIdIndex: more than 2^30 rows');
    const hash = idHash(id);
    if (this.#table) {
      const found = this.#find(hash, id);
      if (found >= 0) {
        const r = this.#rows[found]!;
        return { entry: found, row: Math.floor(r / 2), valid: r % 2 === 1 };
      }
    }
    this.#append(hash, row * 2 + (valid ? 1 : 0), id);
    return undefined;
  }

  /** The id of an entry. */
  idOf(entry: number): string {
    const start = entry === 0 ? 0 : this.#ends[entry - 1]!;
    const end = this.#ends[entry]!;
    let s = '';
    for (let i = start; i < end; i++) s += String.fromCharCode(this.#bytes[i]!);
    return s;
  }

  /**
   * The collected ids, trimmed to size: copies, or (`copy` false, when the index is done) views of
   * its own arrays, so that their buffers can be handed to another thread without a copy.
   */
  entries(copy = true): LoanIdEntries {
    const n = this.#count;
    const cut = <T extends Uint8Array | Uint32Array | Int32Array>(a: T, length: number): T => (copy ? a.slice(0, length) : a.subarray(0, length)) as T;
    return { count: n, hashes: cut(this.#hashes, n), rows: cut(this.#rows, n), ends: cut(this.#ends, n), bytes: cut(this.#bytes, this.#used) };
  }

  #append(hash: number, rowAndValid: number, id: string): void {
    const n = this.#count;
    if (n === this.#hashes.length) {
      const size = Math.ceil(n * 1.5);
      this.#hashes = grow(this.#hashes, new Uint32Array(size));
      this.#rows = grow(this.#rows, new Int32Array(size));
      this.#ends = grow(this.#ends, new Uint32Array(size));
    }
    let used = this.#used;
    if (used + id.length > this.#bytes.length) this.#bytes = grow(this.#bytes, new Uint8Array(Math.max(Math.ceil(this.#bytes.length * 1.5), used + id.length)));
    const bytes = this.#bytes;
    for (let i = 0; i < id.length; i++) {
      const c = id.charCodeAt(i);
      if (c > 0x7f) throw new RangeError(`LoanIdIndex: loanId ${JSON.stringify(id)} is not ASCII`); // the schema's pattern forbids it
      bytes[used++] = c;
    }
    this.#used = used;
    this.#hashes[n] = hash;
    this.#rows[n] = rowAndValid;
    this.#ends[n] = used;
    this.#count = n + 1;
    if (this.#table) this.#insert(n);
  }

  #find(hash: number, id: string): number {
    const table = this.#table!;
    const mask = table.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const e = table[slot]!;
      if (e === EMPTY) return -1;
      if (this.#hashes[e - 1] === hash && this.#equals(e - 1, id)) return e - 1;
    }
  }

  #equals(entry: number, id: string): boolean {
    const start = entry === 0 ? 0 : this.#ends[entry - 1]!;
    if (this.#ends[entry]! - start !== id.length) return false;
    const bytes = this.#bytes;
    for (let i = 0; i < id.length; i++) if (bytes[start + i] !== id.charCodeAt(i)) return false;
    return true;
  }

  #insert(entry: number): void {
    let table = this.#table!;
    if ((this.#count) * 2 > table.length) {
      table = this.#table = new Int32Array(table.length * 2);
      for (let e = 0; e < this.#count - 1; e++) place(table, this.#hashes[e]!, e);
    }
    place(table, this.#hashes[entry]!, entry);
  }
}

function place(table: Int32Array, hash: number, entry: number): void {
  const mask = table.length - 1;
  let slot = hash & mask;
  while (table[slot] !== EMPTY) slot = (slot + 1) & mask;
  table[slot] = entry + 1;
}

function grow<T extends Uint8Array | Uint32Array | Int32Array>(from: T, to: T): T {
  to.set(from as never);
  return to;
}

/** A group of rows carrying one duplicated id, in row order. */
export interface DuplicateGroup {
  readonly id: string;
  readonly rows: Array<{ row: number; valid: boolean }>;
}

/**
 * Duplicated ids across the ranges of a tape, in order of first appearance: `parts[k]` are the ids
 * of range k, whose rows are numbered from `rowOffsets[k] + 1`. Exact (bytes compared on equal hash).
 * @example findDuplicates([a.entries(), b.entries()], [0, rowsOfA])
 */
export function findDuplicates(parts: readonly LoanIdEntries[], rowOffsets: readonly number[]): DuplicateGroup[] {
  const total = parts.reduce((n, p) => n + p.count, 0);
  let capacity = 1024;
  while (capacity < total * 2) capacity *= 2;
  // slot -> global entry number + 1; global entry = base[k] + local entry
  const table = new Int32Array(capacity);
  const mask = capacity - 1;
  const base: number[] = [];
  let sum = 0;
  for (const p of parts) {
    base.push(sum);
    sum += p.count;
  }
  const partOf = (g: number): number => {
    let k = parts.length - 1;
    while (base[k]! > g) k--;
    return k;
  };
  const groups = new Map<number, DuplicateGroup>(); // global entry of the first row -> group
  const order: number[] = [];
  const bounds = (p: LoanIdEntries, e: number): [number, number] => [e === 0 ? 0 : p.ends[e - 1]!, p.ends[e]!];
  parts.forEach((p, k) => {
    for (let e = 0; e < p.count; e++) {
      const hash = p.hashes[e]!;
      const [s, t] = bounds(p, e);
      let slot = hash & mask;
      let first = -1;
      for (;;) {
        const g = table[slot]!;
        if (g === EMPTY) break;
        const k2 = partOf(g - 1);
        const q = parts[k2]!;
        const e2 = g - 1 - base[k2]!;
        if (q.hashes[e2] === hash) {
          const [s2, t2] = bounds(q, e2);
          if (t2 - s2 === t - s && sameBytes(q.bytes, s2, p.bytes, s, t - s)) {
            first = g - 1;
            break;
          }
        }
        slot = (slot + 1) & mask;
      }
      const row = Math.floor(p.rows[e]! / 2) + rowOffsets[k]!;
      const valid = p.rows[e]! % 2 === 1;
      if (first < 0) {
        table[slot] = base[k]! + e + 1;
        continue;
      }
      let group = groups.get(first);
      if (!group) {
        const k2 = partOf(first);
        const q = parts[k2]!;
        const e2 = first - base[k2]!;
        const r2 = q.rows[e2]!;
        const [s2, t2] = bounds(q, e2);
        let id = '';
        for (let i = s2; i < t2; i++) id += String.fromCharCode(q.bytes[i]!);
        group = { id, rows: [{ row: Math.floor(r2 / 2) + rowOffsets[k2]!, valid: r2 % 2 === 1 }] };
        groups.set(first, group);
        order.push(first);
      }
      group.rows.push({ row, valid });
    }
  });
  return order.map((g) => groups.get(g)!);
}

function sameBytes(a: Uint8Array, i: number, b: Uint8Array, j: number, length: number): boolean {
  for (let x = 0; x < length; x++) if (a[i + x] !== b[j + x]) return false;
  return true;
}
