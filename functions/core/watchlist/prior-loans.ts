/**
 * The prior tape as the watchlist needs it: per valid loan, only the fields the codes compare
 * (dscr, expected completion, tenant rating, off-balance-sheet flag), packed into typed arrays
 * behind one id map, so matching a tape with its prior never holds both tapes' rows.
 */
import type { DmbsLoan } from '../generated/loan-tape.ts';

/** The fields of a prior loan that the watchlist compares. */
export type PriorLoan = Pick<DmbsLoan, 'loanId' | 'dscr' | 'expectedCompletionDate' | 'largestTenantRating' | 'offBalanceSheet'>;

/** One prior loan as the codes read it. */
export interface PriorRecord {
  readonly dscr: number;
  /** ISO date, or undefined when the prior row held none (blank or a no-data code). */
  readonly expectedCompletionDate: string | undefined;
  /** Position on the rating scale (0 = AAA), or -1 off the scale (NR). */
  readonly ratingNotch: number;
  readonly offBalanceSheet: boolean | undefined;
}

/** The long-term rating scale, best first; NR is off it. */
export const RATING_SCALE = ['AAA', 'AA+', 'AA', 'AA-', 'A+', 'A', 'A-', 'BBB+', 'BBB', 'BBB-', 'BB+', 'BB', 'BB-', 'B+', 'B', 'B-', 'CCC+', 'CCC', 'CCC-', 'CC', 'C', 'D'] as const;
const NOTCH = new Map<string, number>(RATING_SCALE.map((r, i) => [r, i]));

/** A rating's notch on the scale, or -1 (NR, or anything off the scale). */
export function ratingNotch(rating: string): number {
  return NOTCH.get(rating) ?? -1;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The date a cell holds, or undefined for a blank or a no-data code. */
export function heldDate(value: unknown): string | undefined {
  return typeof value === 'string' && ISO_DATE.test(value) ? value : undefined;
}

const dateNumber = (iso: string | undefined) => (iso === undefined ? 0 : Number(iso.slice(0, 4)) * 10_000 + Number(iso.slice(5, 7)) * 100 + Number(iso.slice(8, 10)));
const dateText = (n: number) => (n === 0 ? undefined : `${String(Math.floor(n / 10_000)).padStart(4, '0')}-${String(Math.floor(n / 100) % 100).padStart(2, '0')}-${String(n % 100).padStart(2, '0')}`);

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * A copy of `text` that keeps nothing else alive. A loanId cut out of a chunk of the file read is,
 * in V8, a slice of that chunk's whole text; kept in a map it would keep every chunk of the tape
 * in memory. Short strings are copied by V8 already.
 */
export function ownString(text: string): string {
  return text.length < 13 ? text : decoder.decode(encoder.encode(text));
}

/** The valid loans of a prior tape, by loanId (trimmed, exact). */
export class PriorLoans {
  readonly #index = new Map<string, number>();
  #dscr = new Float64Array(1024);
  #completion = new Int32Array(1024);
  #rating = new Int8Array(1024);
  #offBalance = new Int8Array(1024);
  #next = 0;

  /** Loans held. */
  get size(): number {
    return this.#index.size;
  }

  /** Adds a valid loan of the prior tape (a loanId seen before keeps its first loan). */
  add(loan: PriorLoan): void {
    const id = loan.loanId.trim();
    if (this.#index.has(id)) return;
    const i = this.#next++;
    if (i === this.#dscr.length) this.#grow();
    this.#index.set(ownString(id), i);
    this.#dscr[i] = loan.dscr;
    this.#completion[i] = dateNumber(heldDate(loan.expectedCompletionDate));
    this.#rating[i] = ratingNotch(loan.largestTenantRating);
    this.#offBalance[i] = loan.offBalanceSheet === true ? 1 : loan.offBalanceSheet === false ? 0 : -1;
  }

  /** Forgets a loan (an id the prior tape carried on more than one row is not a prior loan). */
  delete(loanId: string): void {
    this.#index.delete(loanId.trim());
  }

  /** The prior loan with this id, if the prior tape had it. */
  get(loanId: string): PriorRecord | undefined {
    const i = this.#index.get(loanId.trim());
    if (i === undefined) return undefined;
    const off = this.#offBalance[i]!;
    return {
      dscr: this.#dscr[i]!,
      expectedCompletionDate: dateText(this.#completion[i]!),
      ratingNotch: this.#rating[i]!,
      offBalanceSheet: off === 1 ? true : off === 0 ? false : undefined,
    };
  }

  #grow(): void {
    const n = this.#dscr.length * 2;
    const grow = <T extends Float64Array | Int32Array | Int8Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.#dscr = grow(this.#dscr, (k) => new Float64Array(k));
    this.#completion = grow(this.#completion, (k) => new Int32Array(k));
    this.#rating = grow(this.#rating, (k) => new Int8Array(k));
    this.#offBalance = grow(this.#offBalance, (k) => new Int8Array(k));
  }
}
