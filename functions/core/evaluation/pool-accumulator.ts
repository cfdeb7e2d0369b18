/**
 * The mergeable pool aggregate of one tape: evaluates each valid loan's eligibility and adds it to
 * sums of the eligible pool (integer cents as bigint, exact weighted sums: weighted-sum.ts) and to
 * per-group totals. Memory follows the number of distinct tenant groups, facilities, markets,
 * sponsors and quarters, never the number of loans; chunks accumulated apart merge exactly.
 */
import type { Decimal } from 'decimal.js';
import type { DmbsLoan } from '../generated/loan-tape.ts';
import { addMonths, wholeMonthsBetween } from '../validation/calendar.ts';
import { TransitionSchedule, type TransitionQuarter } from './balance-sheet-transition.ts';
import type { CriterionId, DealCriteria } from './criteria.ts';
import { evaluateLoan, type LoanEvaluation } from './eligibility.ts';
import { toCents } from './exact.ts';
import { GroupNames, tenantGroupName } from './group-key.ts';
import { WeightedSum } from './weighted-sum.ts';

/** A group (or loan) and its eligible balance; `key` is the display name (first spelling seen) or the loanId. */
export interface GroupTotal {
  readonly key: string;
  readonly cents: bigint;
}

/** A tenant group's eligible balance, and the parts counted by C03 (low rating) and C08 (lease rollover). */
export interface TenantGroupTotal extends GroupTotal {
  readonly lowRatedCents: bigint;
  readonly rolloverCents: bigint;
}

/** A facility's eligible balance, and the part not OPERATIONAL (C07). */
export interface FacilityTotal extends GroupTotal {
  readonly notOperationalCents: bigint;
}

/**
 * The exact aggregate of the tape's valid loans (`PoolAccumulator.result()`). Pool figures cover
 * eligible loans only; group lists are ordered by balance (largest first), then key.
 */
export interface PoolAggregate {
  /** The loans' reportingDate (null before the first loan). */
  readonly reportingDate: string | null;
  readonly evaluatedCount: number;
  readonly eligibleCount: number;
  readonly ineligibleCount: number;
  /** Loans failing each enabled criterion, in id order. */
  readonly failuresByCriterion: ReadonlyArray<readonly [CriterionId, number]>;
  /** Sum of currentBalance of the eligible pool, in cents. */
  readonly balanceCents: bigint;
  /** Sum of squared balances (cents²), for the effective number of loans. */
  readonly sumOfSquaredCents: bigint;
  /** Σ cents × value over the eligible pool. */
  readonly weighted: {
    readonly dscr: Decimal;
    readonly ltv: Decimal;
    readonly interestRate: Decimal;
    /** Σ cents × whole months from reportingDate to leaseExpiryDate. */
    readonly remainingLeaseTermMonths: bigint;
    /** Σ cents × whole months from reportingDate to maturityDate. */
    readonly remainingLoanTermMonths: bigint;
  };
  /** Balance whose tenant rating C03 counts. */
  readonly lowRatedCents: bigint;
  /** Balance not OPERATIONAL (C07). */
  readonly notOperationalCents: bigint;
  /** Balance whose lease expires within C08's window. */
  readonly rolloverCents: bigint;
  /** Balance by largestTenantRating (for the scorecard). */
  readonly balanceByRating: ReadonlyMap<string, bigint>;
  readonly tenantGroups: readonly TenantGroupTotal[];
  readonly facilities: readonly FacilityTotal[];
  readonly markets: readonly GroupTotal[];
  readonly sponsors: readonly GroupTotal[];
  /** The 5 largest eligible loans (key = loanId). */
  readonly largestLoans: readonly GroupTotal[];
  /** Off-balance-sheet debt by quarter of return, over all valid loans (eligible or not). */
  readonly balanceSheetTransition: readonly TransitionQuarter[];
}

