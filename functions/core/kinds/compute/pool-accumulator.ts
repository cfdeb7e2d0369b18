/**
 * The compute kind's mergeable pool aggregate: evaluates each valid lot (eligibility) and adds the
 * eligible ones to exact sums (bigint cents; quotients in fixed-point cents, fixed-point.ts), so
 * accumulators over any split of a tape merge, in any order, into the same figures. Serialisable.
 */
import type { Decimal } from 'decimal.js';
import { groupKey, holdsValue } from '../../evaluation/group-key.ts';
import { COMPUTE_CRITERION_IDS, type ComputeDealCriteria } from './compute-criteria.ts';
import { evaluateLot, type LotEvaluation } from './eligibility.ts';
import { fixedToDecimal } from './fixed-point.ts';
import { ageMonths, balanceFixedAt, pathDates, pvContractedFixed, residualFixed, type EvaluatedLot } from './lot.ts';
import type { ResidualCurve } from './residual-curve.ts';
import { toCents } from '../../evaluation/exact.ts';

/** What the accumulator evaluates with. */
export interface ComputeSettings {
  readonly criteria: ComputeDealCriteria;
  readonly curve: ResidualCurve;
}

/** A group (customer group, model, site) with its eligible balance, largest first then key. */
export interface ComputeGroupTotal {
  /** The name as first written in the tape (lowest row). */
  readonly key: string;
  readonly cents: bigint;
}

/** A customer group with its monthly contracted revenue by customer rating. */
export interface CustomerGroupTotal extends ComputeGroupTotal {
  readonly revenueByRating: ReadonlyMap<string, bigint>;
}

/** One date of the residual-LTV path: Σ balance(d) and Σ residual(d) over the lots maturing after d, in cents. */
export interface PathPoint {
  readonly date: string;
  readonly balanceCents: Decimal;
  readonly residualCents: Decimal;
}

/** The finished aggregate: exact figures of the eligible lots. */
export interface ComputePoolAggregate {
  readonly reportingDate: string | null;
  readonly evaluatedCount: number;
  readonly eligibleCount: number;
  readonly ineligibleCount: number;
  /** Every enabled criterion, 0 included, in id order. */
  readonly failuresByCriterion: ReadonlyArray<readonly [string, number]>;
  readonly balanceCents: bigint;
  readonly revenueCents: bigint;
  readonly pvContractedCents: Decimal;
  readonly residualNowCents: Decimal;
  /** Σ currentBalance cents × ageMonths(reportingDate). */
  readonly ageWeightedCents: bigint;
  readonly customerGroups: readonly CustomerGroupTotal[];
  readonly models: readonly ComputeGroupTotal[];
  readonly sites: readonly ComputeGroupTotal[];
  /** The 5 largest eligible lots (key = lotId). */
  readonly largestLots: readonly ComputeGroupTotal[];
  /** reportingDate and each 31 December before the latest maturity, in date order. */
  readonly path: readonly PathPoint[];
}

/** The serialised accumulator (JSON: bigints and Decimals as decimal strings). */
export interface ComputePoolState {
  readonly version: 'dmbs-compute-pool/1';
  readonly reportingDate: string | null;
  readonly evaluatedCount: number;
  readonly eligibleCount: number;
  readonly failures: Record<string, number>;
  readonly balanceCents: string;
  readonly revenueCents: string;
  /** Fixed-point cents (value × 10^FIXED_PLACES), as the path's sums. */
  readonly pvContractedFixed: string;
  readonly residualNowFixed: string;
  readonly ageWeightedCents: string;
  /** [key, name, row, balance cents, [rating, revenue cents][]] */
  readonly customerGroups: ReadonlyArray<readonly [string, string, number, string, ReadonlyArray<readonly [string, string]>]>;
  /** [key, name, row, balance cents] */
  readonly models: ReadonlyArray<readonly [string, string, number, string]>;
  readonly sites: ReadonlyArray<readonly [string, string, number, string]>;
  /** [lotId, balance cents] */
  readonly largestLots: ReadonlyArray<readonly [string, string]>;
  /** [date, balance, residual] in fixed-point cents */
  readonly path: ReadonlyArray<readonly [string, string, string]>;
}

const LARGEST_LOTS = 5;
/** Row of a lot added without one: after every real row, so real rows name the groups. */
const NO_ROW = Number.MAX_SAFE_INTEGER;

interface Group {
  name: string;
  row: number;
  cents: bigint;
  revenueByRating: Map<string, bigint>;
}

