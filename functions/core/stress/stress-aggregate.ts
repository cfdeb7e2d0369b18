/**
 * The stress lens's mergeable sums over the eligible pool, and the report section built from them.
 * Every sum is exact, so halves of a tape merged in any order give the same figures: a loan adds
 * integer cents to the bucket of its haircut flags and market, and each bucket is multiplied by its
 * factor and divided by its cap rate once, when the section is written — under the deal's model or
 * any other (the what-if route), without reading a loan again.
 */
import type { Decimal } from 'decimal.js';
import { Exact, ZERO, centsDecimal, formatFigure, formatMoney } from '../evaluation/exact.ts';
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
 * underwritten NCF is summed in cents per bucket (the loan's haircut flags and market key), so each
 * loan costs integer additions only and any model applies to the sums afterwards.
 */
export interface StressAggregateState {
  readonly loanCount: number;
  readonly balanceCents: string;
  readonly ncfCents: string;
  readonly appraisedCents: string;
  readonly debtServiceCents: string;
  /** Σ underwrittenNcf of the loans whose NCF is negative (taken as it is: no haircut, no value). */
  readonly negativeNcfCents: string;
  /** [flags (1 tenant below investment grade, 2 early termination right, 4 not operational), market key, Σ non-negative underwrittenNcf in cents]. */
  readonly buckets: ReadonlyArray<readonly [flags: number, market: string, ncfCents: string]>;
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
  return haircutsOf(model)[flagsOf(loan)]!;
}

/** The stressed cap rate of a loan's market. */
export function loanCapRate(loan: StressLoan, model: StressModel): Decimal {
  const add = model.capRate.marketAdd.size === 0 ? undefined : model.capRate.marketAdd.get(groupKey(loan.market));
  return add === undefined ? model.capRate.base : model.capRate.base.plus(add);
}

/** The per-loan figures of the loan results: the stressed figures of an eligible loan, nulls for the others. */
export type LoanStressFields = { readonly [K in keyof LoanStress]: LoanStress[K] | null };

const NO_STRESS: LoanStressFields = Object.freeze({ stressedNcf: null, stressedValue: null, stressedLtv: null, stressedDscr: null });

/**
 * A loan's stressed figures (for the loan results; the pool sums do not need them). Each figure is
 * an exact fraction of integers (cents, and the model's decimals as integer ratios) rounded once,
 * half-even, as it is written — the same figures as decimal arithmetic, at a fraction of its cost
 * (it runs for every eligible loan of the tape).
 * @example loanStress(loan, loadStressModel()) // { stressedNcf: '10200000.00', stressedValue: '120000000.00', stressedLtv: '0.833333', stressedDscr: '1.275000' }
 */
export function loanStress(loan: StressLoan, model: StressModel): LoanStress {
  const ncf = BigInt(centsOf(loan.underwrittenNcf));
  const fractions = fractionsOf(model);
  // a negative NCF is taken as it is: factor 1
  const [fN, fD] = ncf < 0n ? [1n, 1n] : fractions.factors[flagsOf(loan)]!;
  const [rN, rD] = fractions.rateOf(loan.market);
  // stressed value in cents = max(0, ncf × fN / fD) / (rN / rD)
  const svNum = ncf * fN * rD;
  const svDen = fD * rN;
  const debtService = BigInt(centsOf(loan.annualDebtService));
  return {
    stressedNcf: formatMoney(divideHalfEven(ncf * fN, fD)),
    stressedValue: svNum > 0n ? formatMoney(divideHalfEven(svNum, svDen)) : '0.00',
    stressedLtv: svNum > 0n ? formatMicros(divideHalfEven(BigInt(centsOf(loan.currentBalance)) * svDen * MICRO, svNum)) : null,
    stressedDscr: debtService === 0n ? null : formatMicros(divideHalfEven(ncf * fN * MICRO, fD * debtService)),
  };
}

const MICRO = 1_000_000n;

/** p / q rounded half-even to an integer, exactly. */
function divideHalfEven(p: bigint, q: bigint): bigint {
  if (q < 0n) return divideHalfEven(-p, -q);
  let n = p / q;
  const r = p % q;
  const twice = 2n * (r < 0n ? -r : r);
  if (twice > q || (twice === q && (n & 1n) !== 0n)) n += p < 0n ? -1n : 1n;
  return n;
}

/** Millionths as a figure with 6 decimals: 833333n -> "0.833333". */
function formatMicros(micros: bigint): string {
  const negative = micros < 0n;
  const abs = negative ? -micros : micros;
  return `${negative ? '-' : ''}${abs / MICRO}.${String(abs % MICRO).padStart(6, '0')}`;
}

/** A decimal as an integer ratio: 0.085 -> [85n, 1000n]. */
function ratioOf(d: Decimal): [bigint, bigint] {
  const places = d.decimalPlaces();
  return [BigInt(d.times(new Exact(10).pow(places)).toFixed(0)), 10n ** BigInt(places)];
}

/** Per model: the factor 1 − h of each set of flags, and each market's cap rate, as integer ratios. */
const fractionsByModel = new WeakMap<StressModel, { factors: ReadonlyArray<[bigint, bigint]>; rateOf: (market: string) => [bigint, bigint] }>();

function fractionsOf(model: StressModel) {
  let fractions = fractionsByModel.get(model);
  if (fractions) return fractions;
  const base = ratioOf(model.capRate.base);
  const byMarket = new Map<string, [bigint, bigint]>();
  const rateOf = (market: string): [bigint, bigint] => {
    if (model.capRate.marketAdd.size === 0) return base;
    let rate = byMarket.get(market);
    if (!rate) byMarket.set(market, (rate = ratioOf(loanCapRate({ market } as StressLoan, model))));
    return rate;
  };
  fractionsByModel.set(model, (fractions = { factors: factorsOf(model).map(ratioOf), rateOf }));
  return fractions;
}

/** {@link loanStress} for an eligible loan, nulls for an ineligible one (the loan results' four fields). */
export function loanStressFields(loan: StressLoan, model: StressModel, eligible: boolean): LoanStressFields {
  return eligible ? loanStress(loan, model) : NO_STRESS;
}

/** Integer cents of a money value (≤ 2 decimals, ≤ 15 significant digits: exact, a safe integer). */
const centsOf = (amount: number): number => Math.round(amount * 100);

/** Bits of a loan's haircut adds: tenant below investment grade, early termination right, not operational. */
const BELOW_IG = 1;
const EARLY_TERMINATION = 2;
const NOT_OPERATIONAL = 4;
const FLAG_SETS = 8;

/** Which haircut adds apply to a loan (ND codes and blanks of earlyTerminationRight read as false). */
function flagsOf(loan: StressLoan): number {
  return (INVESTMENT_GRADE.has(loan.largestTenantRating) ? 0 : BELOW_IG)
    | (loan.earlyTerminationRight === true ? EARLY_TERMINATION : 0)
    | (loan.constructionStatus === 'OPERATIONAL' ? 0 : NOT_OPERATIONAL);
}

/** A model's haircut h and factor 1 − h for each set of flags, computed once per model. */
const byModel = new WeakMap<StressModel, { haircuts: readonly Decimal[]; factors: readonly Decimal[] }>();

function haircutTable(model: StressModel): { haircuts: readonly Decimal[]; factors: readonly Decimal[] } {
  let table = byModel.get(model);
  if (table) return table;
  const h = model.ncfHaircut;
  const haircuts: Decimal[] = [];
  for (let flags = 0; flags < FLAG_SETS; flags++) {
    let haircut = h.base;
    if (flags & BELOW_IG) haircut = haircut.plus(h.addIfTenantBelowInvestmentGrade);
    if (flags & EARLY_TERMINATION) haircut = haircut.plus(h.addIfEarlyTerminationRight);
    if (flags & NOT_OPERATIONAL) haircut = haircut.plus(h.addIfNotOperational);
    haircuts.push(Exact.min(h.max, haircut));
  }
  byModel.set(model, (table = { haircuts, factors: haircuts.map((x) => ONE.minus(x)) }));
  return table;
}

const haircutsOf = (model: StressModel) => haircutTable(model).haircuts;
const factorsOf = (model: StressModel) => haircutTable(model).factors;

/**
 * Accumulates eligible loans. The sums do not depend on the model: non-negative NCF is summed by
 * the loan's haircut flags and market key (as C05's), so the section of any model — the deal's, or
 * a what-if — follows from them exactly ({@link section}); merges with another in any order.
 */
export class StressAggregate {
  readonly model: StressModel;
  /** Market text as written -> index in #markets (markets repeat: normalised once each). */
  readonly #marketOf = new Map<string, number>();
  /** Normalised market key -> index in #markets. */
  readonly #keyIndex = new Map<string, number>();
  readonly #markets: string[] = [];
  /** Σ non-negative NCF cents by market index * FLAG_SETS + flags. */
  readonly #byBucket: CentsSum[] = [];
  #loanCount = 0;
  #balance = new CentsSum();
  #ncf = new CentsSum();
  #appraised = new CentsSum();
  #debtService = new CentsSum();
  #negativeNcf = new CentsSum();

  /** @param model the model {@link section} uses unless given another. */
  constructor(model: StressModel) {
    this.model = model;
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
    let market = this.#marketOf.get(loan.market);
    if (market === undefined) this.#marketOf.set(loan.market, (market = this.#marketIndex(groupKey(loan.market))));
    this.#byBucket[market * FLAG_SETS + flagsOf(loan)]!.add(ncf);
  }

  #marketIndex(key: string): number {
    let index = this.#keyIndex.get(key);
    if (index === undefined) {
      this.#keyIndex.set(key, (index = this.#markets.length));
      this.#markets.push(key);
      for (let f = 0; f < FLAG_SETS; f++) this.#byBucket.push(new CentsSum());
    }
    return index;
  }

  /** Adds another aggregate's sums (another part of the same tape). */
  merge(other: StressAggregate): this {
    this.#loanCount += other.#loanCount;
    this.#balance.merge(other.#balance);
    this.#ncf.merge(other.#ncf);
    this.#appraised.merge(other.#appraised);
    this.#debtService.merge(other.#debtService);
    this.#negativeNcf.merge(other.#negativeNcf);
    other.#markets.forEach((key, m) => {
      const into = this.#marketIndex(key) * FLAG_SETS;
      for (let f = 0; f < FLAG_SETS; f++) this.#byBucket[into + f]!.merge(other.#byBucket[m * FLAG_SETS + f]!);
    });
    return this;
  }

  toJSON(): StressAggregateState {
    const buckets: Array<[number, string, string]> = [];
    this.#byBucket.forEach((sum, i) => {
      const cents = sum.value();
      if (cents !== 0n) buckets.push([i % FLAG_SETS, this.#markets[Math.floor(i / FLAG_SETS)]!, cents.toString()]);
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

  /** An aggregate from {@link toJSON} state (of any model: the sums do not depend on it). */
  static fromJSON(state: StressAggregateState, model: StressModel): StressAggregate {
    const agg = new StressAggregate(model);
    agg.#loanCount = state.loanCount;
    agg.#balance = CentsSum.of(BigInt(state.balanceCents));
    agg.#ncf = CentsSum.of(BigInt(state.ncfCents));
    agg.#appraised = CentsSum.of(BigInt(state.appraisedCents));
    agg.#debtService = CentsSum.of(BigInt(state.debtServiceCents));
    agg.#negativeNcf = CentsSum.of(BigInt(state.negativeNcfCents));
    for (const [flags, market, cents] of state.buckets) agg.#byBucket[agg.#marketIndex(market) * FLAG_SETS + flags]!.addBig(BigInt(cents));
    return agg;
  }

  /**
   * The report's `stress` section under `model` (default: the aggregate's own). A what-if is this
   * with another model: nothing is read again.
   */
  section(model: StressModel = this.model): StressSection {
    const empty = this.#loanCount === 0;
    const factors = factorsOf(model);
    const dollars = (cents: bigint) => centsDecimal(cents).div(100);
    const b = dollars(this.#balance.value());
    const ncf = dollars(this.#ncf.value());
    const av = dollars(this.#appraised.value());
    const ds = dollars(this.#debtService.value());
    // Per cap rate: Σ factor × NCF (exact), then one division by the rate.
    const atRate = new Map<string, { rate: Decimal; sum: Decimal }>();
    let sncf = dollars(this.#negativeNcf.value());
    this.#markets.forEach((key, m) => {
      const add = model.capRate.marketAdd.get(key);
      const rate = add === undefined ? model.capRate.base : model.capRate.base.plus(add);
      let sum = ZERO;
      for (let f = 0; f < FLAG_SETS; f++) {
        const cents = this.#byBucket[m * FLAG_SETS + f]!.value();
        if (cents !== 0n) sum = sum.plus(factors[f]!.times(dollars(cents)));
      }
      sncf = sncf.plus(sum);
      const entry = atRate.get(rate.toString());
      if (entry) entry.sum = entry.sum.plus(sum);
      else atRate.set(rate.toString(), { rate, sum });
    });
    const sv = [...atRate.values()].reduce((total, { rate, sum }) => total.plus(sum.div(rate)), ZERO);
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
