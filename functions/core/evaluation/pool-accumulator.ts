/**
 * The mergeable pool aggregate of one tape: evaluates each valid loan's eligibility and adds it to
 * sums of the eligible pool (declared in pool-sums.ts; integer cents, exact: kept as doubles below
 * 2^52 and bigints beyond — group-totals.ts; exact weighted sums: weighted-sum.ts) and to per-group
 * totals of the groupings declared below (in typed arrays). Sums only one test needs are that
 * test's `part`, declared in its file and kept by pool-parts.ts. Memory follows the number of
 * distinct tenant groups, facilities, markets, sponsors and quarters, never the number of loans;
 * chunks accumulated apart merge exactly.
 */
import type { Decimal } from 'decimal.js';
import type { EvaluatedLoan } from './evaluated-loan.ts';
import { detached } from '../readers/text-decoding.ts';
import { CONCENTRATION_TESTS } from './concentrations/index.ts';
import { TransitionSchedule, type TransitionQuarter } from './balance-sheet-transition.ts';
import type { CriterionId, DealCriteria } from './criteria.ts';
import { evaluateLoan, type LoanEvaluation } from './eligibility.ts';
import { GROUP_NAME, type Grouping } from './group-key.ts';
import { GroupTotals, type GroupTotalsTransfer } from './group-totals.ts';
import { PoolParts, type PartTotal, type PoolPart, type PoolPartState, type PoolPartTransfer } from './pool-parts.ts';
import { amountOf, PoolSums, type PoolSumKeyOf, type PoolSumsState, type PoolSumValues } from './pool-sums.ts';
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
  /**
   * Every sum of pool-sums.ts by its key: those above under their names (balanceCents is
   * `sums.balance`), and a sum declared later under its key only. A hand-made aggregate may leave it out.
   */
  readonly sums?: PoolSumValues;
}

/** The groupings' keys in the stored state (GROUPINGS below). */
type GroupingStateKey = 'tenants' | 'facilities' | 'markets' | 'sponsors';

/**
 * `PoolAccumulator.toJSON()`: plain JSON, bigints and exact sums as decimal strings. Key order:
 * the counts, the sums of pool-sums.ts (balance … byRating, in its table's order), the groupings
 * (names, then each grouping's sums), largest, transition, stress, parts.
 */
export interface PoolAccumulatorState extends PoolSumsState {
  readonly version: 'dmbs-pool-state/1';
  readonly reportingDate: string | null;
  readonly evaluated: number;
  readonly eligible: number;
  readonly failures: ReadonlyArray<readonly [CriterionId, number]>;
  readonly names: Readonly<Record<GroupingStateKey, ReadonlyArray<readonly [string, string]>>>;
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
export interface PoolAccumulatorTransfer extends Omit<PoolAccumulatorState, 'names' | GroupingStateKey | 'parts'> {
  readonly groups: Readonly<Record<GroupingStateKey, GroupTotalsTransfer>>;
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

/**
 * The groupings, in the order of the stored state. Each keeps, per group, the eligible balance
 * (column 0) and the sums named in `columns` (sums of pool-sums.ts of kind `cents`; a loan adds
 * the same amount to its group's column as to the pool's sum), which the result lists as
 * `<key>Cents`. `flat`: stored as [key, cents] rather than [key, [cents, …]], the form these had
 * from the start. `listedOnUse`: the result lists the groups on first read only (one facility per
 * loan makes that the largest list by far).
 */
const GROUPINGS = [
  { grouping: 'tenantGroups', stateKey: 'tenants', columns: [], flat: false, listedOnUse: false },
  { grouping: 'facilities', stateKey: 'facilities', columns: ['notOperational'], flat: false, listedOnUse: true },
  { grouping: 'markets', stateKey: 'markets', columns: [], flat: true, listedOnUse: false },
  { grouping: 'sponsors', stateKey: 'sponsors', columns: [], flat: true, listedOnUse: false },
] as const satisfies ReadonlyArray<{
  grouping: Grouping; stateKey: GroupingStateKey; columns: ReadonlyArray<PoolSumKeyOf<'cents'>>; flat: boolean; listedOnUse: boolean;
}>;

/** A grouping's index in GROUPINGS. */
const AT = Object.fromEntries(GROUPINGS.map((g, i) => [g.grouping, i])) as Record<Grouping, number>;
const TENANTS = AT.tenantGroups;
const FACILITIES = AT.facilities;
const GROUP_NAMES = GROUPINGS.map((g) => GROUP_NAME[g.grouping]);
/** Per grouping, what a loan adds to each of its columns after the balance. */
const COLUMN_AMOUNTS = GROUPINGS.map((g) => (g.columns as ReadonlyArray<PoolSumKeyOf<'cents'>>).map(amountOf));

/** Each grouping's state key -> the same empty list (a state without groups). */
function noGroups<T>(): Record<GroupingStateKey, T[]> {
  return Object.fromEntries(GROUPINGS.map((g) => [g.stateKey, []])) as unknown as Record<GroupingStateKey, T[]>;
}

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
  #sums = new PoolSums();
  /** By GROUPINGS' index. */
  #groups: GroupTotals[] = GROUPINGS.map((g) => new GroupTotals(1 + g.columns.length));
  /** The current loan's entry in each grouping (reused: add is called per loan). */
  readonly #entries = new Int32Array(GROUPINGS.length);
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
    const groups = this.#groups;
    const entries = this.#entries;
    // Every valid loan names its groups, eligible or not: names keep the first spelling on the tape.
    for (let g = 0; g < groups.length; g++) entries[g] = groups[g]!.entry(GROUP_NAMES[g]!(loan));
    if (loan.offBalanceSheet === true) this.#transition.add(loan, BigInt(cents), groups[TENANTS]!.key(entries[TENANTS]!));
    if (!evaluation.eligible) return evaluation;

