/**
 * The compute kind's report sections (schemas/compute-report-sections.schema.json) from a finished
 * accumulator: money with 2 decimals, every other figure rounded half-even to 6 decimals; an empty
 * eligible pool gives nulls and a reason, never an error.
 */
import { Decimal } from 'decimal.js';
import { formatFigure, formatFigureOrNull, formatMoney } from '../../evaluation/exact.ts';
import type { ComputeReportSections } from '../../generated/compute-report.ts';
import { computeTestUnit, describeComputeTest } from './compute-criteria.ts';
import type { ComputePoolAccumulator, ComputePoolAggregate } from './pool-accumulator.ts';
import { emptyComputePoolReason, runComputeTests } from './pool-tests.ts';
import { COMPUTE_SCORE_MODEL, scoreComputePool } from './score.ts';

export type { ComputeReportSections };
/** The `eligibility` section: failuresByCriterion keys G01-G09 (every enabled criterion, 0 included). */
export type ComputeEligibilitySection = ComputeReportSections['eligibility'];
/** One date of `pool.residualPath`. */
export type ComputeResidualPathPoint = ComputeReportSections['pool']['residualPath'][number];
/** The `score` section. */
export type ComputeScoreSection = ComputeReportSections['score'];

/** Decimal cents as money text with 2 decimals, half-even. */
export function formatMoneyCents(cents: Decimal): string {
  return formatMoney(BigInt(cents.toDecimalPlaces(0, Decimal.ROUND_HALF_EVEN).toFixed(0)));
}

/**
 * Builds the compute kind's report sections.
 * @example Object.assign(report, buildComputeSections(acc));
 */
export function buildComputeSections(acc: ComputePoolAccumulator): ComputeReportSections {
  const pool = acc.result();
  const criteria = acc.settings.criteria;
  const reason = emptyComputePoolReason(pool);
  return {
    eligibility: buildComputeEligibility(pool),
    pool: {
      lotCount: pool.eligibleCount,
      currentBalance: formatMoney(pool.balanceCents),
      residualNow: reason ? null : formatMoneyCents(pool.residualNowCents),
      pvContracted: reason ? null : formatMoneyCents(pool.pvContractedCents),
      residualPath: reason ? [] : buildResidualPath(pool),
      ...(reason ? { reason } : {}),
    },
    concentrations: runComputeTests(pool, criteria).map((o) => ({
      id: o.id,
      description: describeComputeTest(o.id, criteria),
      actual: formatFigureOrNull(o.actual),
      limit: formatFigure(o.limit),
      limitType: o.limitType,
      unit: computeTestUnit(o.id),
      pass: o.pass,
      headroom: formatFigureOrNull(o.headroom),
      top: o.top.map((t) => ({ key: t.key, share: formatFigure(t.share) })),
      ...(o.worstDate !== undefined ? { worstDate: o.worstDate } : {}),
      ...(o.reason ? { reason: o.reason } : {}),
    })),
    score: buildComputeScore(pool),
  };
}

/** The `eligibility` section. */
export function buildComputeEligibility(pool: ComputePoolAggregate): ComputeEligibilitySection {
  return {
    eligibleCount: pool.eligibleCount,
    ineligibleCount: pool.ineligibleCount,
    eligibleBalance: formatMoney(pool.balanceCents),
    failuresByCriterion: Object.fromEntries(pool.failuresByCriterion),
  };
}

/**
 * `pool.residualPath`: each date of K06's path with its sums and LTV. The LTV is the quotient K06
 * compares, so the worst point's written LTV equals K06's written actual.
 */
export function buildResidualPath(pool: ComputePoolAggregate): ComputeResidualPathPoint[] {
  return pool.path.map((p) => ({
    date: p.date,
    balance: formatMoneyCents(p.balanceCents),
    residual: formatMoneyCents(p.residualCents),
    ltv: p.residualCents.isZero() ? null : formatFigure(p.balanceCents.div(p.residualCents)),
  }));
}

/** The `score` section. */
export function buildComputeScore(pool: ComputePoolAggregate, model = COMPUTE_SCORE_MODEL): ComputeScoreSection {
  const score = scoreComputePool(pool, model);
  return {
    model: model.version,
    points: formatFigure(score.points),
    band: score.band,
    factors: score.factors.map((f) => ({ name: f.name, metric: f.metric, value: formatFigureOrNull(f.value), points: formatFigure(f.points), weight: formatFigure(f.weight) })),
  };
}
