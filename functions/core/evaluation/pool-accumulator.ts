/**
 * The mergeable pool aggregate of one tape: evaluates each valid loan's eligibility and adds it to
 * sums of the eligible pool (integer cents, exact: kept as doubles below 2^52 and bigints beyond —
 * group-totals.ts; exact weighted sums: weighted-sum.ts) and to per-group totals (in typed arrays).
 * Sums only one test needs are that test's `part`, declared in its file and kept by pool-parts.ts.
 * Memory follows the number of distinct tenant groups, facilities, markets, sponsors and quarters,
 * never the number of loans; chunks accumulated apart merge exactly.
 */
import type { Decimal } from 'decimal.js';
import type { EvaluatedLoan } from './evaluated-loan.ts';
import { detached } from '../readers/text-decoding.ts';
import { wholeMonthsBetween } from '../validation/calendar.ts';
import { CONCENTRATION_TESTS } from './concentrations/index.ts';
import { TransitionSchedule, type TransitionQuarter } from './balance-sheet-transition.ts';
import type { CriterionId, DealCriteria } from './criteria.ts';
import { evaluateLoan, type LoanEvaluation } from './eligibility.ts';
import { tenantGroupName } from './group-key.ts';
import { CentsSum, GroupTotals, type GroupTotalsTransfer } from './group-totals.ts';
import { PoolParts, type Grouping, type PartTotal, type PoolPart, type PoolPartState, type PoolPartTransfer } from './pool-parts.ts';
import { WeightedSum } from './weighted-sum.ts';
import { loadStressModel, StressAggregate, type StressAggregateState, type StressModel, type StressSection } from '../stress/index.ts';

/** A group (or loan) and its eligible balance; `key` is the display name (first spelling seen) or the loanId. */
export interface GroupTotal {
  readonly key: string;
  readonly cents: bigint;
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
  /** Balance not OPERATIONAL (C07). */
  readonly notOperationalCents: bigint;
  /** Balance by largestTenantRating (for the scorecard). */
  readonly balanceByRating: ReadonlyMap<string, bigint>;
  readonly tenantGroups: readonly GroupTotal[];
  readonly facilities: readonly FacilityTotal[];
  readonly markets: readonly GroupTotal[];
  readonly sponsors: readonly GroupTotal[];
  /** The 5 largest eligible loans (key = loanId). */
  readonly largestLoans: readonly GroupTotal[];
  /** Off-balance-sheet debt by quarter of return, over all valid loans (eligible or not). */
  readonly balanceSheetTransition: readonly TransitionQuarter[];
  /**
   * The first `n` of `facilities` (part `cents`), or of partOf(facilities, notOperationalCents) —
   * the facilities by their balance not OPERATIONAL, above 0, that part as `cents` — without
   * listing every facility (on an asset-level tape, one per loan). A hand-made aggregate may leave it out.
   */
  readonly largestFacilities?: (part: 'cents' | 'notOperationalCents', n: number) => readonly GroupTotal[];
  /** The report's `stress` section (core/stress). A hand-made aggregate may leave it out. */
  readonly stress?: StressSection;
  /** The sums tests declare for themselves (pool-parts.ts), by test id. A hand-made aggregate may leave it out. */
  readonly parts?: ReadonlyMap<string, PartTotal>;
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
  readonly notOperational: string;
  readonly byRating: ReadonlyArray<readonly [string, string]>;
  readonly names: Readonly<Record<'tenants' | 'facilities' | 'markets' | 'sponsors', ReadonlyArray<readonly [string, string]>>>;
  /** key -> [cents] (states stored before pool parts: [cents, C03's, C08's], read by legacyParts) */
  readonly tenants: ReadonlyArray<readonly [string, readonly string[]]>;
  /** key -> [cents, notOperationalCents] */
  readonly facilities: ReadonlyArray<readonly [string, readonly [string, string]]>;
  readonly markets: ReadonlyArray<readonly [string, string]>;
  readonly sponsors: ReadonlyArray<readonly [string, string]>;
  readonly largest: ReadonlyArray<readonly [string, string]>;
  readonly transition: ReturnType<TransitionSchedule['toJSON']>;
  /** C03's and C08's sums in states stored before pool parts (read by legacyParts). */
  readonly lowRated?: string;
  readonly rollover?: string;
  /** The stress lens's sums (absent in states stored before it: read as an empty pool). */
  readonly stress?: StressAggregateState;
  /** The sums tests declare (pool-parts.ts), by test id (a part absent, stored before its test existed, reads as empty). */
  readonly parts?: Readonly<Record<string, PoolPartState>>;
}

