/**
 * The evaluation sections of `dmbs-report/1` (eligibility, pool, concentrations, score,
 * balanceSheetTransition, stress) from a finished accumulator. Money with 2 decimals, every other figure
 * rounded half-even to 6 decimals; an empty eligible pool gives nulls and a reason, never an error.
 */
import type { DmbsReport } from '../generated/report.ts';
import { buildBalanceSheetTransition } from './balance-sheet-transition.ts';
import { buildConcentrationsSection } from './concentration.ts';
import type { DealCriteria } from './criteria.ts';
import { formatFigureOrNull, formatMoney } from './exact.ts';
import type { PoolAccumulator, PoolAggregate } from './pool-accumulator.ts';
import { emptyPoolReason, poolMetrics } from './pool-metrics.ts';
import { buildScoreSection } from './scorecard.ts';

/** The report sections this module fills. */
export type EvaluationSections = Required<Pick<DmbsReport, 'eligibility' | 'pool' | 'concentrations' | 'score' | 'balanceSheetTransition' | 'stress'>>;

/**
 * Builds the evaluation sections of the report.
 * @param criteria the criteria the accumulator was built with (`acc.criteria`).
 * @param dataQualityScore the validation's score (`report.validation.dataQualityScore`), for the scorecard.
 * @example Object.assign(report, buildEvaluationSections(acc, acc.criteria, report.validation.dataQualityScore));
 */
export function buildEvaluationSections(acc: PoolAccumulator, criteria: DealCriteria, dataQualityScore: string): EvaluationSections {
  if (criteria !== acc.criteria && JSON.stringify(criteria) !== JSON.stringify(acc.criteria)) {
    throw new Error('buildEvaluationSections: criteria differ from those the accumulator was built with');
  }
  const pool = acc.result();
  return {
    eligibility: buildEligibilitySection(pool),
    pool: buildPoolSection(pool),
    concentrations: buildConcentrationsSection(pool, criteria),
    score: buildScoreSection(pool, dataQualityScore),
    balanceSheetTransition: buildBalanceSheetTransition(pool.balanceSheetTransition),
    stress: pool.stress!, // a PoolAccumulator's result always has it
  };
}

/** The report's `eligibility` section. */
export function buildEligibilitySection(pool: PoolAggregate): EvaluationSections['eligibility'] {
  return {
    eligibleCount: pool.eligibleCount,
    ineligibleCount: pool.ineligibleCount,
    eligibleBalance: formatMoney(pool.balanceCents),
    failuresByCriterion: Object.fromEntries(pool.failuresByCriterion),
  };
}

/** The report's `pool` section. */
export function buildPoolSection(pool: PoolAggregate): EvaluationSections['pool'] {
  const m = poolMetrics(pool);
  const reason = emptyPoolReason(pool);
  return {
    loanCount: pool.eligibleCount,
    currentBalance: formatMoney(pool.balanceCents),
    waDscr: formatFigureOrNull(m?.waDscr ?? null),
    waLtv: formatFigureOrNull(m?.waLtv ?? null),
    waInterestRate: formatFigureOrNull(m?.waInterestRate ?? null),
    waRemainingLeaseTermMonths: formatFigureOrNull(m?.waRemainingLeaseTermMonths ?? null),
    effectiveLoanCount: formatFigureOrNull(m?.effectiveLoanCount ?? null),
    ...(reason ? { reason } : {}),
  };
}
