/**
 * Exact sums of integer cents without a bigint per addition, and per-group totals of one grouping
 * dimension (tenant groups, facilities, markets, sponsors) in typed arrays. Why: a pool accumulator
 * adds about 20 amounts per loan, and a bigint per addition costs time and garbage; facilities
 * are nearly one per loan on asset-level tapes, and a Map entry, an object and two bigints per
 * facility take more than twice the memory of these arrays. Exactness: doubles hold
 * every integer up to 2^53 exactly, so sums are kept as doubles while they stay below 2^52 in size
 * and spilled into a bigint before they could round. Must not hold loans.
 */
import { detached } from '../readers/text-decoding.ts';
import { groupKey } from './group-key.ts';

/** A double below this in size plus one amount (< 2^52) is still an exact integer. */
const SPILL = 2 ** 52;

/** An exact sum of safe integers (|x| < 2^52 each): a double part and a bigint part. */
export class CentsSum {
  #small = 0;
  #big = 0n;

  add(amount: number): void {
    const small = this.#small + amount;
    if (small < SPILL && small > -SPILL) this.#small = small;
    else {
      this.#big += BigInt(this.#small) + BigInt(amount);
      this.#small = 0;
    }
  }

  addBig(amount: bigint): void {
    this.#big += amount;
  }

  merge(other: CentsSum): void {
    this.#big += other.#big;
    this.add(other.#small);
  }

  value(): bigint {
    return this.#big + BigInt(this.#small);
  }

  static of(total: bigint): CentsSum {
    const sum = new CentsSum();
    sum.#big = total;
    return sum;
  }
}

/** {@link GroupTotals.toTransfer}: plain data of typed arrays (transferable between threads). */
export interface GroupTotalsTransfer {
  readonly width: number;
  readonly count: number;
  /** Keys as UTF-16 code units, key e = keyUnits[keyEnds[e - 1] ?? 0 .. keyEnds[e]). */
  readonly keyUnits: Uint16Array;
  readonly keyEnds: Uint32Array;
  readonly hashes: Uint32Array;
  /** Display names that differ from their key, likewise; nameOf[e] = -1 when the name is the key. */
  readonly nameUnits: Uint16Array;
  readonly nameEnds: Uint32Array;
  readonly nameOf: Int32Array;
  readonly sums: Float64Array;
  readonly spilled: ReadonlyArray<readonly [number, string]>;
  readonly order: Int32Array;
}

/** Names cached as written -> entry: enough for tenants, markets and sponsors (facilities mostly miss). */
const RAW_CACHE = 4096;

/** Strings in one growing arena of UTF-16 code units (no JS string per entry). */
class Arena {
  units: Uint16Array = new Uint16Array(4096);
  ends: Uint32Array = new Uint32Array(256);
  count = 0;
  get used(): number {
    return this.count === 0 ? 0 : this.ends[this.count - 1]!;
  }
  add(text: string): number {
    const at = this.used;
    if (at + text.length > this.units.length) this.units = grown(this.units, at + text.length);
    for (let i = 0; i < text.length; i++) this.units[at + i] = text.charCodeAt(i);
    return this.#close(at + text.length);
  }
  /** Appends string `i` of `from`. */
  copy(from: { units: Uint16Array; ends: Uint32Array }, i: number): number {
    const s = i === 0 ? 0 : from.ends[i - 1]!;
    const e = from.ends[i]!;
    const at = this.used;
    if (at + e - s > this.units.length) this.units = grown(this.units, at + e - s);
    this.units.set(from.units.subarray(s, e), at);
    return this.#close(at + e - s);
  }
  #close(end: number): number {
    if (this.count === this.ends.length) this.ends = grown(this.ends, this.count + 1);
    this.ends[this.count] = end;
    return this.count++;
  }
  start(i: number): number {
    return i === 0 ? 0 : this.ends[i - 1]!;
  }
  text(i: number): string {
    const s = this.start(i);
    const e = this.ends[i]!;
    let out = '';
    for (let k = s; k < e; k += 4096) out += String.fromCharCode.apply(null, this.units.subarray(k, Math.min(e, k + 4096)) as unknown as number[]);
    return out;
  }
  equals(i: number, text: string): boolean {
    const s = this.start(i);
    if (this.ends[i]! - s !== text.length) return false;
    for (let k = 0; k < text.length; k++) if (this.units[s + k] !== text.charCodeAt(k)) return false;
    return true;
  }
}

