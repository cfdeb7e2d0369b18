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

/**
 * Walks a sorted loan-key list given in batches, refusing one out of order (a wrong artifact
 * would otherwise give a wrong diff). `next()` returns a promise only when a batch is used up,
 * so the merge awaits once per batch, not once per loan.
 */
class SortedCursor {
  key: LoanKey | undefined;
  readonly #it: AsyncIterator<readonly LoanKey[]>;
  readonly #what: string;
  #batch: readonly LoanKey[] = [];
  #at = 0;

  constructor(source: AsyncIterable<readonly LoanKey[]>, what: string) {
    this.#it = source[Symbol.asyncIterator]();
    this.#what = what;
  }

  next(): Promise<void> | undefined {
    if (this.#at < this.#batch.length) {
      this.#take();
      return undefined;
    }
    return this.#load();
  }

  async #load(): Promise<void> {
    while (this.#at === this.#batch.length) {
      const next = await this.#it.next();
      if (next.done) {
        this.key = undefined;
        return;
      }
      this.#batch = next.value;
      this.#at = 0;
    }
    this.#take();
  }

  #take(): void {
    const key = this.#batch[this.#at++]!;
    if (this.key !== undefined && compareLoanIds(this.key.loanId, key.loanId) >= 0) {
      throw new Error(`the ${this.#what} loan keys are not sorted by loanId ('${this.key.loanId}' before '${key.loanId}'); the artifact is damaged`);
    }
    this.key = key;
  }
}

/**
 * Diffs two loan-key lists sorted by loanId (loan-keys.ts); the same result as `diffLoans` over
 * the loans they were built from.
 * @example await diffSortedLoans(decodeLoanKeys(olderLineBatches), decodeLoanKeys(newerLineBatches), 100)
 */
export async function diffSortedLoans(from: AsyncIterable<readonly LoanKey[]>, to: AsyncIterable<readonly LoanKey[]>, listLimit: number): Promise<LoanDiff> {
  const a = new SortedCursor(from, 'older tape\'s');
  const b = new SortedCursor(to, 'newer tape\'s');
  const added = new Earliest<LoanBalance>(listLimit);
  const removed = new Earliest<LoanBalance>(listLimit);
  const changed = new Earliest<BalanceChange>(listLimit);
  const counts = { from: 0, to: 0, added: 0, removed: 0, changedBalance: 0, unchanged: 0 };
  await Promise.all([a.next(), b.next()]);
  while (a.key !== undefined || b.key !== undefined) {
    const x = a.key;
    const y = b.key;
    const order = x === undefined ? 1 : y === undefined ? -1 : compareLoanIds(x.loanId, y.loanId);
    if (order < 0) {
      counts.from++;
      counts.removed++;
      removed.add(x!.ordinal, () => ({ loanId: x!.loanId, currentBalance: money(x!.cents) }));
      const p = a.next();
      if (p) await p;
    } else if (order > 0) {
      counts.to++;
      counts.added++;
      added.add(y!.ordinal, () => ({ loanId: y!.loanId, currentBalance: money(y!.cents) }));
      const p = b.next();
      if (p) await p;
    } else {
      counts.from++;
      counts.to++;
      if (x!.cents === y!.cents) counts.unchanged++;
      else {
        counts.changedBalance++;
        changed.add(y!.ordinal, () => change(y!.loanId, x!.cents, y!.cents));
      }
      const [pa, pb] = [a.next(), b.next()];
      if (pa || pb) await Promise.all([pa, pb]);
    }
  }
  return result(counts, added.list(), removed.list(), changed.list(), listLimit);
}
