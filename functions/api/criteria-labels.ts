/**
 * The labels people read for a tape's criteria, tests and score factors: the wording of
 * schemas/dmbs-criteria.v1.schema.json (`x-description`, limits filled in from the criteria the
 * tape was evaluated with) and schemas/score-model.json. Pure; nothing is restated here.
 */
import criteriaSchema from '../../schemas/dmbs-criteria.v1.schema.json' with { type: 'json' };
import scoreModel from '../../schemas/score-model.json' with { type: 'json' };
import { describeTest, testUnit, type ConcentrationTestId, type CriterionId, type DealCriteria } from '../core/evaluation/criteria.ts';
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
