// The compute-equipment (GPU) tape kind: its evaluation, pure, for the TapeKind registry.
export { loadComputeCriteria, describeComputeTest, computeTestUnit, COMPUTE_CRITERION_IDS, COMPUTE_TEST_IDS, type ComputeDealCriteria, type ComputeCriterionId, type ComputeTestId } from './compute-criteria.ts';
export { loadResidualCurve, residualShare, type ResidualCurve } from './residual-curve.ts';
export { EVALUATED_LOT_FIELDS, type EvaluatedLot, lotCostCents, ageMonths, residualCents, balanceCentsAt, pvContractedCents, pathDates } from './lot.ts';
export { FIXED_PLACES } from './fixed-point.ts';
export { evaluateLot, type LotEvaluation, type LotFailure } from './eligibility.ts';
export { ComputePoolAccumulator, type ComputePoolAggregate, type ComputePoolState, type ComputeSettings } from './pool-accumulator.ts';
export { runComputeTests, emptyComputePoolReason, type ComputeTestOutcome } from './pool-tests.ts';
export { scoreComputePool, COMPUTE_SCORE_MODEL } from './score.ts';
export { buildComputeSections, type ComputeReportSections } from './report-sections.ts';
export { checkComputeCrossField, COMPUTE_CONDITIONAL_REASON } from './cross-field.ts';
export { COMPUTE_KIND, type ComputeDealDocuments } from './kind.ts';