function grown<T extends Uint16Array | Uint32Array | Int32Array | Float64Array | Uint8Array>(a: T, atLeast: number): T {
  let size = a.length;
  while (size < atLeast) size = Math.ceil(size * 1.5) + 16;
  const b = new (a.constructor as new (n: number) => T)(size);
  b.set(a as never);
  return b;
}

function hashOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function hashOfUnits(units: Uint16Array, s: number, e: number): number {
  let h = 0x811c9dc5;
  for (let i = s; i < e; i++) h = Math.imul(h ^ units[i]!, 0x01000193);
  return h >>> 0;
}

/**
 * Groups of one dimension: each key's display name (the first spelling seen, trimmed), and for the
 * groups that have eligible loans, `width` exact sums of cents. Keeps two orders, as the maps it
 * replaced did: names in order of first sight, sums in order of first addition. Keys and names live
 * in arenas of code units, found through an open-addressing table of entry numbers: off the JS heap,
 * and a fraction of what a Map, two strings and an object per group take.
 */
export class GroupTotals {
  readonly width: number;
  #keys = new Arena();
  #names = new Arena();
  /** entry -> index in #names, or -1 when the display name is the key */
  #nameOf: Int32Array = new Int32Array(256);
  #hashes: Uint32Array = new Uint32Array(256);
  /** slot -> entry + 1 (0 = empty) */
  #table: Int32Array = new Int32Array(512);
  #raw = new Map<string, number>();
  #rawLookups = 0;
  #rawHits = 0;
  /** entry × width sums (the double parts) */
  #sums: Float64Array;
  /** entry × width: the bigint parts of sums that left the double range (rare) */
  readonly #spilled = new Map<number, bigint>();
  /** entries in order of their first addition */
  #order: Int32Array = new Int32Array(256);
  #ordered = 0;
  #hasSums: Uint8Array = new Uint8Array(256);

  constructor(width: number) {
    this.width = width;
    this.#sums = new Float64Array(256 * width);
  }

  /** Number of groups named so far. */
  get size(): number {
    return this.#keys.count;
  }

