/**
 * A deal's criteria: its criteria document deep-merged over schemas/default-criteria.json and
 * validated against schemas/dmbs-criteria.v1.schema.json. Limits and wording live in schemas/,
 * never here. Pure: the caller reads the file and passes the parsed JSON.
 */
import criteriaSchema from '../../../schemas/dmbs-criteria.v1.schema.json' with { type: 'json' };
import defaultCriteria from '../../../schemas/default-criteria.json' with { type: 'json' };
import { ConfigError } from '../errors.ts';
import type { DmbsCriteria } from '../generated/criteria.ts';
import validateCriteria from '../generated/validators/criteria.ts';
import { errorPath, type ErrorObject } from '../schema/ajv.ts';
import { deepFreeze, deepMerge } from '../schema/config-document.ts';

type Complete<T> = T extends readonly unknown[] ? T : T extends object ? { readonly [K in keyof T]-?: Complete<T[K]> } : T;

/** A deal's complete criteria: every criterion and test with its switch and limits. */
export type DealCriteria = Complete<Pick<DmbsCriteria, 'dealCurrency' | 'eligibility' | 'concentrations'>> & {
  readonly description?: string;
};
/** Limits of the eligibility criteria, by id. */
export type EligibilityLimits = DealCriteria['eligibility'];
/** E01 .. E10. */
export type CriterionId = keyof EligibilityLimits;
/** Limits of the concentration and pool tests, by id. */
export type ConcentrationLimits = DealCriteria['concentrations'];
/** C01 .. C09, P01 .. P03. */
export type ConcentrationTestId = keyof ConcentrationLimits;

type Annotated = { 'x-description': string; 'x-limit-unit'?: string; properties: Record<string, unknown> };
const schemaDoc = criteriaSchema as unknown as {
  properties: { eligibility: { properties: Record<string, Annotated> }; concentrations: { properties: Record<string, Annotated> } };
};



let defaults: DealCriteria | undefined;

/**
 * The deal's criteria: `doc` (a parsed criteria file; absent = the defaults) merged over the defaults.
 * Objects merge key by key; arrays and values replace.
 * @param source names the file in messages (default "criteria").
 * @throws ConfigError `CRITERIA_INVALID` naming the path of every bad value: "deal.json: /concentrations/C01/max: must be <= 1".
 * @example const criteria = loadCriteria(JSON.parse(text), 'deal-7.json');
 */
export function loadCriteria(doc?: unknown, source = 'criteria'): DealCriteria {
  defaults ??= deepFreeze(checked(defaultCriteria, 'schemas/default-criteria.json') as DealCriteria);
  if (doc === undefined) return defaults;
  checked(doc, source);
  return deepFreeze(checked(deepMerge(defaults, doc), source) as DealCriteria);
}

/**
 * The wording of a criterion or test from the criteria schema, limits filled in.
 * @example describeTest('E05', criteria) // "dscr >= 1.2"
 */
export function describeTest(id: CriterionId | ConcentrationTestId, criteria: DealCriteria): string {
  const isCriterion = id.startsWith('E');
  const spec = (isCriterion ? schemaDoc.properties.eligibility : schemaDoc.properties.concentrations).properties[id];
  if (!spec) throw new Error(`unknown test ${id}`);
  const limits = (isCriterion ? criteria.eligibility[id as CriterionId] : criteria.concentrations[id as ConcentrationTestId]) as Record<string, unknown>;
  return spec['x-description'].replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = name === 'dealCurrency' ? criteria.dealCurrency : limits[name];
    return Array.isArray(value) ? value.join(', ') : String(value);
  });
}

/** The unit of a concentration or pool test's actual, limit and headroom (schema `x-limit-unit`). */
export function testUnit(id: ConcentrationTestId): string {
  return schemaDoc.properties.concentrations.properties[id]?.['x-limit-unit'] ?? '';
}

function checked(doc: unknown, source: string): unknown {
  if (validateCriteria(doc)) return doc; // compiled ahead of time (validator-definitions.ts)
  const problems = (validateCriteria.errors ?? []).filter((e) => e.keyword !== 'if').map(describeError);
  throw new ConfigError('CRITERIA_INVALID', `${source}: ${[...new Set(problems)].join('; ')}`);
}

function describeError(error: ErrorObject): string {
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const allowed = Object.keys(propertiesAt(error.schemaPath));
      return `${error.instancePath}/${String(p.additionalProperty)}: unknown key${allowed.length ? `; allowed: ${allowed.join(', ')}` : ''}`;
    }
    case 'enum':
      return `${errorPath(error)}: must be one of ${(p.allowedValues as unknown[]).join(', ')}`;
    default:
      return `${errorPath(error)}: ${error.message ?? 'is invalid'}`;
  }
}

/** The `properties` of the schema object an ajv schemaPath (#/properties/a/properties/b/additionalProperties) points into. */
function propertiesAt(schemaPath: string): Record<string, unknown> {
  let node: unknown = criteriaSchema;
  for (const part of schemaPath.replace(/^#\//, '').split('/').slice(0, -1)) node = (node as Record<string, unknown> | undefined)?.[part];
  return ((node as { properties?: Record<string, unknown> } | undefined)?.properties) ?? {};
}
