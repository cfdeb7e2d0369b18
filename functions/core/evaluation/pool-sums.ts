/**
 * The pool accumulator's own sums over the eligible pool, declared once as data (`POOL_SUMS`): a
 * key (its name in the stored state and in `PoolAggregate.sums`), a kind (how a loan adds to it,
 * and so how it is stored) and what a loan adds. `PoolSums` adds, merges, stores and loads every
 * declared sum in one loop each, so a new core sum is one line of the table. Sums only one test
 * needs belong to that test instead (its `part`, pool-parts.ts).
 */
import type { Decimal } from 'decimal.js';
import { wholeMonthsBetween } from '../validation/calendar.ts';
import type { EvaluatedLoan } from './evaluated-loan.ts';
import { CentsSum } from './group-totals.ts';
import { WeightedSum } from './weighted-sum.ts';

/**
 * How a loan adds `of(loan, cents)` (cents: the loan's balance in integer cents) to a sum:
 * - `cents`: Σ of — an amount in cents, a safe integer; stored as a decimal string;
 * - `centsTimes`: Σ cents × of — of an integer (whole months); stored as a decimal string;
 * - `weighted`: Σ cents × of — of a decimal read from the tape, exactly (weighted-sum.ts); stored as [scale, sum] pairs;
 * - `squares`: Σ of² — of below 2^50 (a cent amount); stored as a decimal string;
 * - `centsByKey`: Σ of per `by(loan)`; stored as [key, sum] pairs in order of first sight.
 */
export type SumKind = 'cents' | 'centsTimes' | 'weighted' | 'squares' | 'centsByKey';

export interface SumDeclaration {
  readonly key: string;
  readonly kind: SumKind;
  of(loan: EvaluatedLoan, cents: number): number;
  /** `centsByKey` only: the key a loan adds under. */
  by?(loan: EvaluatedLoan): string;
}

/**
 * The sums, in the order of the stored state (which must not change: states stored earlier load,
 * and the same loans store the same text). A sum added here is absent from states stored before
 * it existed: those load it as 0.
 */
export const POOL_SUMS = [
  { key: 'balance', kind: 'cents', of: (_loan, cents) => cents },
  /** for the effective number of loans */
  { key: 'squares', kind: 'squares', of: (_loan, cents) => cents },
  { key: 'dscr', kind: 'weighted', of: (loan) => loan.dscr },
  { key: 'ltv', kind: 'weighted', of: (loan) => loan.ltv },
  { key: 'rate', kind: 'weighted', of: (loan) => loan.interestRate },
  { key: 'leaseMonths', kind: 'centsTimes', of: (loan) => wholeMonthsBetween(loan.reportingDate, loan.leaseExpiryDate) },
  { key: 'loanMonths', kind: 'centsTimes', of: (loan) => wholeMonthsBetween(loan.reportingDate, loan.maturityDate) },
  /** C07's, and the score's; also a column of the facilities (pool-accumulator.ts GROUPINGS) */
  { key: 'notOperational', kind: 'cents', of: (loan, cents) => (loan.constructionStatus === 'OPERATIONAL' ? 0 : cents) },
  /** for the scorecard */
  { key: 'byRating', kind: 'centsByKey', of: (_loan, cents) => cents, by: (loan) => loan.largestTenantRating },
] as const satisfies readonly SumDeclaration[];

type Declared = (typeof POOL_SUMS)[number];
export type PoolSumKey = Declared['key'];
type KindOf<K extends PoolSumKey> = Extract<Declared, { key: K }>['kind'];
/** The keys of the sums of one kind. */
export type PoolSumKeyOf<Kind extends SumKind> = { [K in PoolSumKey]: KindOf<K> extends Kind ? K : never }[PoolSumKey];

type ValueOf<Kind extends SumKind> = Kind extends 'weighted' ? Decimal : Kind extends 'centsByKey' ? ReadonlyMap<string, bigint> : bigint;
type StateOf<Kind extends SumKind> = Kind extends 'weighted' ? ReadonlyArray<readonly [number, string]> : Kind extends 'centsByKey' ? ReadonlyArray<readonly [string, string]> : string;

/** The exact sums, by key (`PoolAggregate.sums`). */
export type PoolSumValues = { readonly [K in PoolSumKey]: ValueOf<KindOf<K>> };
/** The sums in the stored state (`PoolAccumulatorState`), by key. */
export type PoolSumsState = { readonly [K in PoolSumKey]: StateOf<KindOf<K>> };

/** One declared sum's running total (adding is per kind: PoolSums.add). */
interface Sum {
  merge(other: Sum): void;
  value(): bigint | Decimal | ReadonlyMap<string, bigint>;
  toJSON(): string | Array<[number, string]> | Array<[string, string]>;
  load(state: unknown): void;
}

class Cents implements Sum {
  protected sum = new CentsSum();
  add(amount: number): void {
    this.sum.add(amount);
  }
  merge(other: Cents): void {
    this.sum.merge(other.sum);
  }
  value(): bigint {
    return this.sum.value();
  }
  toJSON(): string {
    return this.value().toString();
  }
  load(state: string): void {
    this.sum = CentsSum.of(BigInt(state));
  }
}

/** Kept as Cents; a loan adds cents × of. */
class CentsTimes extends Cents {
  addTimes(cents: number, times: number): void {
    const product = cents * times;
    if (product < 2 ** 52 && product > -(2 ** 52)) this.sum.add(product);
    else this.sum.addBig(BigInt(cents) * BigInt(times));
  }
}