  /** The entry of a name (registered with this spelling if its key is new). */
  entry(name: string): number {
    // Names repeat on most loans for tenants, markets and sponsors: a cache of names as written.
    // Facility ids rarely repeat: once the cache is full and mostly missed, it is no longer asked.
    const useCache = this.#raw.size < RAW_CACHE || this.#rawHits * 4 > this.#rawLookups;
    if (useCache) {
      this.#rawLookups++;
      const cached = this.#raw.get(name);
      if (cached !== undefined) {
        this.#rawHits++;
        return cached;
      }
    }
    const e = this.#entryOfKey(groupKey(name), name);
    if (this.#raw.size < RAW_CACHE) this.#raw.set(detached(name), e);
    return e;
  }

  /** Adds `cents` (a safe integer) to sum `column` of an entry. */
  add(entry: number, column: number, cents: number): void {
    if (this.#hasSums[entry] === 0) {
      this.#hasSums[entry] = 1;
      if (this.#ordered === this.#order.length) this.#order = grown(this.#order, this.#ordered + 1);
      this.#order[this.#ordered++] = entry;
    }
    const at = entry * this.width + column;
    const small = this.#sums[at]! + cents;
    if (small < SPILL && small > -SPILL) this.#sums[at] = small;
    else {
      this.#spilled.set(at, (this.#spilled.get(at) ?? 0n) + BigInt(this.#sums[at]!) + BigInt(cents));
      this.#sums[at] = 0;
    }
  }

  /** The exact sum `column` of an entry. */
  sum(entry: number, column: number): bigint {
    const at = entry * this.width + column;
    const big = this.#spilled.get(at);
    return big === undefined ? BigInt(this.#sums[at]!) : big + BigInt(this.#sums[at]!);
  }

  key(entry: number): string {
    return this.#keys.text(entry);
  }

  name(entry: number): string {
    const n = this.#nameOf[entry]!;
    return n < 0 ? this.#keys.text(entry) : this.#names.text(n);
  }

  /** The display name of a key (the key itself if unknown). */
  nameOfKey(key: string): string {
    const e = this.#find(key, hashOf(key));
    return e < 0 ? key : this.name(e);
  }

  /** [key, name] in order of first sight. */
  names(): Array<[string, string]> {
    const out: Array<[string, string]> = [];
    for (let e = 0; e < this.size; e++) out.push([this.key(e), this.name(e)]);
    return out;
  }

  /** Entries with sums, in order of their first addition. */
  withSums(): readonly number[] {
    return Array.from(this.#order.subarray(0, this.#ordered));
  }

  /** Takes over `other` (a later part of the same tape): names not seen here, then sums. */
  merge(other: GroupTotals): void {
    this.mergeTransfer(other.toTransfer());
  }

  /**
   * A compact copy for another thread (typed arrays: the caller may transfer their buffers),
   * smaller and much faster to clone than the JSON form ([key, name] and [key, [text…]]).
   */
  toTransfer(): GroupTotalsTransfer {
    const n = this.size;
    return {
      width: this.width,
      count: n,
      keyUnits: this.#keys.units.slice(0, this.#keys.used),
      keyEnds: this.#keys.ends.slice(0, n),
      hashes: this.#hashes.slice(0, n),
      nameUnits: this.#names.units.slice(0, this.#names.used),
      nameEnds: this.#names.ends.slice(0, this.#names.count),
      nameOf: this.#nameOf.slice(0, n),
      sums: this.#sums.slice(0, n * this.width),
      spilled: [...this.#spilled].map(([at, big]) => [at, big.toString()] as [number, string]),
      order: this.#order.slice(0, this.#ordered),
    };
  }

  /** Groups from {@link toTransfer}. */
  static fromTransfer(t: GroupTotalsTransfer): GroupTotals {
    const groups = new GroupTotals(t.width);
    groups.mergeTransfer(t);
    return groups;
  }

  /** {@link merge} of groups in their transfer form: keys compared as code units, no strings made. */
  mergeTransfer(t: GroupTotalsTransfer): void {
    if (this.size === 0 && this.#ordered === 0) return this.#adopt(t);
    const map = new Int32Array(t.count);
    const keys = { units: t.keyUnits, ends: t.keyEnds };
    const names = { units: t.nameUnits, ends: t.nameEnds };
    for (let e = 0; e < t.count; e++) {
      const s = e === 0 ? 0 : t.keyEnds[e - 1]!;
      const found = this.#findUnits(t.keyUnits, s, t.keyEnds[e]!, t.hashes[e]!);
      if (found >= 0) {
        map[e] = found;
        continue;
      }
      const entry = this.#keys.copy(keys, e);
      this.#register(entry, t.hashes[e]!, t.nameOf[e]! < 0 ? -1 : this.#names.copy(names, t.nameOf[e]!));
      map[e] = entry;
    }
    const spilled = new Map(t.spilled.map(([at, big]) => [at, BigInt(big)]));
    for (let k = 0; k < t.order.length; k++) {
      const e = t.order[k]!;
      for (let c = 0; c < this.width; c++) {
        const at = e * t.width + c;
        const big = spilled.get(at);
        if (big === undefined) this.add(map[e]!, c, t.sums[at]!);
        else this.#addBig(map[e]!, c, big + BigInt(t.sums[at]!));
      }
    }
  }

  /** Into empty groups: takes the arrays over as they are (a new table only), no entry-by-entry insertion. */
  #adopt(t: GroupTotalsTransfer): void {
    const n = t.count;
    this.#keys.units = (t.keyUnits.length > 0 ? t.keyUnits : new Uint16Array(16));
    this.#keys.ends = (n > 0 ? t.keyEnds : new Uint32Array(16));
    this.#keys.count = n;
    this.#names.units = (t.nameUnits.length > 0 ? t.nameUnits : new Uint16Array(16));
    this.#names.ends = (t.nameEnds.length > 0 ? t.nameEnds : new Uint32Array(16));
    this.#names.count = t.nameEnds.length;
    this.#hashes = n > 0 ? t.hashes : new Uint32Array(16);
    this.#nameOf = n > 0 ? t.nameOf : new Int32Array(16);
    this.#sums = t.sums.length > 0 ? t.sums : new Float64Array(16 * this.width);
    this.#hasSums = new Uint8Array(Math.max(16, n));
    this.#order = t.order.length > 0 ? t.order : new Int32Array(16);
    this.#ordered = t.order.length;
    for (let k = 0; k < this.#ordered; k++) this.#hasSums[this.#order[k]!] = 1;
    for (const [at, big] of t.spilled) this.#spilled.set(at, BigInt(big));
    let size = 512;
    while (size < n * 2) size *= 2;
    this.#table = new Int32Array(size);
    for (let e = 0; e < n; e++) place(this.#table, this.#hashes[e]!, e);
  }

  /**
   * Entries with sums, largest `column` first, then name (code-unit order): the order of
   * byBalanceThenKey. Compared as doubles, which are exact while no sum of the column has spilled.
   */
  sortedBy(column: number): number[] {
    const order = Array.from(this.#order.subarray(0, this.#ordered));
    let spilled = false;
    for (const at of this.#spilled.keys()) if (at % this.width === column) spilled = true;
    const sums = this.#sums;
    const width = this.width;
    const byName = (a: number, b: number) => this.#compareNames(a, b);
    if (spilled) {
      return order.sort((a, b) => {
        const x = this.sum(a, column);
        const y = this.sum(b, column);
        return x > y ? -1 : x < y ? 1 : byName(a, b);
      });
    }
    return order.sort((a, b) => {
      const x = sums[a * width + column]!;
      const y = sums[b * width + column]!;
      return x > y ? -1 : x < y ? 1 : byName(a, b);
    });
  }

  /**
   * The `n` first entries of {@link sortedBy}(column) — without `positive`: of all entries with
   * sums; with it: of those whose sum is above 0 — by one pass over the entries, not a sort.
   */
  top(column: number, n: number, positive: boolean): number[] {
    const out: number[] = [];
    const before = (a: number, b: number) => {
      const x = this.sum(a, column);
      const y = this.sum(b, column);
      return x > y || (x === y && this.#compareNames(a, b) < 0);
    };
    const exact = ![...this.#spilled.keys()].some((at) => at % this.width === column);
    for (let k = 0; k < this.#ordered; k++) {
      const e = this.#order[k]!;
      const value = this.#sums[e * this.width + column]!;
      if (positive && (exact ? value <= 0 : this.sum(e, column) <= 0n)) continue;
      if (out.length === n && !before(e, out[n - 1]!)) continue;
      let i = out.length;
      while (i > 0 && before(e, out[i - 1]!)) i--;
      out.splice(i, 0, e);
      if (out.length > n) out.pop();
    }
    return out;
  }

  /** Groups from serialised names and sums (PoolAccumulator.fromJSON); a column a row lacks (stored before it existed) is 0. */
  static from(width: number, names: Iterable<readonly [string, string]>, sums: Iterable<readonly [string, readonly string[]]>): GroupTotals {
    const groups = new GroupTotals(width);
    for (const [key, name] of names) groups.#entryOfKey(key, name, false);
    for (const [key, values] of sums) {
      const e = groups.#entryOfKey(key, key, false);
      for (let c = 0; c < width; c++) groups.#addBig(e, c, BigInt(values[c] ?? '0'));
    }
    return groups;
  }

  #addBig(entry: number, column: number, amount: bigint): void {
    if (amount > -BigInt(SPILL) && amount < BigInt(SPILL)) return this.add(entry, column, Number(amount));
    this.add(entry, column, 0);
    const at = entry * this.width + column;
    this.#spilled.set(at, (this.#spilled.get(at) ?? 0n) + amount);
  }

  /** `trim`: the name is a cell as written (the display name is kept trimmed). */
  #entryOfKey(key: string, name: string, trim = true): number {
    const hash = hashOf(key);
    const found = this.#find(key, hash);
    if (found >= 0) return found;
    const entry = this.#keys.add(key);
    const display = trim ? name.trim() : name;
    this.#register(entry, hash, display === key ? -1 : this.#names.add(display));
    return entry;
  }

  #register(entry: number, hash: number, nameIndex: number): void {
    if (entry >= this.#hashes.length) this.#hashes = grown(this.#hashes, entry + 1);
    if (entry >= this.#nameOf.length) this.#nameOf = grown(this.#nameOf, entry + 1);
    if (entry >= this.#hasSums.length) this.#hasSums = grown(this.#hasSums, entry + 1);
    if ((entry + 1) * this.width > this.#sums.length) this.#sums = grown(this.#sums, (entry + 1) * this.width);
    this.#hashes[entry] = hash;
    this.#nameOf[entry] = nameIndex;
    if ((entry + 1) * 2 > this.#table.length) {
      const table = new Int32Array(this.#table.length * 2);
      for (let e = 0; e < entry; e++) place(table, this.#hashes[e]!, e);
      this.#table = table;
    }
    place(this.#table, hash, entry);
  }

  #find(key: string, hash: number): number {
    const table = this.#table;
    const mask = table.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const e = table[slot]!;
      if (e === 0) return -1;
      if (this.#hashes[e - 1] === hash && this.#keys.equals(e - 1, key)) return e - 1;
    }
  }

  #findUnits(units: Uint16Array, s: number, end: number, hash: number): number {
    const table = this.#table;
    const mask = table.length - 1;
    const keys = this.#keys;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const e = table[slot]!;
      if (e === 0) return -1;
      if (this.#hashes[e - 1] !== hash) continue;
      const ks = keys.start(e - 1);
      if (keys.ends[e - 1]! - ks !== end - s) continue;
      let same = true;
      for (let k = 0; k < end - s && same; k++) same = keys.units[ks + k] === units[s + k];
      if (same) return e - 1;
    }
  }

  /** Display names compared as JS compares strings (code units). */
  #compareNames(a: number, b: number): number {
    const [ua, sa, ea] = this.#nameUnits(a);
    const [ub, sb, eb] = this.#nameUnits(b);
    const n = Math.min(ea - sa, eb - sb);
    for (let k = 0; k < n; k++) {
      const d = ua[sa + k]! - ub[sb + k]!;
      if (d !== 0) return d < 0 ? -1 : 1;
    }
    return ea - sa - (eb - sb) < 0 ? -1 : ea - sa === eb - sb ? 0 : 1;
  }

  #nameUnits(entry: number): [Uint16Array, number, number] {
    const n = this.#nameOf[entry]!;
    const arena = n < 0 ? this.#keys : this.#names;
    const i = n < 0 ? entry : n;
    return [arena.units, arena.start(i), arena.ends[i]!];
  }
}

function place(table: Int32Array, hash: number, entry: number): void {
  const mask = table.length - 1;
  let slot = hash & mask;
  while (table[slot] !== 0) slot = (slot + 1) & mask;
  table[slot] = entry + 1;
}

