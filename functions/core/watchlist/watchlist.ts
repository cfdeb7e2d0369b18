/**
 * The watchlist of a tape: every valid loan tested alone (W01, W03, W04, W08) and against the same
 * loan on the deal's prior tape (W02, W05, W06, W07; skipped when there is no prior loan), and the
 * report section. The sums are exact cents and merge in any order.
 */
import type { Decimal } from 'decimal.js';
import { Exact, centsDecimal, formatFigure, formatMoney, toCents } from '../evaluation/exact.ts';
import type { DmbsLoan } from '../generated/loan-tape.ts';
import type { DmbsReport } from '../generated/report.ts';
import { addMonths } from '../validation/calendar.ts';
import { heldDate, ownString, RATING_SCALE, ratingNotch, type PriorLoans, type PriorRecord } from './prior-loans.ts';
import { WATCHLIST_CODES, type WatchlistCode, type WatchlistCriteria } from './watchlist-criteria.ts';

/** The fields of a loan the watchlist reads. */
export type WatchedLoan = Pick<DmbsLoan,
  'loanId' | 'currentBalance' | 'dscr' | 'ltv' | 'paymentStatus' | 'leaseExpiryDate' | 'expectedCompletionDate' | 'largestTenantRating' | 'offBalanceSheet'>;

/** Which prior tape the loans were compared with (null: the deal's first tape). */
export type PriorTapeRef = { readonly tapeId: string | null; readonly reportingDate: string | null; readonly fileName?: string; readonly sha256?: string } | null;

/** The report's `watchlist` section (its type generated from schemas/dmbs-report.v1.schema.json). */
export type WatchlistSection = NonNullable<DmbsReport['watchlist']>;

/** A watchlisted loan with the values its codes read, now and on the prior tape (prior null: no prior loan). */
export interface WatchlistEntry {
  readonly row: number;
  readonly loanId: string;
  readonly codes: readonly WatchlistCode[];
  readonly currentBalance: string;
  readonly current: {
    readonly dscr: number; readonly ltv: number; readonly paymentStatus: string; readonly leaseExpiryDate: string;
    readonly expectedCompletionDate: string | null; readonly largestTenantRating: string; readonly offBalanceSheet: boolean | null;
  };
  readonly prior: {
    readonly dscr: number; readonly expectedCompletionDate: string | null;
    /** null: not on the rating scale (NR, or no data). */
    readonly largestTenantRating: string | null; readonly offBalanceSheet: boolean | null;
  } | null;
}

export interface WatchlistState {
  readonly validBalanceCents: string;
  readonly listedBalanceCents: string;
  readonly counts: readonly number[];
  readonly loans: ReadonlyArray<{ row: number; loanId: string; codes: WatchlistCode[] }>;
}

const BBB_MINUS = ratingNotch('BBB-');

/** Tests one valid loan of a tape whose reportingDate is `reportingDate`. */
export class WatchlistTests {
  readonly #criteria: WatchlistCriteria;
  readonly #prior: PriorLoans | undefined;
  readonly #leaseDeadline: string;

  readonly #minDscr: number;
  readonly #maxLtv: number;
  readonly #kept: number;

  /** `prior`: the prior tape's valid loans, or undefined for a deal's first tape. */
  constructor(criteria: WatchlistCriteria, reportingDate: string, prior: PriorLoans | undefined) {
    this.#criteria = criteria;
    this.#prior = prior;
    this.#leaseDeadline = addMonths(reportingDate, criteria.leaseMonths);
    this.#minDscr = criteria.minDscr.toNumber();
    this.#maxLtv = criteria.maxLtv.toNumber();
    this.#kept = criteria.keptDscrShare.toNumber();
  }

