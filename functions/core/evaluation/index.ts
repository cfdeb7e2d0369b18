/** Evaluation of a tape's valid loans: criteria, eligibility, pool aggregate, tests, scorecard, schedule. */
export { loadCriteria, describeTest, type DealCriteria, type CriterionId, type ConcentrationTestId } from './criteria.ts';
export { evaluateLoan, type LoanEvaluation, type CriterionFailure } from './eligibility.ts';
export { PoolAccumulator, type PoolAggregate, type PoolAccumulatorState } from './pool-accumulator.ts';
export { buildEvaluationSections, type EvaluationSections } from './evaluation-sections.ts';
export { SCORE_MODEL } from './scorecard.ts';
