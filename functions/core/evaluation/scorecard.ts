/**
 * The indicative pool score (the DMBS standard, "Scorecard"; not a credit rating). Factors, point
 * mappings, weights, bands, rating factors and the investment-grade list are data in
 * schemas/score-model.json; this file only computes each factor's metric and interpolates.
 */
import type { Decimal } from 'decimal.js';
import scoreModelJson from '../../../schemas/score-model.json' with { type: 'json' };
import type { DmbsReport } from '../generated/report.ts';
import type { Factor, ScoreModel } from '../generated/score-model.ts';
import { Exact, ZERO, centsDecimal, formatFigure } from './exact.ts';
import type { PoolAggregate } from './pool-accumulator.ts';
import { poolMetrics, shareOf } from './pool-metrics.ts';

/** The published score model. */
export const SCORE_MODEL = scoreModelJson as unknown as ScoreModel; // validated against score-model.schema.json by the unit tests

type Metric = Factor['metric'];

/** One factor's exact outcome. */
export interface FactorOutcome {
  readonly name: string;
  readonly metric: Metric;
  readonly value: Decimal | null;
  readonly points: Decimal;
  readonly weight: Decimal;
}

/** The exact score. */
export interface ScoreOutcome {
  readonly points: Decimal;
  readonly band: string;
  readonly factors: readonly FactorOutcome[];
}

/**
 * Points of a value on a factor's breakpoints: linear between neighbours, flat outside.
 * @example interpolate(new Exact(0.65), [{ at: 0.6, points: 85 }, { at: 0.7, points: 60 }]) // 72.5
 */
export function interpolate(value: Decimal, breakpoints: Factor['breakpoints']): Decimal {
  const first = breakpoints[0];
  if (value.lte(first.at)) return new Exact(first.points);
  for (let i = 1; i < breakpoints.length; i++) {
    const hi = breakpoints[i]!;
    if (value.lte(hi.at)) {
      const lo = breakpoints[i - 1]!;
      const span = new Exact(hi.at).minus(lo.at);
      return new Exact(lo.points).plus(new Exact(hi.points).minus(lo.points).times(value.minus(lo.at)).div(span));
    }
  }
  return new Exact(breakpoints[breakpoints.length - 1]!.points);
}

/** The value of every metric of the model on a pool with a positive balance. */
function metricValues(pool: PoolAggregate, dataQualityScore: string, model: ScoreModel): Record<Metric, Decimal | null> | null {
  const m = poolMetrics(pool);
  if (!m) return null;
  const investmentGrade = new Set(model.investmentGrade);
  let igCents = 0n;
  let ratingFactorSum = ZERO;
  for (const [rating, cents] of pool.balanceByRating) {
    if (investmentGrade.has(rating)) igCents += cents;
    const factor = model.ratingFactors[rating];
    if (factor === undefined) throw new Error(`score model has no rating factor for ${rating}`);
    ratingFactorSum = ratingFactorSum.plus(centsDecimal(cents).times(factor));
  }
  return {
    waLtv: m.waLtv,
    waDscr: m.waDscr,
    investmentGradeShare: shareOf(igCents, pool),
    waRatingFactor: ratingFactorSum.div(centsDecimal(pool.balanceCents)),
    effectiveLoanCount: m.effectiveLoanCount,
    largestTenantGroupShare: m.largestTenantGroupShare,
    leaseToLoanTermRatio: m.waRemainingLoanTermMonths.gt(0) ? m.waRemainingLeaseTermMonths.div(m.waRemainingLoanTermMonths) : null,
    notOperationalShare: m.notOperationalShare,
    dataQualityScore: new Exact(dataQualityScore),
  };
}

/**
 * Scores a pool: each factor's metric mapped to points, the weighted sum, and its band. Without an
 * eligible pool: points 0, band `emptyPoolBand`, every value null.
 */
export function scorePool(pool: PoolAggregate, dataQualityScore: string, model: ScoreModel = SCORE_MODEL): ScoreOutcome {
  const values = metricValues(pool, dataQualityScore, model);
  const factors = model.factors.map((f): FactorOutcome => {
    const value = values ? values[f.metric] : null;
    return { name: f.name, metric: f.metric, value, points: value === null ? ZERO : interpolate(value, f.breakpoints), weight: new Exact(f.weight) };
  });
  if (!values) return { points: ZERO, band: model.emptyPoolBand, factors };
  const points = factors.reduce((sum, f) => sum.plus(f.weight.times(f.points)), ZERO);
  const bands = [...model.bands].sort((a, b) => b.min - a.min);
  const band = bands.find((b) => points.gte(b.min)) ?? bands[bands.length - 1]!;
  return { points, band: band.band, factors };
}

/** The report's `score` section. */
export function buildScoreSection(pool: PoolAggregate, dataQualityScore: string, model: ScoreModel = SCORE_MODEL): NonNullable<DmbsReport['score']> {
  const score = scorePool(pool, dataQualityScore, model);
  return {
    model: model.version,
    points: formatFigure(score.points),
    band: score.band,
    factors: score.factors.map((f) => ({
      name: f.name,
      metric: f.metric,
      value: f.value === null ? null : formatFigure(f.value),
      points: formatFigure(f.points),
      weight: formatFigure(f.weight),
    })),
  };
}