/** `PoolAccumulator.toJSON()`: plain JSON, bigints and exact sums as decimal strings. */
export interface PoolAccumulatorState {
  readonly version: 'dmbs-pool-state/1';
  readonly reportingDate: string | null;
  readonly evaluated: number;
  readonly eligible: number;
  readonly failures: ReadonlyArray<readonly [CriterionId, number]>;
  readonly balance: string;
  readonly squares: string;
  /** Σ cents × value as [scale, sum] (see weighted-sum.ts). */
  readonly dscr: ReadonlyArray<readonly [number, string]>;
  readonly ltv: ReadonlyArray<readonly [number, string]>;
  readonly rate: ReadonlyArray<readonly [number, string]>;
  readonly leaseMonths: string;
  readonly loanMonths: string;
  readonly lowRated: string;
  readonly notOperational: string;
  readonly rollover: string;
  readonly byRating: ReadonlyArray<readonly [string, string]>;
  readonly names: Readonly<Record<'tenants' | 'facilities' | 'markets' | 'sponsors', ReadonlyArray<readonly [string, string]>>>;
  /** key -> [cents, lowRatedCents, rolloverCents] */
  readonly tenants: ReadonlyArray<readonly [string, readonly [string, string, string]]>;
  /** key -> [cents, notOperationalCents] */
  readonly facilities: ReadonlyArray<readonly [string, readonly [string, string]]>;
  readonly markets: ReadonlyArray<readonly [string, string]>;
  readonly sponsors: ReadonlyArray<readonly [string, string]>;
  readonly largest: ReadonlyArray<readonly [string, string]>;
  readonly transition: ReturnType<TransitionSchedule['toJSON']>;
}