    this.#eligible++;
    this.#sums.add(loan, cents);
    for (let g = 0; g < groups.length; g++) {
      const group = groups[g]!;
      const entry = entries[g]!;
      group.add(entry, 0, cents);
      const amounts = COLUMN_AMOUNTS[g]!;
      for (let c = 0; c < amounts.length; c++) group.add(entry, c + 1, amounts[c]!(loan, cents));
    }
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
    this.#sums.merge(other.#sums);
    this.#groups.forEach((groups, g) => groups.merge(other.#groups[g]!));
    for (const loan of other.#largest) this.#offerLargest(loan.key, loan.cents);
    this.#transition.merge(other.#transition);
    this.#stress.merge(other.#stress);
    this.#parts.merge(other.#parts);
    return this;
  }

  /** The exact aggregate so far (a snapshot; adding more loans later does not change it). */
  result(): PoolAggregate {
    const sums = this.#sums.values();
    const lists = GROUPINGS.map((g, i) => {
      if (!g.listedOnUse) {
        const list = this.#groupList(i);
        return () => list;
      }
      let list: GroupTotal[] | undefined;
      return () => (list ??= this.#groupList(i));
    });
    const tenants = this.#groups[TENANTS]!;
    const facilities = this.#groups[FACILITIES]!;
    return {
      reportingDate: this.#reportingDate,
      evaluatedCount: this.#evaluated,
      eligibleCount: this.#eligible,
      ineligibleCount: this.#evaluated - this.#eligible,
      failuresByCriterion: [...this.#failures.entries()].sort(([a], [b]) => (a < b ? -1 : 1)),
      balanceCents: sums.balance,
      sumOfSquaredCents: sums.squares,
      weighted: {
        dscr: sums.dscr,
        ltv: sums.ltv,
        interestRate: sums.rate,
        remainingLeaseTermMonths: sums.leaseMonths,
        remainingLoanTermMonths: sums.loanMonths,
      },
      notOperationalCents: sums.notOperational,
      balanceByRating: sums.byRating,
      tenantGroups: lists[TENANTS]!(),
      get facilities() {
        return lists[FACILITIES]!() as FacilityTotal[];
      },
      markets: lists[AT.markets]!(),
      sponsors: lists[AT.sponsors]!(),
      largestLoans: [...this.#largest],
      balanceSheetTransition: this.#transition.result({ name: (key) => tenants.nameOfKey(key) }),
      largestFacilities: (part, n) => {
        if (part === 'cents') return facilities.top(0, n, false).map((e) => this.#groupTotal(FACILITIES, e));
        const column = 1 + (GROUPINGS[FACILITIES]!.columns as readonly string[]).indexOf('notOperational');
        return facilities.top(column, n, true).map((e) => ({ key: facilities.name(e), cents: facilities.sum(e, column) }));
      },
      stress: this.#stress.section(),
      parts: this.#parts.result((grouping, key) => this.#groupsOf(grouping).nameOfKey(key)),
      sums,
    };
  }

  /** A group's totals: key (display name), cents, and `<column>Cents` per further column. */
  #groupTotal(g: number, entry: number): GroupTotal {
    const groups = this.#groups[g]!;
    const total: Record<string, string | bigint> = { key: groups.name(entry), cents: groups.sum(entry, 0) };
    GROUPINGS[g]!.columns.forEach((column, c) => (total[`${column}Cents`] = groups.sum(entry, c + 1)));
    return total as unknown as GroupTotal;
  }

  /** The groups with sums, largest first then key (see byBalanceThenKey). */
  #groupList(g: number): GroupTotal[] {
    return this.#groups[g]!.sortedBy(0).map((e) => this.#groupTotal(g, e));
  }

  #groupsOf(grouping: Grouping): GroupTotals {
    return this.#groups[AT[grouping]]!;
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
    const stored = (g: number) => {
      const groups = this.#groups[g]!;
      return (withGroups ? groups.withSums() : []).map((e) => {
        const values: string[] = [];
        for (let c = 0; c < groups.width; c++) values.push(groups.sum(e, c).toString());
        return [groups.key(e), GROUPINGS[g]!.flat ? values[0]! : values] as const;
      });
    };
    return {
      version: 'dmbs-pool-state/1',
      reportingDate: this.#reportingDate,
      evaluated: this.#evaluated,
      eligible: this.#eligible,
      failures: [...this.#failures],
      ...this.#sums.toJSON(),
      names: Object.fromEntries(GROUPINGS.map((g, i) => [g.stateKey, withGroups ? this.#groups[i]!.names() : []])) as unknown as PoolAccumulatorState['names'],
      ...(Object.fromEntries(GROUPINGS.map((g, i) => [g.stateKey, stored(i)])) as unknown as Pick<PoolAccumulatorState, GroupingStateKey>),
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
    const rest: Record<string, unknown> = { ...this.#state(false) };
    for (const key of ['names', 'parts', ...GROUPINGS.map((g) => g.stateKey)]) delete rest[key];
    return {
      ...(rest as Omit<PoolAccumulatorTransfer, 'parts' | 'groups'>),
      parts: this.#parts.toTransfer(),
      groups: Object.fromEntries(GROUPINGS.map((g, i) => [g.stateKey, this.#groups[i]!.toTransfer()])) as unknown as PoolAccumulatorTransfer['groups'],
    };
  }

  /** Merges a {@link toTransfer} state of a later part of the tape (as `merge(fromTransfer(state))`, with half the work). */
  mergeTransfer(state: PoolAccumulatorTransfer): this {
    this.merge(PoolAccumulator.#withoutGroups(state, this.criteria, this.stressModel));
    this.#parts.mergeTransfer(state.parts);
    GROUPINGS.forEach((g, i) => this.#groups[i]!.mergeTransfer(state.groups[g.stateKey]));
    return this;
  }

  /** An accumulator from {@link toTransfer}; `criteria` and `stress` must be those it was built with. */
  static fromTransfer(state: PoolAccumulatorTransfer, criteria: DealCriteria, stress?: StressModel): PoolAccumulator {
    const acc = PoolAccumulator.#withoutGroups(state, criteria, stress);
    acc.#parts.mergeTransfer(state.parts);
    acc.#groups = GROUPINGS.map((g) => GroupTotals.fromTransfer(state.groups[g.stateKey]));
    return acc;
  }

  /** A transfer's all but its groups and parts. */
  static #withoutGroups(state: PoolAccumulatorTransfer, criteria: DealCriteria, stress?: StressModel): PoolAccumulator {
    return PoolAccumulator.fromJSON({ ...state, names: noGroups<never>(), ...noGroups<never>(), parts: {} }, criteria, stress);
  }

  /** An accumulator from `toJSON()` state; `criteria` and `stress` must be those the state was built with. */
  static fromJSON(state: PoolAccumulatorState, criteria: DealCriteria, stress?: StressModel): PoolAccumulator {
    if (state.version !== 'dmbs-pool-state/1') throw new Error(`unknown pool state version ${String(state.version)}`);
    const acc = new PoolAccumulator(criteria, stress);
    if (state.reportingDate !== null) acc.#takeReportingDate(state.reportingDate);
    acc.#evaluated = state.evaluated;
    acc.#eligible = state.eligible;
    for (const [id, n] of state.failures) acc.#failures.set(id, n);
    acc.#sums = PoolSums.fromJSON(state);
    acc.#groups = GROUPINGS.map((g) => {
      const rows = state[g.stateKey] as ReadonlyArray<readonly [string, string | readonly string[]]>;
      const sums = rows.map(([key, v]) => [key, typeof v === 'string' ? [v] : v] as const);
      return GroupTotals.from(1 + g.columns.length, state.names[g.stateKey], sums);
    });
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
