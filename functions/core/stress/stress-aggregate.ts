/**
 * The stress lens's mergeable sums over the eligible pool, and the report section built from them.
 * Every sum is exact, so halves of a tape merged in any order give the same figures: a loan adds
 * integer cents to the bucket of its haircut and cap rate, and each bucket is multiplied by its
 * factor and divided by its rate once, when the section is written.
 */
import type { Decimal } from 'decimal.js';
import { Exact, ZERO, centsDecimal, formatFigure, toCents } from '../evaluation/exact.ts';
import { CentsSum } from '../evaluation/group-totals.ts';
import { groupKey } from '../evaluation/group-key.ts';
import type { DmbsLoan } from '../generated/loan-tape.ts';
import type { DmbsReport } from '../generated/report.ts';
import type { StressModel } from './stress-model.ts';

/** The fields of a loan the stress lens reads. */
export type StressLoan = Pick<DmbsLoan,
  'currentBalance' | 'underwrittenNcf' | 'appraisedValue' | 'annualDebtService' | 'largestTenantRating' | 'earlyTerminationRight' | 'constructionStatus' | 'market'>;

/** Per-loan stressed figures, as written in the loan results. */
export interface LoanStress {
  readonly stressedNcf: string;
  readonly stressedValue: string;
  readonly stressedLtv: string | null;
  readonly stressedDscr: string | null;
}

/** The report's `stress` section (schemas/dmbs-report.v1.schema.json). */
export type StressSection = NonNullable<DmbsReport['stress']>;

/**
 * The sums as JSON (decimal strings): what one range or step hands to the next. Non-negative
 * underwritten NCF is summed in cents per bucket (one haircut factor 1 − h and one cap rate), so
 * each loan costs integer additions only; the factor and rate multiply each bucket once when written.
 */
export interface StressAggregateState {
  readonly loanCount: number;
  readonly balanceCents: string;
  readonly ncfCents: string;
  readonly appraisedCents: string;
  readonly debtServiceCents: string;
  /** Σ underwrittenNcf of the loans whose NCF is negative (taken as it is: no haircut, no value). */
  readonly negativeNcfCents: string;
  /** [factor 1 − h, cap rate, Σ non-negative underwrittenNcf in cents], buckets with loans only. */
  readonly buckets: ReadonlyArray<readonly [factor: string, capRate: string, ncfCents: string]>;
}

const INVESTMENT_GRADE = new Set(['AAA', 'AA+', 'AA', 'AA-', 'A+', 'A', 'A-', 'BBB+', 'BBB', 'BBB-']);
const ONE = new Exact(1);

/** Money (a Decimal amount) written with 2 decimals, half-even; never "-0.00". */
export function formatMoneyDecimal(value: Decimal): string {
  const text = value.toFixed(2, Exact.ROUND_HALF_EVEN);
  return text === '-0.00' ? '0.00' : text;
}

/** The haircut of one loan: min(max, base + the adds that apply). */
export function loanHaircut(loan: StressLoan, model: StressModel): Decimal {
  const h = model.ncfHaircut;
  let haircut = h.base;
  if (!INVESTMENT_GRADE.has(loan.largestTenantRating)) haircut = haircut.plus(h.addIfTenantBelowInvestmentGrade);
  if (loan.earlyTerminationRight === true) haircut = haircut.plus(h.addIfEarlyTerminationRight);
  if (loan.constructionStatus !== 'OPERATIONAL') haircut = haircut.plus(h.addIfNotOperational);
  return Exact.min(h.max, haircut);
}

/** The stressed cap rate of a loan's market. */
export function loanCapRate(loan: StressLoan, model: StressModel): Decimal {
  const add = model.capRate.marketAdd.size === 0 ? undefined : model.capRate.marketAdd.get(groupKey(loan.market));
  return add === undefined ? model.capRate.base : model.capRate.base.plus(add);
}

