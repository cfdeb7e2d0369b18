/**
 * The stress lens's mergeable sums over the eligible pool, and the report section built from them.
 * Every sum is exact, so halves of a tape merged in any order give the same figures: stressed
 * value is kept as the stressed NCF summed per cap rate and divided once per rate when written.
 */
import type { Decimal } from 'decimal.js';
import { Exact, ZERO, centsDecimal, formatFigure, toCents } from '../evaluation/exact.ts';
import { groupKey } from '../evaluation/group-key.ts';
import type { DmbsLoan } from '../generated/loan-tape.ts';
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

/** The report's `stress` section. */
export interface StressSection {
  readonly model: { readonly id: string; readonly version: string };
  readonly pool: {
    readonly stressedNcf: string | null;
    readonly stressedValue: string | null;
    readonly ncfHaircut: string | null;
    readonly valueHaircutToAppraisal: string | null;
    readonly stressedLtv: string | null;
    readonly stressedDscr: string | null;
    readonly stressedDebtYield: string | null;
  };
  readonly creditEnhancement: ReadonlyArray<{ readonly rating: string; readonly maxStressedLtv: string; readonly maxBalance: string | null; readonly creditEnhancement: string | null }>;
  readonly tranches: ReadonlyArray<{ readonly name: string; readonly share: string; readonly attachment: string; readonly detachment: string; readonly cumulativeStressedLtv: string | null; readonly impliedRating: string }>;
}

/** The sums as JSON (decimal strings): what one range or step hands to the next. */
export interface StressAggregateState {
  readonly loanCount: number;
  readonly balanceCents: string;
  readonly ncfCents: string;
  readonly appraisedCents: string;
  readonly debtServiceCents: string;
  readonly stressedNcf: string;
  /** Cap rate (decimal text) -> Σ max(0, stressed NCF) of the loans at that rate. */
  readonly positiveStressedNcfByCapRate: Readonly<Record<string, string>>;
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

/** Accumulates eligible loans; merges with another over the same model. */
export class StressAggregate {
  readonly #model: StressModel;
  #loanCount = 0;
  #balanceCents = 0n;
  #ncfCents = 0n;
  #appraisedCents = 0n;
  #debtServiceCents = 0n;
  #stressedNcf: Decimal = ZERO;
  readonly #byCapRate = new Map<string, { rate: Decimal; sum: Decimal }>();

  constructor(model: StressModel) {
    this.#model = model;
  }

  /** Adds one eligible loan; returns its stressed figures. */
  add(loan: StressLoan): LoanStress {
    const stressedNcf = stressedNcfOf(loan, this.#model);
    const rate = loanCapRate(loan, this.#model);
    const positive = stressedNcf.isNegative() ? ZERO : stressedNcf;
    this.#loanCount++;
    const balanceCents = toCents(loan.currentBalance);
    const debtServiceCents = toCents(loan.annualDebtService);
    this.#balanceCents += balanceCents;
    this.#ncfCents += toCents(loan.underwrittenNcf);
    this.#appraisedCents += toCents(loan.appraisedValue);
    this.#debtServiceCents += debtServiceCents;
    this.#stressedNcf = this.#stressedNcf.plus(stressedNcf);
    this.#addAtRate(rate, positive);
    const stressedValue = positive.div(rate);
    return {
      stressedNcf: formatMoneyDecimal(stressedNcf),
      stressedValue: formatMoneyDecimal(stressedValue),
      stressedLtv: stressedValue.isZero() ? null : formatFigure(centsDecimal(balanceCents).div(100).div(stressedValue)),
      stressedDscr: debtServiceCents === 0n ? null : formatFigure(stressedNcf.div(centsDecimal(debtServiceCents).div(100))),
    };
  }

  #addAtRate(rate: Decimal, amount: Decimal): void {
    const key = rate.toString();
    const entry = this.#byCapRate.get(key);
    if (entry) entry.sum = entry.sum.plus(amount);
    else this.#byCapRate.set(key, { rate, sum: amount });
  }

  /** Adds another aggregate's sums (a range of the same tape, over the same model). */
  merge(other: StressAggregate): this {
    this.#loanCount += other.#loanCount;
    this.#balanceCents += other.#balanceCents;
    this.#ncfCents += other.#ncfCents;
    this.#appraisedCents += other.#appraisedCents;
    this.#debtServiceCents += other.#debtServiceCents;
    this.#stressedNcf = this.#stressedNcf.plus(other.#stressedNcf);
    for (const { rate, sum } of other.#byCapRate.values()) this.#addAtRate(rate, sum);
    return this;
  }

  toJSON(): StressAggregateState {
    return {
      loanCount: this.#loanCount,
      balanceCents: this.#balanceCents.toString(),
      ncfCents: this.#ncfCents.toString(),
      appraisedCents: this.#appraisedCents.toString(),
      debtServiceCents: this.#debtServiceCents.toString(),
      stressedNcf: this.#stressedNcf.toString(),
      positiveStressedNcfByCapRate: Object.fromEntries([...this.#byCapRate].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => [k, v.sum.toString()])),
    };
  }

  static fromJSON(state: StressAggregateState, model: StressModel): StressAggregate {
    const agg = new StressAggregate(model);
    agg.#loanCount = state.loanCount;
    agg.#balanceCents = BigInt(state.balanceCents);
    agg.#ncfCents = BigInt(state.ncfCents);
    agg.#appraisedCents = BigInt(state.appraisedCents);
    agg.#debtServiceCents = BigInt(state.debtServiceCents);
    agg.#stressedNcf = new Exact(state.stressedNcf);
    for (const [rate, sum] of Object.entries(state.positiveStressedNcfByCapRate)) agg.#byCapRate.set(rate, { rate: new Exact(rate), sum: new Exact(sum) });
    return agg;
  }

  /** The report's `stress` section. */
  section(): StressSection {
    const model = this.#model;
    const empty = this.#loanCount === 0;
    const b = centsDecimal(this.#balanceCents).div(100);
    const ncf = centsDecimal(this.#ncfCents).div(100);
    const av = centsDecimal(this.#appraisedCents).div(100);
    const ds = centsDecimal(this.#debtServiceCents).div(100);
    const sv = [...this.#byCapRate.values()].reduce((total, { rate, sum }) => total.plus(sum.div(rate)), ZERO);
    const sncf = this.#stressedNcf;
    const ratio = (num: Decimal, den: Decimal) => (empty || den.isZero() ? null : num.div(den));
    const figure = (d: Decimal | null) => (d === null ? null : formatFigure(d));
    const haircut = (d: Decimal | null) => (d === null ? null : formatFigure(ONE.minus(d)));
    const cumulative = (s: Decimal) => ratio(s.times(b), sv);
    return {
      model: { id: model.id, version: model.version },
      pool: {
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