/** Largest first, then key ascending (code-unit order: deterministic, locale-free). */
export function byBalanceThenKey(a: GroupTotal, b: GroupTotal): number {
  return a.cents > b.cents ? -1 : a.cents < b.cents ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

const LARGEST_LOANS = 5;

type TenantSums = { cents: bigint; lowRatedCents: bigint; rolloverCents: bigint };
type FacilitySums = { cents: bigint; notOperationalCents: bigint };

function addTo<K>(map: Map<K, bigint>, key: K, cents: bigint): void {
  map.set(key, (map.get(key) ?? 0n) + cents);
}

/**
 * Accumulates a tape's valid loans.
 * @example
 * const acc = new PoolAccumulator(loadCriteria(dealDoc, 'deal.json'));
 * for (const loan of validLoans) loansOut.write(JSON.stringify(acc.add(loan)) + '\n');
 * const sections = buildEvaluationSections(acc, acc.criteria, report.validation.dataQualityScore);
 */
export class PoolAccumulator {
  readonly criteria: DealCriteria;
  readonly #lowRatings: ReadonlySet<string>;
  #reportingDate: string | null = null;
  #rolloverDeadline = '';
  #evaluated = 0;
  #eligible = 0;
  readonly #failures = new Map<CriterionId, number>();
  #balance = 0n;
  #squares = 0n;
  #dscr = new WeightedSum();
  #ltv = new WeightedSum();
  #rate = new WeightedSum();
  #leaseMonths = 0n;
  #loanMonths = 0n;
  #lowRated = 0n;
  #notOperational = 0n;
  #rollover = 0n;
  readonly #byRating = new Map<string, bigint>();
  #tenantNames = new GroupNames();
  #facilityNames = new GroupNames();
  #marketNames = new GroupNames();
  #sponsorNames = new GroupNames();
  readonly #tenants = new Map<string, TenantSums>();
  readonly #facilities = new Map<string, FacilitySums>();
  readonly #markets = new Map<string, bigint>();
  readonly #sponsors = new Map<string, bigint>();
  /** The largest eligible loans so far, ordered by byBalanceThenKey, at most LARGEST_LOANS. */
  #largest: GroupTotal[] = [];
  #transition = new TransitionSchedule();

  constructor(criteria: DealCriteria) {
    this.criteria = criteria;
    this.#lowRatings = new Set(criteria.concentrations.C03.ratings);
    for (const [id, limits] of Object.entries(criteria.eligibility)) if (limits.enabled) this.#failures.set(id as CriterionId, 0);
  }

  /** Evaluates one valid loan, adds it, and returns its loan-level result. All loans of a tape share one reportingDate. */
  add(loan: DmbsLoan): LoanEvaluation {
    this.#takeReportingDate(loan.reportingDate);
    const evaluation = evaluateLoan(loan, this.criteria);
    for (const f of evaluation.failures) this.#failures.set(f.criterion, (this.#failures.get(f.criterion) ?? 0) + 1);
    this.#evaluated++;
    const cents = toCents(loan.currentBalance);
    const tenantKey = this.#tenantNames.add(tenantGroupName(loan));
    const facilityKey = this.#facilityNames.add(loan.facilityId);
    const marketKey = this.#marketNames.add(loan.market);
    const sponsorKey = this.#sponsorNames.add(loan.sponsor);
    this.#transition.add(loan, cents, tenantKey);
    if (!evaluation.eligible) return evaluation;

    this.#eligible++;
    this.#balance += cents;
    this.#squares += cents * cents;
    this.#dscr.add(cents, loan.dscr);
    this.#ltv.add(cents, loan.ltv);
    this.#rate.add(cents, loan.interestRate);
    this.#leaseMonths += cents * BigInt(wholeMonthsBetween(loan.reportingDate, loan.leaseExpiryDate));
    this.#loanMonths += cents * BigInt(wholeMonthsBetween(loan.reportingDate, loan.maturityDate));
    addTo(this.#byRating, loan.largestTenantRating, cents);

    const lowRated = this.#lowRatings.has(loan.largestTenantRating) ? cents : 0n;
    const rollover = loan.leaseExpiryDate <= this.#rolloverDeadline ? cents : 0n;
    const notOperational = loan.constructionStatus === 'OPERATIONAL' ? 0n : cents;
    this.#lowRated += lowRated;
    this.#rollover += rollover;
    this.#notOperational += notOperational;

    const tenant = this.#tenants.get(tenantKey);
    if (tenant) { tenant.cents += cents; tenant.lowRatedCents += lowRated; tenant.rolloverCents += rollover; }
    else this.#tenants.set(tenantKey, { cents, lowRatedCents: lowRated, rolloverCents: rollover });
    const facility = this.#facilities.get(facilityKey);
    if (facility) { facility.cents += cents; facility.notOperationalCents += notOperational; }
    else this.#facilities.set(facilityKey, { cents, notOperationalCents: notOperational });
    addTo(this.#markets, marketKey, cents);
    addTo(this.#sponsors, sponsorKey, cents);
    this.#offerLargest({ key: loan.loanId, cents });
    return evaluation;
  }

  /**
   * Adds the loans accumulated by `other` (built with the same criteria). `other` must hold later
   * loans of the tape than this one (merge chunks in tape order): group names keep the first
   * spelling seen.
   */
  merge(other: PoolAccumulator): this {
    if (other.criteria !== this.criteria && JSON.stringify(other.criteria) !== JSON.stringify(this.criteria)) {
      throw new Error('PoolAccumulator.merge: accumulators were built with different criteria');
    }
    if (other.#reportingDate !== null) this.#takeReportingDate(other.#reportingDate);
    this.#evaluated += other.#evaluated;
    this.#eligible += other.#eligible;
    for (const [id, n] of other.#failures) this.#failures.set(id, (this.#failures.get(id) ?? 0) + n);
    this.#balance += other.#balance;
    this.#squares += other.#squares;
    this.#dscr.merge(other.#dscr);
    this.#ltv.merge(other.#ltv);
    this.#rate.merge(other.#rate);
    this.#leaseMonths += other.#leaseMonths;
    this.#loanMonths += other.#loanMonths;
    this.#lowRated += other.#lowRated;
    this.#rollover += other.#rollover;
    this.#notOperational += other.#notOperational;
    for (const [rating, cents] of other.#byRating) addTo(this.#byRating, rating, cents);
    this.#tenantNames.merge(other.#tenantNames);
    this.#facilityNames.merge(other.#facilityNames);
    this.#marketNames.merge(other.#marketNames);
    this.#sponsorNames.merge(other.#sponsorNames);
    for (const [key, o] of other.#tenants) {
      const t = this.#tenants.get(key);
      if (t) { t.cents += o.cents; t.lowRatedCents += o.lowRatedCents; t.rolloverCents += o.rolloverCents; }
      else this.#tenants.set(key, { ...o });
    }
    for (const [key, o] of other.#facilities) {
      const f = this.#facilities.get(key);
      if (f) { f.cents += o.cents; f.notOperationalCents += o.notOperationalCents; }
      else this.#facilities.set(key, { ...o });
    }
    for (const [key, cents] of other.#markets) addTo(this.#markets, key, cents);
    for (const [key, cents] of other.#sponsors) addTo(this.#sponsors, key, cents);
    for (const loan of other.#largest) this.#offerLargest(loan);
    this.#transition.merge(other.#transition);
    return this;
  }

  /** The exact aggregate so far (a snapshot; adding more loans later does not change it). */
  result(): PoolAggregate {
    const groups = <T extends GroupTotal>(list: T[]) => list.sort(byBalanceThenKey);
    return {
      reportingDate: this.#reportingDate,
      evaluatedCount: this.#evaluated,
      eligibleCount: this.#eligible,
      ineligibleCount: this.#evaluated - this.#eligible,
      failuresByCriterion: [...this.#failures.entries()].sort(([a], [b]) => (a < b ? -1 : 1)),
      balanceCents: this.#balance,
      sumOfSquaredCents: this.#squares,
      weighted: {
        dscr: this.#dscr.value(),
        ltv: this.#ltv.value(),
        interestRate: this.#rate.value(),
        remainingLeaseTermMonths: this.#leaseMonths,
        remainingLoanTermMonths: this.#loanMonths,
      },
      lowRatedCents: this.#lowRated,
      notOperationalCents: this.#notOperational,
      rolloverCents: this.#rollover,
      balanceByRating: new Map(this.#byRating),
      tenantGroups: groups([...this.#tenants].map(([key, t]) => ({ key: this.#tenantNames.name(key), ...t }))),
      facilities: groups([...this.#facilities].map(([key, f]) => ({ key: this.#facilityNames.name(key), ...f }))),
      markets: groups([...this.#markets].map(([key, cents]) => ({ key: this.#marketNames.name(key), cents }))),
      sponsors: groups([...this.#sponsors].map(([key, cents]) => ({ key: this.#sponsorNames.name(key), cents }))),
      largestLoans: [...this.#largest],
      balanceSheetTransition: this.#transition.result(this.#tenantNames),
    };
  }

  /**
   * The accumulator's state as plain JSON (cents and exact sums as decimal strings), so a partial
   * result can move between workers (worker_threads, Lambda, Distributed Map) and be merged there.
   * @example const copy = PoolAccumulator.fromJSON(JSON.parse(JSON.stringify(acc)), acc.criteria);
   */
  toJSON(): PoolAccumulatorState {
    const cents = (m: Map<string, bigint>) => [...m].map(([k, v]) => [k, v.toString()] as [string, string]);
    return {
      version: 'dmbs-pool-state/1',
      reportingDate: this.#reportingDate,
      evaluated: this.#evaluated,
      eligible: this.#eligible,
      failures: [...this.#failures],
      balance: this.#balance.toString(),
      squares: this.#squares.toString(),
      dscr: this.#dscr.toJSON(),
      ltv: this.#ltv.toJSON(),
      rate: this.#rate.toJSON(),
      leaseMonths: this.#leaseMonths.toString(),
      loanMonths: this.#loanMonths.toString(),
      lowRated: this.#lowRated.toString(),
      notOperational: this.#notOperational.toString(),
      rollover: this.#rollover.toString(),
      byRating: cents(this.#byRating),
      names: {
        tenants: this.#tenantNames.entries(),
        facilities: this.#facilityNames.entries(),
        markets: this.#marketNames.entries(),
        sponsors: this.#sponsorNames.entries(),
      },
      tenants: [...this.#tenants].map(([k, t]) => [k, [t.cents.toString(), t.lowRatedCents.toString(), t.rolloverCents.toString()]]),
      facilities: [...this.#facilities].map(([k, f]) => [k, [f.cents.toString(), f.notOperationalCents.toString()]]),
      markets: cents(this.#markets),
      sponsors: cents(this.#sponsors),
      largest: this.#largest.map((l) => [l.key, l.cents.toString()]),
      transition: this.#transition.toJSON(),
    };
  }

  /** An accumulator from `toJSON()` state; `criteria` must be those the state was built with. */
  static fromJSON(state: PoolAccumulatorState, criteria: DealCriteria): PoolAccumulator {
    if (state.version !== 'dmbs-pool-state/1') throw new Error(`unknown pool state version ${String(state.version)}`);
    const acc = new PoolAccumulator(criteria);
    if (state.reportingDate !== null) acc.#takeReportingDate(state.reportingDate);
    acc.#evaluated = state.evaluated;
    acc.#eligible = state.eligible;
    for (const [id, n] of state.failures) acc.#failures.set(id, n);
    acc.#balance = BigInt(state.balance);
    acc.#squares = BigInt(state.squares);
    acc.#dscr = WeightedSum.fromJSON(state.dscr);
    acc.#ltv = WeightedSum.fromJSON(state.ltv);
    acc.#rate = WeightedSum.fromJSON(state.rate);
    acc.#leaseMonths = BigInt(state.leaseMonths);
    acc.#loanMonths = BigInt(state.loanMonths);
    acc.#lowRated = BigInt(state.lowRated);
    acc.#notOperational = BigInt(state.notOperational);
    acc.#rollover = BigInt(state.rollover);
    for (const [k, v] of state.byRating) acc.#byRating.set(k, BigInt(v));
    acc.#tenantNames = GroupNames.fromEntries(state.names.tenants);
    acc.#facilityNames = GroupNames.fromEntries(state.names.facilities);
    acc.#marketNames = GroupNames.fromEntries(state.names.markets);
    acc.#sponsorNames = GroupNames.fromEntries(state.names.sponsors);
    for (const [k, [c, low, roll]] of state.tenants) acc.#tenants.set(k, { cents: BigInt(c), lowRatedCents: BigInt(low), rolloverCents: BigInt(roll) });
    for (const [k, [c, notOp]] of state.facilities) acc.#facilities.set(k, { cents: BigInt(c), notOperationalCents: BigInt(notOp) });
    for (const [k, v] of state.markets) acc.#markets.set(k, BigInt(v));
    for (const [k, v] of state.sponsors) acc.#sponsors.set(k, BigInt(v));
    acc.#largest = state.largest.map(([key, c]) => ({ key, cents: BigInt(c) }));
    acc.#transition = TransitionSchedule.fromJSON(state.transition);
    return acc;
  }

  #takeReportingDate(date: string): void {
    if (this.#reportingDate === null) {
      this.#reportingDate = date;
      this.#rolloverDeadline = addMonths(date, this.criteria.concentrations.C08.windowMonths);
    } else if (date !== this.#reportingDate) {
      // The validator makes rows with another reportingDate invalid, so this is a caller's bug.
      throw new Error(`PoolAccumulator: reportingDate ${date} differs from ${this.#reportingDate}; one tape has one cut-off`);
    }
  }

  #offerLargest(loan: GroupTotal): void {
    const list = this.#largest;
    if (list.length === LARGEST_LOANS && byBalanceThenKey(loan, list[LARGEST_LOANS - 1]!) >= 0) return;
    let i = list.length;
    while (i > 0 && byBalanceThenKey(loan, list[i - 1]!) < 0) i--;
    list.splice(i, 0, loan);
    if (list.length > LARGEST_LOANS) list.pop();
  }
}