/** Largest first, then key (the report's order of `top`). */
export function byCentsThenKey(a: ComputeGroupTotal, b: ComputeGroupTotal): number {
  return a.cents > b.cents ? -1 : a.cents < b.cents ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/** Accumulates the evaluation of a compute tape's valid lots. */
export class ComputePoolAccumulator {
  readonly settings: ComputeSettings;
  #reportingDate: string | null = null;
  #evaluated = 0;
  #eligible = 0;
  readonly #failures = new Map<string, number>();
  #balance = 0n;
  #revenue = 0n;
  /** Fixed-point cents (fixed-point.ts), as the path's sums. */
  #pv = 0n;
  #residualNow = 0n;
  #ageWeighted = 0n;
  readonly #customers = new Map<string, Group>();
  readonly #models = new Map<string, Group>();
  readonly #sites = new Map<string, Group>();
  #largest: ComputeGroupTotal[] = [];
  readonly #path = new Map<string, { balance: bigint; residual: bigint }>();

  constructor(settings: ComputeSettings) {
    this.settings = settings;
    for (const id of COMPUTE_CRITERION_IDS) if (settings.criteria.eligibility[id].enabled) this.#failures.set(id, 0);
  }

  /**
   * Evaluates a valid lot and adds it to the pool when eligible.
   * @param row the lot's row in the tape: the lowest row of a group names it in `top`.
   */
  add(lot: EvaluatedLot, row: number = NO_ROW): LotEvaluation {
    this.#takeReportingDate(lot.reportingDate);
    const evaluation = evaluateLot(lot, this.settings.criteria);
    this.#evaluated++;
    for (const f of evaluation.failures) this.#failures.set(f.criterion, (this.#failures.get(f.criterion) ?? 0) + 1);
    if (!evaluation.eligible) return evaluation;
    this.#eligible++;
    const cents = toCents(lot.currentBalance);
    const revenue = toCents(lot.monthlyContractedRevenue);
    const rd = lot.reportingDate;
    this.#balance += cents;
    this.#revenue += revenue;
    this.#pv += pvContractedFixed(lot, this.settings.criteria.discountRate);
    this.#ageWeighted += cents * BigInt(ageMonths(lot, rd));
    const customer = (holdsValue(lot.customerParent) ? lot.customerParent : lot.customer).trim();
    const group = addTo(this.#customers, groupKey(customer), customer, row, cents);
    group.revenueByRating.set(lot.customerRating, (group.revenueByRating.get(lot.customerRating) ?? 0n) + revenue);
    addTo(this.#models, lot.gpuModel, lot.gpuModel, row, cents);
    addTo(this.#sites, groupKey(lot.siteId), lot.siteId.trim(), row, cents);
    this.#offerLargest({ key: lot.lotId.trim(), cents });
    if (lot.maturityDate > rd) {
      for (const date of pathDates(rd, lot.maturityDate)) {
        const residual = residualFixed(lot, date, this.settings.curve);
        if (date === rd) this.#residualNow += residual;
        this.#addPoint(date, balanceFixedAt(lot, date), residual);
      }
    } else {
      this.#residualNow += residualFixed(lot, rd, this.settings.curve);
    }
    return evaluation;
  }

  /** Adds another accumulator's lots (any order: the figures do not depend on it). */
  merge(other: ComputePoolAccumulator): this {
    return this.#mergeState(other.toJSON());
  }

  /** The exact aggregate. */
  result(): ComputePoolAggregate {
    const failures = COMPUTE_CRITERION_IDS.filter((id) => this.#failures.has(id)).map((id) => [id, this.#failures.get(id)!] as const);
    return {
      reportingDate: this.#reportingDate,
      evaluatedCount: this.#evaluated,
      eligibleCount: this.#eligible,
      ineligibleCount: this.#evaluated - this.#eligible,
      failuresByCriterion: failures,
      balanceCents: this.#balance,
      revenueCents: this.#revenue,
      pvContractedCents: fixedToDecimal(this.#pv),
      residualNowCents: fixedToDecimal(this.#residualNow),
      ageWeightedCents: this.#ageWeighted,
      customerGroups: [...this.#customers.values()].map((g) => ({ key: g.name, cents: g.cents, revenueByRating: new Map(g.revenueByRating) })).sort(byCentsThenKey),
      models: totals(this.#models),
      sites: totals(this.#sites),
      largestLots: [...this.#largest],
      path: [...this.#path].map(([date, p]) => ({ date, balanceCents: fixedToDecimal(p.balance), residualCents: fixedToDecimal(p.residual) })).sort((a, b) => (a.date < b.date ? -1 : 1)),
    };
  }

  /** The state as JSON-safe data (see fromJSON). */
  toJSON(): ComputePoolState {
    const groups = (m: Map<string, Group>) => [...m].map(([key, g]) => [key, g.name, g.row, g.cents.toString()] as const);
    return {
      version: 'dmbs-compute-pool/1',
      reportingDate: this.#reportingDate,
      evaluatedCount: this.#evaluated,
      eligibleCount: this.#eligible,
      failures: Object.fromEntries(this.#failures),
      balanceCents: this.#balance.toString(),
      revenueCents: this.#revenue.toString(),
      pvContractedFixed: this.#pv.toString(),
      residualNowFixed: this.#residualNow.toString(),
      ageWeightedCents: this.#ageWeighted.toString(),
      customerGroups: [...this.#customers].map(([key, g]) => [key, g.name, g.row, g.cents.toString(), [...g.revenueByRating].map(([r, c]) => [r, c.toString()] as const)] as const),
      models: groups(this.#models),
      sites: groups(this.#sites),
      largestLots: this.#largest.map((l) => [l.key, l.cents.toString()] as const),
      path: [...this.#path].map(([date, p]) => [date, p.balance.toString(), p.residual.toString()] as const),
    };
  }

  /** An accumulator from `toJSON()`'s state, with the settings it was built with. */
  static fromJSON(state: ComputePoolState, settings: ComputeSettings): ComputePoolAccumulator {
    if (state.version !== 'dmbs-compute-pool/1') throw new Error(`not a compute pool state: ${String(state.version)}`);
    return new ComputePoolAccumulator(settings).#mergeState(state);
  }

  #mergeState(s: ComputePoolState): this {
    if (s.reportingDate !== null) this.#takeReportingDate(s.reportingDate);
    this.#evaluated += s.evaluatedCount;
    this.#eligible += s.eligibleCount;
    for (const [id, n] of Object.entries(s.failures)) this.#failures.set(id, (this.#failures.get(id) ?? 0) + n);
    this.#balance += BigInt(s.balanceCents);
    this.#revenue += BigInt(s.revenueCents);
    this.#pv += BigInt(s.pvContractedFixed);
    this.#residualNow += BigInt(s.residualNowFixed);
    this.#ageWeighted += BigInt(s.ageWeightedCents);
    for (const [key, name, row, cents, revenue] of s.customerGroups) {
      const g = addTo(this.#customers, key, name, row, BigInt(cents));
      for (const [rating, c] of revenue) g.revenueByRating.set(rating, (g.revenueByRating.get(rating) ?? 0n) + BigInt(c));
    }
    for (const [key, name, row, cents] of s.models) addTo(this.#models, key, name, row, BigInt(cents));
    for (const [key, name, row, cents] of s.sites) addTo(this.#sites, key, name, row, BigInt(cents));
    for (const [key, cents] of s.largestLots) this.#offerLargest({ key, cents: BigInt(cents) });
    for (const [date, balance, residual] of s.path) this.#addPoint(date, BigInt(balance), BigInt(residual));
    return this;
  }

  #takeReportingDate(date: string): void {
    if (this.#reportingDate === null) this.#reportingDate = date;
    else if (this.#reportingDate !== date) throw new Error(`lots of two reporting dates in one pool: ${this.#reportingDate} and ${date}`);
  }

  #addPoint(date: string, balance: bigint, residual: bigint): void {
    const p = this.#path.get(date);
    if (p) {
      p.balance += balance;
      p.residual += residual;
    } else this.#path.set(date, { balance, residual });
  }

  #offerLargest(lot: ComputeGroupTotal): void {
    if (this.#largest.length === LARGEST_LOTS && byCentsThenKey(lot, this.#largest[LARGEST_LOTS - 1]!) >= 0) return;
    this.#largest = [...this.#largest, lot].sort(byCentsThenKey).slice(0, LARGEST_LOTS);
  }
}

/**
 * A state whose rows counted from a part of the tape made rows of the whole tape (`offset` rows
 * came before the part): the rows that name groups; a lot added without a row keeps none.
 */
export function withRowOffset(state: ComputePoolState, offset: number): ComputePoolState {
  if (offset === 0) return state;
  const shift = (row: number) => (row === NO_ROW ? row : row + offset);
  return {
    ...state,
    customerGroups: state.customerGroups.map(([key, name, row, cents, revenue]) => [key, name, shift(row), cents, revenue] as const),
    models: state.models.map(([key, name, row, cents]) => [key, name, shift(row), cents] as const),
    sites: state.sites.map(([key, name, row, cents]) => [key, name, shift(row), cents] as const),
  };
}

/** Adds cents to a group; the name kept is the one of the lowest row (ties: the smaller text), whatever the order of adding. */
function addTo(groups: Map<string, Group>, key: string, name: string, row: number, cents: bigint): Group {
  const g = groups.get(key);
  if (!g) {
    const created: Group = { name, row, cents, revenueByRating: new Map() };
    groups.set(key, created);
    return created;
  }
  g.cents += cents;
  if (row < g.row || (row === g.row && name < g.name)) {
    g.name = name;
    g.row = row;
  }
  return g;
}

function totals(groups: Map<string, Group>): ComputeGroupTotal[] {
  return [...groups.values()].map((g) => ({ key: g.name, cents: g.cents })).sort(byCentsThenKey);
}
