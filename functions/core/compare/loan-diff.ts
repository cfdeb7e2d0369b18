/**
 * The loan side of comparing two tapes: loans added, removed and with a changed balance, first
 * occurrence of a loan id standing for it (a loan id on several rows is excluded from evaluation).
 * Two routes give the same answer: `diffLoans` over the canonical loans as stored (memory: one
 * entry per loan of the older tape) and `diffSortedLoans`, a merge of two loan-key lists sorted by
 * loanId (loan-keys.ts; memory: the listed loans only). The lists keep file order (the order of
 * first occurrence), whichever route runs.
 */
import { money, toCents } from './money.ts';
import { compareLoanIds, type LoanKey } from './loan-keys.ts';

export interface LoanBalance {
  readonly loanId: string;
  readonly currentBalance: string;
}

export interface BalanceChange {
  readonly loanId: string;
  readonly from: string;
  readonly to: string;
  readonly change: string;
}

export interface LoanDiff {
  readonly counts: { from: number; to: number; added: number; removed: number; changedBalance: number; unchanged: number };
  /** The first `listLimit` of each, in file order. */
  readonly added: LoanBalance[];
  readonly removed: LoanBalance[];
  readonly changed: BalanceChange[];
  readonly truncated: boolean;
  readonly listLimit: number;
}

/** A canonical loan as the compare reads it. */
export interface LoanBalanceSource {
  readonly loanId: string;
  readonly currentBalance: unknown;
}

function result(counts: LoanDiff['counts'], added: LoanBalance[], removed: LoanBalance[], changed: BalanceChange[], listLimit: number): LoanDiff {
  return {
    counts,
    added,
    removed,
    changed,
    truncated: added.length < counts.added || removed.length < counts.removed || changed.length < counts.changedBalance,
    listLimit,
  };
}

const change = (loanId: string, from: bigint, to: bigint): BalanceChange => ({ loanId, from: money(from), to: money(to), change: money(to - from) });

/**
 * Diffs two tapes' loans streamed in file order.
 * @example await diffLoans(loansOf(older), loansOf(newer), 100)
 */
export async function diffLoans(from: AsyncIterable<LoanBalanceSource>, to: AsyncIterable<LoanBalanceSource>, listLimit: number): Promise<LoanDiff> {
  const before = new Map<string, bigint>();
  for await (const loan of from) {
    if (!before.has(loan.loanId)) before.set(loan.loanId, toCents(loan.currentBalance));
  }
  const added: LoanBalance[] = [];
  const changed: BalanceChange[] = [];
  const counts = { from: before.size, to: 0, added: 0, removed: 0, changedBalance: 0, unchanged: 0 };
  const seen = new Set<string>();
  for await (const loan of to) {
    if (seen.has(loan.loanId)) continue;
    seen.add(loan.loanId);
    counts.to++;
    const balance = toCents(loan.currentBalance);
    const old = before.get(loan.loanId);
    if (old === undefined) {
      counts.added++;
      if (added.length < listLimit) added.push({ loanId: loan.loanId, currentBalance: money(balance) });
    } else {
      before.delete(loan.loanId);
      if (old === balance) counts.unchanged++;
      else {
        counts.changedBalance++;
        if (changed.length < listLimit) changed.push(change(loan.loanId, old, balance));
      }
    }
  }
  counts.removed = before.size;
  const removed = [...before].slice(0, listLimit).map(([loanId, cents]) => ({ loanId, currentBalance: money(cents) }));
  return result(counts, added, removed, changed, listLimit);
}

/** Keeps the `limit` entries of smallest ordinal seen so far (memory: about twice the limit). */
class Earliest<T> {
  #items: { ordinal: number; value: T }[] = [];
  constructor(private readonly limit: number) {}
  add(ordinal: number, make: () => T): void {
    if (this.limit === 0) return;
    this.#items.push({ ordinal, value: make() });
    if (this.#items.length >= 2 * this.limit + 64) this.#trim();
  }
  list(): T[] {
    this.#trim();
    return this.#items.map((i) => i.value);
  }
  #trim(): void {
    this.#items.sort((a, b) => a.ordinal - b.ordinal);
    this.#items.length = Math.min(this.#items.length, this.limit);
  }
}

/** Pulls a sorted loan-key list, refusing one out of order (a wrong artifact would otherwise give a wrong diff). */
function sortedCursor(source: AsyncIterable<LoanKey>, what: string) {
  const it = source[Symbol.asyncIterator]();
  let last: string | undefined;
  return async (): Promise<LoanKey | undefined> => {
    const next = await it.next();
    if (next.done) return undefined;
    if (last !== undefined && compareLoanIds(last, next.value.loanId) >= 0) {
      throw new Error(`the ${what} loan keys are not sorted by loanId ('${last}' before '${next.value.loanId}'); the artifact is damaged`);
    }
    last = next.value.loanId;
    return next.value;
  };
}

/**
 * Diffs two loan-key lists sorted by loanId (loan-keys.ts); the same result as `diffLoans` over
 * the loans they were built from.
 * @example await diffSortedLoans(decodeLoanKeys(olderLines), decodeLoanKeys(newerLines), 100)
 */
export async function diffSortedLoans(from: AsyncIterable<LoanKey>, to: AsyncIterable<LoanKey>, listLimit: number): Promise<LoanDiff> {
  const nextFrom = sortedCursor(from, 'older tape\'s');
  const nextTo = sortedCursor(to, 'newer tape\'s');
  const added = new Earliest<LoanBalance>(listLimit);
  const removed = new Earliest<LoanBalance>(listLimit);
  const changed = new Earliest<BalanceChange>(listLimit);
  const counts = { from: 0, to: 0, added: 0, removed: 0, changedBalance: 0, unchanged: 0 };
  let a = await nextFrom();
  let b = await nextTo();
  while (a !== undefined || b !== undefined) {
    const order = a === undefined ? 1 : b === undefined ? -1 : compareLoanIds(a.loanId, b.loanId);
    if (order < 0) {
      const x = a!;
      counts.from++;
      counts.removed++;
      removed.add(x.ordinal, () => ({ loanId: x.loanId, currentBalance: money(x.cents) }));
      a = await nextFrom();
    } else if (order > 0) {
      const y = b!;
      counts.to++;
      counts.added++;
      added.add(y.ordinal, () => ({ loanId: y.loanId, currentBalance: money(y.cents) }));
      b = await nextTo();
    } else {
      const x = a!;
      const y = b!;
      counts.from++;
      counts.to++;
      if (x.cents === y.cents) counts.unchanged++;
      else {
        counts.changedBalance++;
        changed.add(y.ordinal, () => change(y.loanId, x.cents, y.cents));
      }
      [a, b] = await Promise.all([nextFrom(), nextTo()]);
    }
  }
  return result(counts, added.list(), removed.list(), changed.list(), listLimit);
}