/** Stressed NCF of a loan: a negative underwrittenNcf is taken as it is (no haircut). */
function stressedNcfOf(loan: StressLoan, model: StressModel): Decimal {
  const ncf = centsDecimal(toCents(loan.underwrittenNcf)).div(100);
  return ncf.isNegative() ? ncf : ncf.times(ONE.minus(loanHaircut(loan, model)));
}

/** The per-loan figures of the loan results: the stressed figures of an eligible loan, nulls for the others. */
export type LoanStressFields = { readonly [K in keyof LoanStress]: LoanStress[K] | null };

const NO_STRESS: LoanStressFields = Object.freeze({ stressedNcf: null, stressedValue: null, stressedLtv: null, stressedDscr: null });

/**
 * A loan's stressed figures (for the loan results; the pool sums do not need them).
 * @example loanStress(loan, loadStressModel()) // { stressedNcf: '10200000.00', stressedValue: '120000000.00', stressedLtv: '0.833333', stressedDscr: '1.275000' }
 */
export function loanStress(loan: StressLoan, model: StressModel): LoanStress {
  const stressedNcf = stressedNcfOf(loan, model);
  const stressedValue = (stressedNcf.isNegative() ? ZERO : stressedNcf).div(loanCapRate(loan, model));
  const balance = centsDecimal(toCents(loan.currentBalance)).div(100);
  const debtServiceCents = toCents(loan.annualDebtService);
  return {
    stressedNcf: formatMoneyDecimal(stressedNcf),
    stressedValue: formatMoneyDecimal(stressedValue),
    stressedLtv: stressedValue.isZero() ? null : formatFigure(balance.div(stressedValue)),
    stressedDscr: debtServiceCents === 0n ? null : formatFigure(stressedNcf.div(centsDecimal(debtServiceCents).div(100))),
  };
}

/** {@link loanStress} for an eligible loan, nulls for an ineligible one (the loan results' four fields). */
export function loanStressFields(loan: StressLoan, model: StressModel, eligible: boolean): LoanStressFields {
  return eligible ? loanStress(loan, model) : NO_STRESS;
}

/** Integer cents of a money value (≤ 2 decimals, ≤ 15 significant digits: exact, a safe integer). */
const centsOf = (amount: number): number => Math.round(amount * 100);

/** The buckets of a model: haircut factor by the three flags (8 combinations) × cap rates. */
interface Buckets {
  readonly factors: readonly Decimal[];
  readonly rates: readonly Decimal[];
  /** Normalised market key -> index in `rates` (0 = base). */
  readonly rateOfKey: ReadonlyMap<string, number>;
}

const bucketsOfModel = new WeakMap<StressModel, Buckets>();

function bucketsOf(model: StressModel): Buckets {
  let b = bucketsOfModel.get(model);
  if (b) return b;
  const h = model.ncfHaircut;
  const factors: Decimal[] = [];
  for (let flags = 0; flags < 8; flags++) {
    let haircut = h.base;
    if (flags & 1) haircut = haircut.plus(h.addIfTenantBelowInvestmentGrade);
    if (flags & 2) haircut = haircut.plus(h.addIfEarlyTerminationRight);
    if (flags & 4) haircut = haircut.plus(h.addIfNotOperational);
    factors.push(ONE.minus(Exact.min(h.max, haircut)));
  }
  const rates = [model.capRate.base];
  const rateOfKey = new Map<string, number>();
  for (const [key, add] of model.capRate.marketAdd) {
    rateOfKey.set(key, rates.length);
    rates.push(model.capRate.base.plus(add));
  }
  bucketsOfModel.set(model, (b = { factors, rates, rateOfKey }));
  return b;
}