class Weighted implements Sum {
  #sum = new WeightedSum();
  add(cents: number, value: number): void {
    this.#sum.addSafe(cents, value);
  }
  merge(other: Weighted): void {
    this.#sum.merge(other.#sum);
  }
  value(): Decimal {
    return this.#sum.value();
  }
  toJSON(): Array<[number, string]> {
    return this.#sum.toJSON();
  }
  load(state: ReadonlyArray<readonly [number, string]>): void {
    this.#sum = WeightedSum.fromJSON(state);
  }
}

/** Bits of the low limb when squaring (amounts < 2^50, so each limb product is < 2^52). */
const LIMB = 2 ** 26;

/** Σ x² as Σ h², Σ h·l, Σ l² of x = h·2^26 + l: each product a safe integer, summed without bigints. */
class Squares implements Sum {
  #high = new CentsSum();
  #mid = new CentsSum();
  #low = new CentsSum();
  add(x: number): void {
    const high = Math.floor(x / LIMB);
    const low = x - high * LIMB;
    this.#high.add(high * high);
    this.#mid.add(high * low);
    this.#low.add(low * low);
  }
  merge(other: Squares): void {
    this.#high.merge(other.#high);
    this.#mid.merge(other.#mid);
    this.#low.merge(other.#low);
  }
  value(): bigint {
    const limb = BigInt(LIMB);
    return this.#high.value() * limb * limb + 2n * this.#mid.value() * limb + this.#low.value();
  }
  toJSON(): string {
    return this.value().toString();
  }
  /** A stored total goes to the low limb (its value is what counts). */
  load(state: string): void {
    this.#high = new CentsSum();
    this.#mid = new CentsSum();
    this.#low = CentsSum.of(BigInt(state));
  }
}

class CentsByKey implements Sum {
  readonly #sums = new Map<string, CentsSum>();
  constructor(readonly by: (loan: EvaluatedLoan) => string) {}
  add(loan: EvaluatedLoan, amount: number): void {
    this.#sumOf(this.by(loan)).add(amount);
  }
  merge(other: CentsByKey): void {
    for (const [key, sum] of other.#sums) this.#sumOf(key).merge(sum);
  }
  value(): ReadonlyMap<string, bigint> {
    return new Map([...this.#sums].map(([key, sum]) => [key, sum.value()]));
  }
  toJSON(): Array<[string, string]> {
    return [...this.#sums].map(([key, sum]) => [key, sum.value().toString()]);
  }
  load(state: ReadonlyArray<readonly [string, string]>): void {
    this.#sums.clear();
    for (const [key, text] of state) this.#sums.set(key, CentsSum.of(BigInt(text)));
  }
  #sumOf(key: string): CentsSum {
    let sum = this.#sums.get(key);
    if (!sum) this.#sums.set(key, (sum = new CentsSum()));
    return sum;
  }
}

function sumOf(d: SumDeclaration): Sum {
  switch (d.kind) {
    case 'cents': return new Cents();
    case 'centsTimes': return new CentsTimes();
    case 'weighted': return new Weighted();
    case 'squares': return new Squares();
    case 'centsByKey': return new CentsByKey(d.by!);
  }
}

const KIND_CODE: Readonly<Record<SumKind, number>> = { cents: 0, centsTimes: 1, weighted: 2, squares: 3, centsByKey: 4 };
const DECLARED = POOL_SUMS as readonly SumDeclaration[];
const KINDS = Uint8Array.from(DECLARED, (d) => KIND_CODE[d.kind]);
const AMOUNTS = DECLARED.map((d) => d.of);

/** The declared sums of one accumulator, in table order. */
export class PoolSums {
  readonly #sums: Sum[] = DECLARED.map(sumOf);

  /** Adds an eligible loan of `cents`. */
  add(loan: EvaluatedLoan, cents: number): void {
    const sums = this.#sums;
    for (let i = 0; i < KINDS.length; i++) {
      const amount = AMOUNTS[i]!(loan, cents);
      // A call site per kind, each seeing one class (one `sums[i].add` would see every class and
      // not be inlined): this runs for every eligible loan.
      switch (KINDS[i]) { // the codes of KIND_CODE
        case 0: (sums[i] as Cents).add(amount); break;
        case 1: (sums[i] as CentsTimes).addTimes(cents, amount); break;
        case 2: (sums[i] as Weighted).add(cents, amount); break;
        case 3: (sums[i] as Squares).add(amount); break;
        default: (sums[i] as CentsByKey).add(loan, amount);
      }
    }
  }

  /** Adds the sums of another chunk of the tape. */
  merge(other: PoolSums): void {
    this.#sums.forEach((sum, i) => sum.merge(other.#sums[i]!));
  }

  values(): PoolSumValues {
    return Object.fromEntries(POOL_SUMS.map((d, i) => [d.key, this.#sums[i]!.value()])) as unknown as PoolSumValues;
  }

  /** The stored form, keys in table order. */
  toJSON(): PoolSumsState {
    return Object.fromEntries(POOL_SUMS.map((d, i) => [d.key, this.#sums[i]!.toJSON()])) as unknown as PoolSumsState;
  }

  /** Sums from a stored state (a key it lacks, stored before that sum existed, loads as 0). */
  static fromJSON(state: Partial<PoolSumsState>): PoolSums {
    const sums = new PoolSums();
    POOL_SUMS.forEach((d, i) => {
      const stored = state[d.key];
      if (stored !== undefined) sums.#sums[i]!.load(stored);
    });
    return sums;
  }
}

/** What a loan adds to the sum `key` (a grouping's column adds the same per group). */
export function amountOf(key: PoolSumKeyOf<'cents'>): SumDeclaration['of'] {
  return POOL_SUMS.find((d) => d.key === key)!.of;
}