/** `PoolAccumulator.toTransfer()`: the JSON state without the groups, and the groups compact. */
export interface PoolAccumulatorTransfer extends Omit<PoolAccumulatorState, 'names' | 'tenants' | 'facilities' | 'markets' | 'sponsors' | 'parts'> {
  readonly groups: Readonly<Record<'tenants' | 'facilities' | 'markets' | 'sponsors', GroupTotalsTransfer>>;
  readonly parts: Readonly<Record<string, PoolPartTransfer>>;
}

/** The buffers of a transfer (its groups' typed arrays), to move them to another thread rather than copy them. */
export function poolTransferBuffers(pool: PoolAccumulatorTransfer): ArrayBuffer[] {
  const buffers: ArrayBufferLike[] = [];
  const groups = [...Object.values(pool.groups), ...Object.values(pool.parts).map((p) => p.groups)];
  for (const g of groups) buffers.push(g.keyUnits.buffer, g.keyEnds.buffer, g.hashes.buffer, g.nameUnits.buffer, g.nameEnds.buffer, g.nameOf.buffer, g.sums.buffer, g.order.buffer);
  return buffers as ArrayBuffer[];
}

/** The parts the tests declare, by test id (read on first use: the tests' files import this one). */
let declaredParts: ReadonlyArray<readonly [string, PoolPart]> | undefined;
function declared(): ReadonlyArray<readonly [string, PoolPart]> {
  return (declaredParts ??= CONCENTRATION_TESTS.flatMap((t) => (t.part ? [[t.id, t.part] as const] : [])));
}

