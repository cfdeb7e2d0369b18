/**
 * A deal's compute-tape criteria: its document deep-merged over schemas/compute-criteria.json and
 * checked against schemas/compute-criteria.schema.json. Limits and wording live in schemas/, never
 * here. Pure: the caller reads the file and passes the parsed JSON.
 */
import criteriaSchema from '../../../../schemas/compute-criteria.schema.json' with { type: 'json' };
import defaultCriteria from '../../../../schemas/compute-criteria.json' with { type: 'json' };
import type { ComputeCriteria } from '../../generated/compute-criteria.ts';
import validateComputeCriteria from '../../generated/validators/compute-criteria.ts';
import { checkedDocument, deepFreeze, deepMerge } from '../../schema/config-document.ts';

type Complete<T> = T extends readonly unknown[] ? T : T extends object ? { readonly [K in keyof T]-?: Complete<T[K]> } : T;

/** A deal's complete compute criteria: every criterion and test with its switch and limits. */
export type ComputeDealCriteria = Complete<Pick<ComputeCriteria, 'dealCurrency' | 'discountRate' | 'eligibility' | 'concentrations'>> & {
  readonly description?: string;
};
/** G01 .. G09. */
export type ComputeCriterionId = keyof ComputeDealCriteria['eligibility'];
/** K01 .. K07. */
export type ComputeTestId = keyof ComputeDealCriteria['concentrations'];

/** The criteria ids in report order. */
export const COMPUTE_CRITERION_IDS = Object.keys(criteriaSchema.properties.eligibility.properties) as ComputeCriterionId[];
/** The test ids in report order. */
export const COMPUTE_TEST_IDS = Object.keys(criteriaSchema.properties.concentrations.properties) as ComputeTestId[];

type Annotated = { 'x-description': string; 'x-limit-unit'?: string };
const specs = {
  ...(criteriaSchema.properties.eligibility.properties as Record<string, Annotated>),
  ...(criteriaSchema.properties.concentrations.properties as Record<string, Annotated>),
};

let defaults: ComputeDealCriteria | undefined;

/**
 * The deal's compute criteria: `doc` (a parsed criteria file; absent = the defaults) merged over the
 * defaults. Objects merge key by key; arrays and values replace.
 * @throws ConfigError `CRITERIA_INVALID` naming the path of every bad value: "deal.json: /concentrations/K01/max: must be <= 1".
 */
export function loadComputeCriteria(doc?: unknown, source = 'compute criteria'): ComputeDealCriteria {
  defaults ??= deepFreeze(checkedDocument<ComputeDealCriteria>(validateComputeCriteria, defaultCriteria, 'schemas/compute-criteria.json', 'CRITERIA_INVALID'));
  if (doc === undefined) return defaults;
  checkedDocument(validateComputeCriteria, doc, source, 'CRITERIA_INVALID');
  return deepFreeze(checkedDocument<ComputeDealCriteria>(validateComputeCriteria, deepMerge(defaults, doc), source, 'CRITERIA_INVALID'));
}

/**
 * The wording of a criterion or test from the schema, limits filled in.
 * @example describeComputeTest('G05', criteria) // "hardware age <= 36 months (...)"
 */
export function describeComputeTest(id: ComputeCriterionId | ComputeTestId, criteria: ComputeDealCriteria): string {
  const spec = specs[id];
  if (!spec) throw new Error(`unknown compute test ${id}`);
  const limits = (id.startsWith('G') ? criteria.eligibility[id as ComputeCriterionId] : criteria.concentrations[id as ComputeTestId]) as Record<string, unknown>;
  return spec['x-description'].replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = name === 'dealCurrency' ? criteria.dealCurrency : limits[name];
    return Array.isArray(value) ? value.join(', ') : String(value);
  });
}

/** The unit of a test's actual, limit and headroom (schema `x-limit-unit`). */
export function computeTestUnit(id: ComputeTestId): string {
  return specs[id]?.['x-limit-unit'] ?? '';
}
