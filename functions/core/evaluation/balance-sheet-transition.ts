/**
 * The balance-sheet transition schedule (issue 4, item 6): off-balance-sheet financing ends when
 * the facility goes live and the debt returns to the sponsor's or tenant's books. For every valid
 * loan with offBalanceSheet = true, its currentBalance is due in the calendar quarter of its
 * expectedCompletionDate ("due" when the facility is already OPERATIONAL), in total and by tenant
 * group. Mergeable; memory follows quarters × tenant groups, not loans.
 */
import type { DmbsReport } from '../generated/report.ts';
import type { EvaluatedLoan } from './evaluated-loan.ts';
import { formatMoney } from './exact.ts';

/** Quarter label of a loan already operational. */
export const DUE = 'due';
/** Quarter label of a loan not operational without expectedCompletionDate (a valid loan never has one). */
export const UNKNOWN = 'unknown';

/** "2027-Q1" for any date of January to March 2027. */
export function quarterOf(isoDate: string): string {
  const month = Number(isoDate.slice(5, 7));
  return `${isoDate.slice(0, 4)}-Q${Math.floor((month - 1) / 3) + 1}`;
}

/** The quarter a loan's off-balance-sheet debt returns in; undefined when the loan is not off balance sheet. */
export function transitionQuarter(loan: EvaluatedLoan): string | undefined {
  if (loan.offBalanceSheet !== true) return undefined;
  if (loan.constructionStatus === 'OPERATIONAL') return DUE;
  return loan.expectedCompletionDate === undefined ? UNKNOWN : quarterOf(loan.expectedCompletionDate);
}

interface QuarterTotals {
  cents: bigint;
  loanCount: number;
  /** tenant group key -> cents */
  readonly byTenantGroup: Map<string, bigint>;
}

/** One quarter of the schedule, exact. */
export interface TransitionQuarter {
  readonly quarter: string;
  readonly cents: bigint;
  readonly loanCount: number;
  /** Display name of the tenant group and its cents, largest first, then name. */
  readonly byTenantGroup: ReadonlyArray<{ readonly key: string; readonly cents: bigint }>;
}

/** Accumulates the schedule. */
export class TransitionSchedule {
  readonly #quarters = new Map<string, QuarterTotals>();

  /** Adds a loan whose tenant group key is `tenantKey` (see group-key.ts). */
  add(loan: EvaluatedLoan, cents: bigint, tenantKey: string): void {
    const quarter = transitionQuarter(loan);
    if (quarter === undefined) return;
    let q = this.#quarters.get(quarter);
    if (!q) this.#quarters.set(quarter, (q = { cents: 0n, loanCount: 0, byTenantGroup: new Map() }));
    q.cents += cents;
    q.loanCount++;
    q.byTenantGroup.set(tenantKey, (q.byTenantGroup.get(tenantKey) ?? 0n) + cents);
  }

  merge(other: TransitionSchedule): void {
    for (const [quarter, o] of other.#quarters) {
      let q = this.#quarters.get(quarter);
      if (!q) this.#quarters.set(quarter, (q = { cents: 0n, loanCount: 0, byTenantGroup: new Map() }));
      q.cents += o.cents;
      q.loanCount += o.loanCount;
      for (const [key, cents] of o.byTenantGroup) q.byTenantGroup.set(key, (q.byTenantGroup.get(key) ?? 0n) + cents);
    }
  }

  /** Plain JSON state (amounts as cent strings), for moving a partial result between workers. */
  toJSON(): Array<[string, { cents: string; loanCount: number; byTenantGroup: Array<[string, string]> }]> {
    return [...this.#quarters].map(([quarter, q]) => [quarter, {
      cents: q.cents.toString(),
      loanCount: q.loanCount,
      byTenantGroup: [...q.byTenantGroup].map(([key, cents]) => [key, cents.toString()] as [string, string]),
    }]);
  }

  static fromJSON(state: ReturnType<TransitionSchedule['toJSON']>): TransitionSchedule {
    const schedule = new TransitionSchedule();
    for (const [quarter, q] of state) {
      schedule.#quarters.set(quarter, {
        cents: BigInt(q.cents),
        loanCount: q.loanCount,
        byTenantGroup: new Map(q.byTenantGroup.map(([key, cents]) => [key, BigInt(cents)])),
      });
    }
    return schedule;
  }

  /** The schedule: "due" first, then quarters in calendar order, then "unknown". */
  result(names: { name(key: string): string }): TransitionQuarter[] {
    const rank = (q: string) => (q === DUE ? 0 : q === UNKNOWN ? 2 : 1);
    return [...this.#quarters.entries()]
      .sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0))
      .map(([quarter, q]) => ({
        quarter,
        cents: q.cents,
        loanCount: q.loanCount,
        byTenantGroup: [...q.byTenantGroup.entries()]
          .map(([key, cents]) => ({ key: names.name(key), cents }))
          .sort((a, b) => (a.cents > b.cents ? -1 : a.cents < b.cents ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
      }));
  }
}

/** The report's `balanceSheetTransition` section. */
export function buildBalanceSheetTransition(quarters: readonly TransitionQuarter[]): NonNullable<DmbsReport['balanceSheetTransition']> {
  return quarters.map((q) => ({
    quarter: q.quarter,
    amount: formatMoney(q.cents),
    loanCount: q.loanCount,
    byTenantGroup: q.byTenantGroup.map((g) => ({ key: g.key, amount: formatMoney(g.cents) })),
  }));
}
