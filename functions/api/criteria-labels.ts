/**
 * The labels people read for a tape's criteria, tests and score factors: the wording of
 * schemas/dmbs-criteria.v1.schema.json (`x-description`, limits filled in from the criteria the
 * tape was evaluated with) and schemas/score-model.json. Pure; nothing is restated here.
 */
import criteriaSchema from '../../schemas/dmbs-criteria.v1.schema.json' with { type: 'json' };
import scoreModel from '../../schemas/score-model.json' with { type: 'json' };
import { describeTest, testUnit, type ConcentrationTestId, type CriterionId, type DealCriteria } from '../core/evaluation/criteria.ts';
import computeCriteriaSchema from '../../schemas/compute-criteria.schema.json' with { type: 'json' };
import computeScoreModel from '../../schemas/compute-score-model.json' with { type: 'json' };
import { COMPUTE_CRITERION_IDS, COMPUTE_TEST_IDS, computeTestUnit, describeComputeTest, type ComputeDealCriteria } from '../core/kinds/compute/compute-criteria.ts';
import type { TapeCriteria } from './generated/api.ts';

type Specs = Record<string, { description?: string }>;
const concentrationSpecs = criteriaSchema.properties.concentrations.properties as Specs;

/** @example criteriaLabels(loadCriteria(stored)).eligibility[4] // { id: 'E05', enabled: true, label: 'dscr >= 1.2' } */
export function criteriaLabels(criteria: DealCriteria): TapeCriteria {
  return {
    dealCurrency: criteria.dealCurrency,
    eligibility: (Object.keys(criteria.eligibility) as CriterionId[]).sort().map((id) => ({
      id, enabled: criteria.eligibility[id].enabled, label: describeTest(id, criteria),
    })),
    concentrations: (Object.keys(criteria.concentrations) as ConcentrationTestId[]).sort().map((id) => ({
      id,
      enabled: criteria.concentrations[id].enabled,
      label: describeTest(id, criteria),
      unit: testUnit(id),
      top: (concentrationSpecs[id]?.description ?? '').replace(/^top: /, ''),
    })),
    scoreFactors: scoreModel.factors.map((f) => ({ name: f.name, metric: f.metric, label: f.description })),
  };
}

const computeTestSpecs = computeCriteriaSchema.properties.concentrations.properties as Specs;

/** A compute tape's stored criteria (their schemaVersion says so; a loan tape's are dmbs-criteria/1). */
export function isComputeCriteria(doc: unknown): boolean {
  return (doc as { schemaVersion?: unknown } | null)?.schemaVersion === 'dmbs-compute-criteria/1';
}

/** The labels of a compute tape's criteria (G01-G09), tests (K01-K07) and score factors, as {@link criteriaLabels} gives a loan tape's. */
export function computeCriteriaLabels(criteria: ComputeDealCriteria): TapeCriteria {
  return {
    dealCurrency: criteria.dealCurrency,
    eligibility: COMPUTE_CRITERION_IDS.map((id) => ({ id, enabled: criteria.eligibility[id].enabled, label: describeComputeTest(id, criteria) })),
    concentrations: COMPUTE_TEST_IDS.map((id) => ({
      id,
      enabled: criteria.concentrations[id].enabled,
      label: describeComputeTest(id, criteria),
      unit: computeTestUnit(id),
      top: (computeTestSpecs[id]?.description ?? '').replace(/^top: /, ''),
    })),
    scoreFactors: computeScoreModel.factors.map((f) => ({ name: f.name, metric: f.metric, label: f.description })),
  };
}