/** Accumulates eligible loans; merges with another over the same model. */
export class StressAggregate {
  readonly model: StressModel;
  readonly #buckets: Buckets;
  /** Market text as written -> rate index (markets repeat: normalised once each). */
  readonly #rateOfMarket = new Map<string, number>();
  #loanCount = 0;
  #balance = new CentsSum();
  #ncf = new CentsSum();
  #appraised = new CentsSum();
  #debtService = new CentsSum();
  #negativeNcf = new CentsSum();
  /** Σ non-negative NCF cents, by flags * rates.length + rate index. */
  readonly #byBucket: CentsSum[];

  constructor(model: StressModel) {
    this.model = model;
    this.#buckets = bucketsOf(model);
    this.#byBucket = Array.from({ length: 8 * this.#buckets.rates.length }, () => new CentsSum());
  }

  /** Adds one eligible loan (integer additions only; {@link loanStress} gives its figures). */
  add(loan: StressLoan): void {
    this.#loanCount++;
    this.#balance.add(centsOf(loan.currentBalance));
    this.#appraised.add(centsOf(loan.appraisedValue));
    this.#debtService.add(centsOf(loan.annualDebtService));
    const ncf = centsOf(loan.underwrittenNcf);
    this.#ncf.add(ncf);
    if (ncf < 0) {
      this.#negativeNcf.add(ncf);
      return;
    }
    const flags = (INVESTMENT_GRADE.has(loan.largestTenantRating) ? 0 : 1)
      | (loan.earlyTerminationRight === true ? 2 : 0)
      | (loan.constructionStatus === 'OPERATIONAL' ? 0 : 4);
    this.#byBucket[flags * this.#buckets.rates.length + this.#rateIndex(loan.market)]!.add(ncf);
  }

  #rateIndex(market: string): number {
    if (this.#buckets.rates.length === 1) return 0;
    let index = this.#rateOfMarket.get(market);
    if (index === undefined) this.#rateOfMarket.set(market, (index = this.#buckets.rateOfKey.get(groupKey(market)) ?? 0));
    return index;
  }

