/**
 * The compute kind's indicative score (not a credit rating): factors, breakpoints, weights, bands
 * and the investment-grade list are data in schemas/compute-score-model.json; this file computes
 * each factor's metric from the pool and its tests, and interpolates.
 */
import type { Decimal } from 'decimal.js';
import scoreModelJson from '../../../../schemas/compute-score-model.json' with { type: 'json' };
import { Exact, centsDecimal } from '../../evaluation/exact.ts';
import type { Factor as ComputeFactor, ComputeScoreModel } from '../../generated/compute-score-model.ts';
import type { ComputePoolAggregate } from './pool-accumulator.ts';
import { revenueShareAt, worstResidualLtv } from './pool-tests.ts';
import { linearAt } from './residual-curve.ts';

/** The published score model. */
export const COMPUTE_SCORE_MODEL = scoreModelJson as unknown as ComputeScoreModel; // validated against compute-score-model.schema.json by the unit tests

type Metric = ComputeFactor['metric'];

/** One factor's exact outcome. */
export interface ComputeFactorOutcome {
  readonly name: string;
  readonly metric: Metric;
  readonly value: Decimal | null;
  readonly points: Decimal;
  readonly weight: Decimal;
}

/** The exact score. */
export interface ComputeScoreOutcome {
  readonly points: Decimal;
  readonly band: string;
  readonly factors: readonly ComputeFactorOutcome[];
}

/** Every metric of the model on a pool with a positive balance (null where a denominator is 0). */
export function computeMetrics(pool: ComputePoolAggregate, model: ComputeScoreModel = COMPUTE_SCORE_MODEL): Record<Metric, Decimal | null> | null {
  if (pool.eligibleCount === 0 || pool.balanceCents === 0n) return null;
  const balance = centsDecimal(pool.balanceCents);
  const share = (cents: bigint) => centsDecimal(cents).div(balance);
  return {
    worstResidualLtv: worstResidualLtv(pool).actual,
    contractCoverage: pool.pvContractedCents.div(balance),
    investmentGradeRevenueShare: pool.revenueCents === 0n ? null : centsDecimal(revenueShareAt(pool, model.investmentGrade).part).div(centsDecimal(pool.revenueCents)),
    largestCustomerGroupShare: share(pool.customerGroups[0]!.cents),
    largestModelShare: share(pool.models[0]!.cents),
    waAgeMonths: share(pool.ageWeightedCents),
  };
}

/** Points of a value on a factor's breakpoints: linear between neighbours, flat outside. */
function pointsAt(value: Decimal, breakpoints: ComputeFactor['breakpoints']): Decimal {
  const v = linearAt(breakpoints.map((b) => [b.at, b.points] as const), value);
  return v.denominator === 1 ? v.numerator : v.numerator.div(v.denominator);
}

/**
 * Scores a pool: each factor's metric mapped to points (0 without a value), the weighted sum, and
 * its band. Without an eligible pool: points 0, band `emptyPoolBand`, every value null.
 */
export function scoreComputePool(pool: ComputePoolAggregate, model: ComputeScoreModel = COMPUTE_SCORE_MODEL): ComputeScoreOutcome {
  const values = computeMetrics(pool, model);
  const factors = model.factors.map((f): ComputeFactorOutcome => {
    const value = values ? values[f.metric] : null;
    return { name: f.name, metric: f.metric, value, points: value === null ? new Exact(0) : pointsAt(value, f.breakpoints), weight: new Exact(f.weight) };
  });
  if (!values) return { points: new Exact(0), band: model.emptyPoolBand, factors };
  const points = factors.reduce((sum, f) => sum.plus(f.weight.times(f.points)), new Exact(0));
  const bands = [...model.bands].sort((a, b) => b.min - a.min);
  const band = bands.find((b) => points.gte(b.min)) ?? bands[bands.length - 1]!;
  return { points, band: band.band, factors };
}