  /** The codes the loan is watched for, in code order (empty: not on the watchlist). */
  codes(loan: WatchedLoan): WatchlistCode[] {
    const c = this.#criteria;
    const on = c.enabled;
    const out: WatchlistCode[] = [];
    const prior = this.#prior?.get(loan.loanId);
    if (on.has('W01') && compare(loan.dscr, this.#minDscr, () => c.minDscr) < 0) out.push('W01');
    if (on.has('W02') && prior && prior.dscr > 0 && fellTo(loan.dscr, this.#kept, prior.dscr, c.keptDscrShare)) out.push('W02');
    if (on.has('W03') && loan.paymentStatus !== 'CURRENT') out.push('W03');
    if (on.has('W04') && loan.leaseExpiryDate <= this.#leaseDeadline) out.push('W04');
    if (on.has('W05') && prior && completionSlipped(loan, prior, c.completionSlipMonths)) out.push('W05');
    if (on.has('W06') && prior && downgraded(loan, prior, c.notches)) out.push('W06');
    if (on.has('W07') && prior && prior.offBalanceSheet === true && loan.offBalanceSheet === false) out.push('W07');
    if (on.has('W08') && compare(loan.ltv, this.#maxLtv, () => c.maxLtv) > 0) out.push('W08');
    return out;
  }

  /** The loan's entry in the watchlist listing: its codes and the values they read. */
  entry(row: number, loan: WatchedLoan, codes: readonly WatchlistCode[]): WatchlistEntry {
    const prior = this.#prior?.get(loan.loanId);
    const orNull = <T>(v: T | undefined): T | null => (v === undefined ? null : v);
    return {
      row, loanId: loan.loanId, codes, currentBalance: formatMoney(toCents(loan.currentBalance)),
      current: {
        dscr: loan.dscr, ltv: loan.ltv, paymentStatus: loan.paymentStatus, leaseExpiryDate: loan.leaseExpiryDate,
        expectedCompletionDate: orNull(heldDate(loan.expectedCompletionDate)), largestTenantRating: loan.largestTenantRating,
        offBalanceSheet: typeof loan.offBalanceSheet === 'boolean' ? loan.offBalanceSheet : null,
      },
      prior: prior ? {
        dscr: prior.dscr, expectedCompletionDate: orNull(prior.expectedCompletionDate),
        largestTenantRating: RATING_SCALE[prior.ratingNotch] ?? null, offBalanceSheet: orNull(prior.offBalanceSheet),
      } : null,
    };
  }
}

/**
 * The sign of (value − limit) as exact decimals, where `value` is a loan's figure (the decimal it
 * stands for is String(value)) and `limitNumber` the limit's nearest double. Rounding to the
 * nearest double never reverses an order, so unequal doubles decide; equal ones are compared
 * exactly. The same answer as decimal.js throughout, without a Decimal per loan.
 */
function compare(value: number, limitNumber: number, limit: () => Decimal): number {
  if (value !== limitNumber) return value < limitNumber ? -1 : 1;
  return new Exact(String(value)).comparedTo(limit());
}

/**
 * dscr ≤ kept × prior dscr, exactly. The product in doubles is within a few parts in 10^16 of the
 * exact one: a dscr farther than 10^-9 (relative) from it is decided by doubles, one closer exactly.
 */
function fellTo(dscr: number, kept: number, priorDscr: number, keptExact: Decimal): boolean {
  const product = kept * priorDscr;
  const margin = Math.abs(product) * 1e-9;
  if (dscr < product - margin) return true;
  if (dscr > product + margin) return false;
  return new Exact(String(dscr)).lte(keptExact.times(String(priorDscr)));
}

function completionSlipped(loan: WatchedLoan, prior: PriorRecord, months: number): boolean {
  const now = heldDate(loan.expectedCompletionDate);
  return now !== undefined && prior.expectedCompletionDate !== undefined && now > addMonths(prior.expectedCompletionDate, months);
}

function downgraded(loan: WatchedLoan, prior: PriorRecord, notches: number): boolean {
  const now = ratingNotch(loan.largestTenantRating);
  if (now < 0 || prior.ratingNotch < 0) return false;
  return now - prior.ratingNotch >= notches || (prior.ratingNotch <= BBB_MINUS && now > BBB_MINUS);
}

/** Accumulates the valid loans of a tape (in any order, in ranges) into the watchlist section. */
export class WatchlistAggregate {
  #validBalanceCents = 0n;
  #listedBalanceCents = 0n;
  readonly #counts = new Array<number>(WATCHLIST_CODES.length).fill(0);
  #loans: Array<{ row: number; loanId: string; codes: WatchlistCode[] }> = [];

  /** Adds a valid loan and its codes. */
  add(row: number, loan: Pick<WatchedLoan, 'loanId' | 'currentBalance'>, codes: readonly WatchlistCode[]): void {
    const cents = toCents(loan.currentBalance);
    this.#validBalanceCents += cents;
    if (codes.length === 0) return;
    this.#listedBalanceCents += cents;
    for (const code of codes) this.#counts[WATCHLIST_CODES.indexOf(code)]!++;
    this.#loans.push({ row, loanId: ownString(loan.loanId), codes: [...codes] });
  }

  merge(other: WatchlistAggregate): this {
    this.#validBalanceCents += other.#validBalanceCents;
    this.#listedBalanceCents += other.#listedBalanceCents;
    other.#counts.forEach((n, i) => (this.#counts[i]! += n));
    this.#loans.push(...other.#loans);
    return this;
  }

  toJSON(): WatchlistState {
    return { validBalanceCents: this.#validBalanceCents.toString(), listedBalanceCents: this.#listedBalanceCents.toString(), counts: [...this.#counts], loans: this.#sortedLoans() };
  }

  static fromJSON(state: WatchlistState): WatchlistAggregate {
    const agg = new WatchlistAggregate();
    agg.#validBalanceCents = BigInt(state.validBalanceCents);
    agg.#listedBalanceCents = BigInt(state.listedBalanceCents);
    state.counts.forEach((n, i) => (agg.#counts[i] = n));
    agg.#loans = state.loans.map((l) => ({ ...l, codes: [...l.codes] }));
    return agg;
  }

  section(priorTape: PriorTapeRef): WatchlistSection {
    const loans = this.#sortedLoans();
    return {
      priorTape,
      loanCount: loans.length,
      balance: formatMoney(this.#listedBalanceCents),
      share: this.#validBalanceCents === 0n ? null : formatFigure(centsDecimal(this.#listedBalanceCents).div(centsDecimal(this.#validBalanceCents))),
      countsByCode: Object.fromEntries(WATCHLIST_CODES.map((code, i) => [code, this.#counts[i]!])) as Record<WatchlistCode, number>,
      loans,
    };
  }

  #sortedLoans() {
    return [...this.#loans].sort((a, b) => a.row - b.row);
  }
}