  /** Adds another aggregate's sums (a range of the same tape, over the same model). */
  merge(other: StressAggregate): this {
    if (other.#byBucket.length !== this.#byBucket.length) throw new Error('StressAggregate.merge: aggregates were built with different stress models');
    this.#loanCount += other.#loanCount;
    this.#balance.merge(other.#balance);
    this.#ncf.merge(other.#ncf);
    this.#appraised.merge(other.#appraised);
    this.#debtService.merge(other.#debtService);
    this.#negativeNcf.merge(other.#negativeNcf);
    other.#byBucket.forEach((sum, i) => this.#byBucket[i]!.merge(sum));
    return this;
  }

  toJSON(): StressAggregateState {
    const { factors, rates } = this.#buckets;
    const buckets: Array<[string, string, string]> = [];
    this.#byBucket.forEach((sum, i) => {
      const cents = sum.value();
      if (cents !== 0n) buckets.push([factors[Math.floor(i / rates.length)]!.toString(), rates[i % rates.length]!.toString(), cents.toString()]);
    });
    return {
      loanCount: this.#loanCount,
      balanceCents: this.#balance.value().toString(),
      ncfCents: this.#ncf.value().toString(),
      appraisedCents: this.#appraised.value().toString(),
      debtServiceCents: this.#debtService.value().toString(),
      negativeNcfCents: this.#negativeNcf.value().toString(),
      buckets,
    };
  }

  /** An aggregate from {@link toJSON} state; `model` must be the one it was built with. */
  static fromJSON(state: StressAggregateState, model: StressModel): StressAggregate {
    const agg = new StressAggregate(model);
    agg.#loanCount = state.loanCount;
    agg.#balance = CentsSum.of(BigInt(state.balanceCents));
    agg.#ncf = CentsSum.of(BigInt(state.ncfCents));
    agg.#appraised = CentsSum.of(BigInt(state.appraisedCents));
    agg.#debtService = CentsSum.of(BigInt(state.debtServiceCents));
    agg.#negativeNcf = CentsSum.of(BigInt(state.negativeNcfCents));
    const { factors, rates } = agg.#buckets;
    for (const [factor, rate, cents] of state.buckets) {
      const f = factors.findIndex((x) => x.eq(factor));
      const r = rates.findIndex((x) => x.eq(rate));
      if (f < 0 || r < 0) throw new Error(`StressAggregate.fromJSON: bucket ${factor} @ ${rate} is not one of the model's`);
      agg.#byBucket[f * rates.length + r]!.addBig(BigInt(cents));
    }
    return agg;
  }

  /** The report's `stress` section. */
  section(): StressSection {
    const model = this.model;
    const empty = this.#loanCount === 0;
    const { factors, rates } = this.#buckets;
    const dollars = (cents: bigint) => centsDecimal(cents).div(100);
    const b = dollars(this.#balance.value());
    const ncf = dollars(this.#ncf.value());
    const av = dollars(this.#appraised.value());
    const ds = dollars(this.#debtService.value());
    // Per rate: Σ factor × NCF (exact), then one division by the rate.
    let sncf = dollars(this.#negativeNcf.value());
    let sv = ZERO;
    rates.forEach((rate, r) => {
      let atRate = ZERO;
      factors.forEach((factor, f) => {
        const cents = this.#byBucket[f * rates.length + r]!.value();
        if (cents !== 0n) atRate = atRate.plus(factor.times(dollars(cents)));
      });
      sncf = sncf.plus(atRate);
      sv = sv.plus(atRate.div(rate));
    });
    const ratio = (num: Decimal, den: Decimal) => (empty || den.isZero() ? null : num.div(den));
    const figure = (d: Decimal | null) => (d === null ? null : formatFigure(d));
    const haircut = (d: Decimal | null) => (d === null ? null : formatFigure(ONE.minus(d)));
    const cumulative = (s: Decimal) => ratio(s.times(b), sv);
    return {
      model: { id: model.id, version: model.version },
      pool: {
        underwrittenNcf: empty ? null : formatMoneyDecimal(ncf),
        appraisedValue: empty ? null : formatMoneyDecimal(av),
        stressedNcf: empty ? null : formatMoneyDecimal(sncf),
        stressedValue: empty ? null : formatMoneyDecimal(sv),
        ncfHaircut: haircut(ratio(sncf, ncf)),
        valueHaircutToAppraisal: haircut(ratio(sv, av)),
        stressedLtv: figure(ratio(b, sv)),
        stressedDscr: figure(ratio(sncf, ds)),
        stressedDebtYield: figure(ratio(sncf, b)),
      },
      creditEnhancement: model.ratingLevels.map((level) => {
        const maxBalance = empty ? null : Exact.min(b, level.maxStressedLtv.times(sv));
        return {
          rating: level.rating,
          maxStressedLtv: formatFigure(level.maxStressedLtv),
          maxBalance: maxBalance === null ? null : formatMoneyDecimal(maxBalance),
          creditEnhancement: maxBalance === null || b.isZero() ? null : formatFigure(ONE.minus(maxBalance.div(b))),
        };
      }),
      tranches: trancheTable(model, cumulative),
    };
  }
}

function trancheTable(model: StressModel, cumulative: (share: Decimal) => Decimal | null): StressSection['tranches'] {
  let before = ZERO;
  return model.tranches.map((t) => {
    const through = before.plus(t.share);
    const ltv = cumulative(through);
    const level = ltv === null ? undefined : model.ratingLevels.find((l) => l.maxStressedLtv.gte(ltv));
    const row = {
      name: t.name,
      share: formatFigure(t.share),
      attachment: formatFigure(ONE.minus(through)),
      detachment: formatFigure(ONE.minus(before)),
      cumulativeStressedLtv: ltv === null ? null : formatFigure(ltv),
      impliedRating: level?.rating ?? 'not rated',
    };
    before = through;
    return row;
  });
}