/** Largest first, then key ascending (code-unit order: deterministic, locale-free). */
export function byBalanceThenKey(a: GroupTotal, b: GroupTotal): number {
  return a.cents > b.cents ? -1 : a.cents < b.cents ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

const LARGEST_LOANS = 5;

/** Columns of the per-group sums. */
const CENTS = 0;
const NOT_OPERATIONAL = 1;

/** Bits of the low limb of cents when squaring (cents < 2^50, so each limb product is < 2^52). */
const LIMB = 2 ** 26;

/**
 * Accumulates a tape's valid loans. Amounts are integer cents kept exactly (group-totals.ts: as
 * doubles below 2^52, bigints beyond); what `result()` and `toJSON()` give is the same as with a
 * bigint per amount.
 * @example
 * const acc = new PoolAccumulator(loadCriteria(dealDoc, 'deal.json'));
 * for (const loan of validLoans) loansOut.write(JSON.stringify(acc.add(loan)) + '\n');
 * const sections = buildEvaluationSections(acc, acc.criteria, report.validation.dataQualityScore);
 */
export class PoolAccumulator {
  readonly criteria: DealCriteria;
  #reportingDate: string | null = null;
  #evaluated = 0;
  #eligible = 0;
  readonly #failures = new Map<CriterionId, number>();
  #balance = new CentsSum();
  /** Σ cents² as Σ h², Σ h·l, Σ l² of cents = h·2^26 + l */
  #squaresHigh = new CentsSum();
  #squaresMid = new CentsSum();
  #squaresLow = new CentsSum();
  #dscr = new WeightedSum();
  #ltv = new WeightedSum();
  #rate = new WeightedSum();
  #leaseMonths = new CentsSum();
  #loanMonths = new CentsSum();
  #notOperational = new CentsSum();
  readonly #byRating = new Map<string, CentsSum>();
  #tenants = new GroupTotals(1);
  /** [cents, notOperationalCents] */
  #facilities = new GroupTotals(2);
  #markets = new GroupTotals(1);
  #sponsors = new GroupTotals(1);
  /** The largest eligible loans so far, ordered by byBalanceThenKey, at most LARGEST_LOANS. */
  #largest: GroupTotal[] = [];
  #transition = new TransitionSchedule();
  #stress: StressAggregate;
  #parts: PoolParts;

  /** @param stress the deal's stress model (default: schemas/stress-model.json). */
  constructor(criteria: DealCriteria, stress: StressModel = loadStressModel()) {
    this.criteria = criteria;
    this.#stress = new StressAggregate(stress);
    this.#parts = new PoolParts(declared(), criteria);
    for (const [id, limits] of Object.entries(criteria.eligibility)) if (limits.enabled) this.#failures.set(id as CriterionId, 0);
  }

  /** Evaluates one valid loan, adds it, and returns its loan-level result. All loans of a tape share one reportingDate. */
  add(loan: EvaluatedLoan): LoanEvaluation {
    this.#takeReportingDate(loan.reportingDate);
    const evaluation = evaluateLoan(loan, this.criteria);
    for (const f of evaluation.failures) this.#failures.set(f.criterion, (this.#failures.get(f.criterion) ?? 0) + 1);
    this.#evaluated++;
    const cents = centsOf(loan.currentBalance);
    const tenant = this.#tenants.entry(tenantGroupName(loan));
    const facility = this.#facilities.entry(loan.facilityId);
    const market = this.#markets.entry(loan.market);
    const sponsor = this.#sponsors.entry(loan.sponsor);
    if (loan.offBalanceSheet === true) this.#transition.add(loan, BigInt(cents), this.#tenants.key(tenant));
    if (!evaluation.eligible) return evaluation;

    this.#eligible++;
    this.#balance.add(cents);
    const high = Math.floor(cents / LIMB);
    const low = cents - high * LIMB;
    this.#squaresHigh.add(high * high);
    this.#squaresMid.add(high * low);
    this.#squaresLow.add(low * low);
    this.#dscr.addSafe(cents, loan.dscr);
    this.#ltv.addSafe(cents, loan.ltv);
    this.#rate.addSafe(cents, loan.interestRate);
    addProduct(this.#leaseMonths, cents, wholeMonthsBetween(loan.reportingDate, loan.leaseExpiryDate));
    addProduct(this.#loanMonths, cents, wholeMonthsBetween(loan.reportingDate, loan.maturityDate));
    let rating = this.#byRating.get(loan.largestTenantRating);
    if (!rating) this.#byRating.set(loan.largestTenantRating, (rating = new CentsSum()));
    rating.add(cents);

    const notOperational = loan.constructionStatus === 'OPERATIONAL' ? 0 : cents;
    this.#notOperational.add(notOperational);

    this.#tenants.add(tenant, CENTS, cents);
    this.#facilities.add(facility, CENTS, cents);
    this.#facilities.add(facility, NOT_OPERATIONAL, notOperational);
    this.#markets.add(market, CENTS, cents);
    this.#sponsors.add(sponsor, CENTS, cents);
    this.#offerLargest(loan.loanId, cents);
    this.#stress.add(loan);
    this.#parts.add(loan, cents);
    return evaluation;
  }

  /** The stress model the accumulator was built with. */
  get stressModel(): StressModel {
    return this.#stress.model;
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
    this.#balance.merge(other.#balance);
    this.#squaresHigh.merge(other.#squaresHigh);
    this.#squaresMid.merge(other.#squaresMid);
    this.#squaresLow.merge(other.#squaresLow);
    this.#dscr.merge(other.#dscr);
    this.#ltv.merge(other.#ltv);
    this.#rate.merge(other.#rate);
    this.#leaseMonths.merge(other.#leaseMonths);
    this.#loanMonths.merge(other.#loanMonths);
    this.#notOperational.merge(other.#notOperational);
    for (const [rating, cents] of other.#byRating) {
      let sum = this.#byRating.get(rating);
      if (!sum) this.#byRating.set(rating, (sum = new CentsSum()));
      sum.merge(cents);
    }
    this.#tenants.merge(other.#tenants);
    this.#facilities.merge(other.#facilities);
    this.#markets.merge(other.#markets);
    this.#sponsors.merge(other.#sponsors);
    for (const loan of other.#largest) this.#offerLargest(loan.key, loan.cents);
    this.#transition.merge(other.#transition);
    this.#stress.merge(other.#stress);
    this.#parts.merge(other.#parts);
    return this;
  }

  /** The exact aggregate so far (a snapshot; adding more loans later does not change it). */
  result(): PoolAggregate {
    const tenants = this.#tenants;
    const facilities = this.#facilities;
    const facilityTotal = (e: number): FacilityTotal => ({ key: facilities.name(e), cents: facilities.sum(e, CENTS), notOperationalCents: facilities.sum(e, NOT_OPERATIONAL) });
    let facilityList: FacilityTotal[] | undefined;
    return {
      reportingDate: this.#reportingDate,
      evaluatedCount: this.#evaluated,
      eligibleCount: this.#eligible,
      ineligibleCount: this.#evaluated - this.#eligible,
      failuresByCriterion: [...this.#failures.entries()].sort(([a], [b]) => (a < b ? -1 : 1)),
      balanceCents: this.#balance.value(),
      sumOfSquaredCents: this.#squares(),
      weighted: {
        dscr: this.#dscr.value(),
        ltv: this.#ltv.value(),
        interestRate: this.#rate.value(),
        remainingLeaseTermMonths: this.#leaseMonths.value(),
        remainingLoanTermMonths: this.#loanMonths.value(),
      },
      notOperationalCents: this.#notOperational.value(),
      balanceByRating: new Map([...this.#byRating].map(([rating, sum]) => [rating, sum.value()])),
      tenantGroups: sortedGroups(tenants, (e) => ({ key: tenants.name(e), cents: tenants.sum(e, CENTS) })),
      // Listed on first use only: a facility per loan makes this the largest list by far.
      get facilities() {
        return (facilityList ??= sortedGroups(facilities, facilityTotal));
      },
      markets: sortedGroups(this.#markets, (e) => ({ key: this.#markets.name(e), cents: this.#markets.sum(e, CENTS) })),
      sponsors: sortedGroups(this.#sponsors, (e) => ({ key: this.#sponsors.name(e), cents: this.#sponsors.sum(e, CENTS) })),
      largestLoans: [...this.#largest],
      balanceSheetTransition: this.#transition.result({ name: (key) => tenants.nameOfKey(key) }),
      largestFacilities: (part, n) => {
        const column = part === 'cents' ? CENTS : NOT_OPERATIONAL;
        return facilities.top(column, n, part !== 'cents').map((e) => (column === CENTS ? facilityTotal(e) : { key: facilities.name(e), cents: facilities.sum(e, column) }));
      },
      stress: this.#stress.section(),
      parts: this.#parts.result((grouping, key) => this.#groupsOf(grouping).nameOfKey(key)),
    };
  }

  #groupsOf(grouping: Grouping): GroupTotals {
    return grouping === 'tenantGroups' ? this.#tenants : grouping === 'facilities' ? this.#facilities : grouping === 'markets' ? this.#markets : this.#sponsors;
  }

  #squares(): bigint {
    const limb = BigInt(LIMB);
    return this.#squaresHigh.value() * limb * limb + 2n * this.#squaresMid.value() * limb + this.#squaresLow.value();
  }

  /**
   * The accumulator's state as plain JSON (cents and exact sums as decimal strings), so a partial
   * result can move between workers (worker_threads, Lambda, Distributed Map) and be merged there.
   * @example const copy = PoolAccumulator.fromJSON(JSON.parse(JSON.stringify(acc)), acc.criteria);
   */
  toJSON(): PoolAccumulatorState {
    return this.#state(true);
  }

  #state(withGroups: boolean): PoolAccumulatorState {
    const sums = (groups: GroupTotals) => (!withGroups ? [] : groups.withSums()).map((e) => {
      const values: string[] = [];
      for (let c = 0; c < groups.width; c++) values.push(groups.sum(e, c).toString());
      return [groups.key(e), values] as [string, string[]];
    });
    const names = (groups: GroupTotals) => (withGroups ? groups.names() : []);
    return {
      version: 'dmbs-pool-state/1',
      reportingDate: this.#reportingDate,
      evaluated: this.#evaluated,
      eligible: this.#eligible,
      failures: [...this.#failures],
      balance: this.#balance.value().toString(),
      squares: this.#squares().toString(),
      dscr: this.#dscr.toJSON(),
      ltv: this.#ltv.toJSON(),
      rate: this.#rate.toJSON(),
      leaseMonths: this.#leaseMonths.value().toString(),
      loanMonths: this.#loanMonths.value().toString(),
      notOperational: this.#notOperational.value().toString(),
      byRating: [...this.#byRating].map(([k, v]) => [k, v.value().toString()] as [string, string]),
      names: {
        tenants: names(this.#tenants),
        facilities: names(this.#facilities),
        markets: names(this.#markets),
        sponsors: names(this.#sponsors),
      },
      tenants: sums(this.#tenants) as unknown as PoolAccumulatorState['tenants'],
      facilities: sums(this.#facilities) as unknown as PoolAccumulatorState['facilities'],
      markets: sums(this.#markets).map(([k, [v]]) => [k, v!] as [string, string]),
      sponsors: sums(this.#sponsors).map(([k, [v]]) => [k, v!] as [string, string]),
      largest: this.#largest.map((l) => [l.key, l.cents.toString()]),
      transition: this.#transition.toJSON(),
      stress: this.#stress.toJSON(),
      parts: this.#parts.toJSON(withGroups),
    };
  }

  /**
   * The state for another thread of this process (worker_threads): as toJSON, but the per-group
   * totals in a compact form (group-totals.ts) — a tape with a facility per loan has as many groups
   * as loans, and their JSON form is larger and slower to clone. Not a stored format.
   */
  toTransfer(): PoolAccumulatorTransfer {
    const { names: _names, tenants: _t, facilities: _f, markets: _m, sponsors: _s, parts: _p, ...rest } = this.#state(false);
    return {
      ...rest,
      parts: this.#parts.toTransfer(),
      groups: {
        tenants: this.#tenants.toTransfer(),
        facilities: this.#facilities.toTransfer(),
        markets: this.#markets.toTransfer(),
        sponsors: this.#sponsors.toTransfer(),
      },
    };
  }

  /** Merges a {@link toTransfer} state of a later part of the tape (as `merge(fromTransfer(state))`, with half the work). */
  mergeTransfer(state: PoolAccumulatorTransfer): this {
    const empty = { tenants: [], facilities: [], markets: [], sponsors: [] };
    this.merge(PoolAccumulator.fromJSON({ ...state, names: empty, ...empty, parts: {} }, this.criteria, this.stressModel));
    this.#parts.mergeTransfer(state.parts);
    this.#tenants.mergeTransfer(state.groups.tenants);
    this.#facilities.mergeTransfer(state.groups.facilities);
    this.#markets.mergeTransfer(state.groups.markets);
    this.#sponsors.mergeTransfer(state.groups.sponsors);
    return this;
  }

  /** An accumulator from {@link toTransfer}; `criteria` and `stress` must be those it was built with. */
  static fromTransfer(state: PoolAccumulatorTransfer, criteria: DealCriteria, stress?: StressModel): PoolAccumulator {
    const empty = { tenants: [], facilities: [], markets: [], sponsors: [] };
    const acc = PoolAccumulator.fromJSON({ ...state, names: empty, ...empty, parts: {} }, criteria, stress);
    acc.#parts.mergeTransfer(state.parts);
    acc.#tenants = GroupTotals.fromTransfer(state.groups.tenants);
    acc.#facilities = GroupTotals.fromTransfer(state.groups.facilities);
    acc.#markets = GroupTotals.fromTransfer(state.groups.markets);
    acc.#sponsors = GroupTotals.fromTransfer(state.groups.sponsors);
    return acc;
  }

  /** An accumulator from `toJSON()` state; `criteria` and `stress` must be those the state was built with. */
  static fromJSON(state: PoolAccumulatorState, criteria: DealCriteria, stress?: StressModel): PoolAccumulator {
    if (state.version !== 'dmbs-pool-state/1') throw new Error(`unknown pool state version ${String(state.version)}`);
    const acc = new PoolAccumulator(criteria, stress);
    if (state.reportingDate !== null) acc.#takeReportingDate(state.reportingDate);
    acc.#evaluated = state.evaluated;
    acc.#eligible = state.eligible;
    for (const [id, n] of state.failures) acc.#failures.set(id, n);
    acc.#balance = CentsSum.of(BigInt(state.balance));
    // Σ cents² is kept in limbs; a serialised total goes to the low limb (its value is what counts).
    acc.#squaresLow = CentsSum.of(BigInt(state.squares));
    acc.#dscr = WeightedSum.fromJSON(state.dscr);
    acc.#ltv = WeightedSum.fromJSON(state.ltv);
    acc.#rate = WeightedSum.fromJSON(state.rate);
    acc.#leaseMonths = CentsSum.of(BigInt(state.leaseMonths));
    acc.#loanMonths = CentsSum.of(BigInt(state.loanMonths));
    acc.#notOperational = CentsSum.of(BigInt(state.notOperational));
    for (const [k, v] of state.byRating) acc.#byRating.set(k, CentsSum.of(BigInt(v)));
    acc.#tenants = GroupTotals.from(1, state.names.tenants, state.tenants);
    acc.#facilities = GroupTotals.from(2, state.names.facilities, state.facilities);
    acc.#markets = GroupTotals.from(1, state.names.markets, state.markets.map(([k, v]) => [k, [v]] as const));
    acc.#sponsors = GroupTotals.from(1, state.names.sponsors, state.sponsors.map(([k, v]) => [k, [v]] as const));
    acc.#largest = state.largest.map(([key, c]) => ({ key, cents: BigInt(c) }));
    acc.#transition = TransitionSchedule.fromJSON(state.transition);
    if (state.stress) acc.#stress = StressAggregate.fromJSON(state.stress, acc.stressModel);
    acc.#parts.load({ ...legacyParts(state), ...state.parts });
    return acc;
  }

  #takeReportingDate(date: string): void {
    if (this.#reportingDate === null) {
      this.#reportingDate = date;
      this.#parts.start(date);
    } else if (date !== this.#reportingDate) {
      // The validator makes rows with another reportingDate invalid, so this is a caller's bug.
      throw new Error(`PoolAccumulator: reportingDate ${date} differs from ${this.#reportingDate}; one tape has one cut-off`);
    }
  }

  /** Keeps `loanId` if it is among the LARGEST_LOANS largest (allocates only then). */
  #offerLargest(loanId: string, amount: bigint | number): void {
    const list = this.#largest;
    if (list.length === LARGEST_LOANS) {
      const last = list[LARGEST_LOANS - 1]!;
      // bigint and number compare exactly by value
      if (amount < last.cents || (amount == last.cents && loanId >= last.key)) return; // eslint-disable-line eqeqeq
    }
    const loan = { key: detached(loanId), cents: BigInt(amount) };
    let i = list.length;
    while (i > 0 && byBalanceThenKey(loan, list[i - 1]!) < 0) i--;
    list.splice(i, 0, loan);
    if (list.length > LARGEST_LOANS) list.pop();
  }
}

/**
 * C03's and C08's parts of a state stored before they were parts: their totals were fixed fields
 * and tenant columns 1 and 2. Nothing else of the stored form changed, so such a state still loads.
 */
function legacyParts(state: PoolAccumulatorState): Record<string, PoolPartState> {
  if (state.lowRated === undefined || state.rollover === undefined) return {};
  const column = (c: number) => state.tenants.map(([key, sums]) => [key, sums[c] ?? '0'] as const);
  return {
    C03: { cents: state.lowRated, names: state.names.tenants, groups: column(1) },
    C08: { cents: state.rollover, names: state.names.tenants, groups: column(2) },
  };
}

/** Integer cents of a money value (≤ 2 decimals, ≤ 15 significant digits: exact, a safe integer). */
function centsOf(amount: number): number {
  return Math.round(amount * 100);
}

/** sum += cents × months, exactly. */
function addProduct(sum: CentsSum, cents: number, months: number): void {
  const product = cents * months;
  if (product < 2 ** 52 && product > -(2 ** 52)) sum.add(product);
  else sum.addBig(BigInt(cents) * BigInt(months));
}

/** The groups with sums as objects, largest first then key (see byBalanceThenKey). */
function sortedGroups<T extends GroupTotal>(groups: GroupTotals, make: (entry: number) => T): T[] {
  return groups.sortedBy(CENTS).map(make);
}
