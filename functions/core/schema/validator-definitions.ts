/**
 * The validators the hot path uses, defined once: which schema, compiled with which ajv options.
 * `npm run gen:validators` (scripts/validator-code.ts) compiles each to standalone code in
 * functions/core/generated/validators/, which the product imports — no ajv compilation at run
 * time, which would cost every check and every worker thread its start-up; a test fails when the generated code drifts from this.
 */
import computeCriteriaSchema from '../../../schemas/compute-criteria.schema.json' with { type: 'json' };
import computeResidualCurveSchema from '../../../schemas/compute-residual-curve.schema.json' with { type: 'json' };
import computeTapeSchema from '../../../schemas/dmbs-compute-tape.v1.schema.json' with { type: 'json' };
import criteriaSchema from '../../../schemas/dmbs-criteria.v1.schema.json' with { type: 'json' };
import { createAjv } from './ajv.ts';
import { loanTapeSchema } from './loan-tape-schema.ts';

export interface ValidatorDefinition {
  /** File name under functions/core/generated/validators/ (without .ts). */
  readonly name: string;
  /** The schema file it comes from, for the banner. */
  readonly schemaFile: string;
  readonly options: Parameters<typeof createAjv>[0];
  readonly schema: () => object;
}

const LOAN_TAPE = 'schemas/dmbs-loan-tape.v1.schema.json';
const COMPUTE_TAPE = 'schemas/dmbs-compute-tape.v1.schema.json';

/**
 * The loan-tape schema without what coercion has already guaranteed for every value it produces —
 * `format: date` on date fields (coerceDate returns real YYYY-MM-DD dates only) and `enum` on code
 * fields (coerceCode returns members of the enum only) — for the `quick` validator, compiled with
 * string lengths in UTF-16 units: a string within maxLength units is within maxLength code points,
 * and every minLength is at most 1 (checked here: throws otherwise), for which units and code points
 * agree. Also without `additionalProperties: false`: the quick validator is only given typed rows
 * built with exactly the schema's properties (row-validator.ts `typedRow`, from FIELDS), which
 * cannot carry another (looking each key up again costs time on every row). Its patterns are compiled
 * without the `u` flag (faster), which matches the same strings for the ASCII-only patterns checked
 * here (`asciiPatternsOnly`). So quick passes ⇒ exact passes (row-validator.ts).
 */
export function quickLoanTapeSchema(): object {
  return quickTapeSchema(loanTapeSchema, LOAN_TAPE);
}

/** {@link quickLoanTapeSchema} of any tape kind's schema (`file` names it in errors). */
export function quickTapeSchema(schema: object, file: string): object {
  const derived = structuredClone(schema) as { properties: Record<string, unknown>; additionalProperties?: boolean };
  delete derived.additionalProperties;
  for (const [name, property] of Object.entries(derived.properties) as unknown as Array<[string, Record<string, unknown>]>) {
    if (property['x-kind'] === 'date') delete property.format;
    if (property['x-kind'] === 'code' && property.enum) delete property.enum;
    if (typeof property.minLength === 'number' && property.minLength > 1) {
      throw new Error(`${file}: ${name} has minLength ${property.minLength}; the quick validator counts UTF-16 units, exact only up to 1`);
    }
    if (typeof property.pattern === 'string' && !asciiPattern(property.pattern)) {
      throw new Error(`${file}: ${name}'s pattern ${property.pattern} is not a plain ASCII pattern; the quick validator compiles patterns without the u flag`);
    }
  }
  return derived;
}

/**
 * A pattern that matches the same strings with and without the `u` flag: printable ASCII, no escapes,
 * no `.` outside a character class (in u mode `.` matches a surrogate pair, without it half of one).
 */
function asciiPattern(pattern: string): boolean {
  return /^[\x20-\x7e]*$/.test(pattern) && !pattern.includes('\\') && !pattern.replace(/\[[^\]]*\]/g, '').includes('.');
}

export const VALIDATOR_DEFINITIONS: readonly ValidatorDefinition[] = [
  { name: 'loan-tape-exact', schemaFile: LOAN_TAPE, options: { allErrors: true, fastDates: true }, schema: () => loanTapeSchema },
  { name: 'loan-tape-quick', schemaFile: LOAN_TAPE, options: { allErrors: false, fastDates: true, unicode: false, unicodeRegExp: false }, schema: quickLoanTapeSchema },
  { name: 'loan-id', schemaFile: `${LOAN_TAPE} (properties.loanId)`, options: { allErrors: false, fastDates: true }, schema: () => loanTapeSchema.properties.loanId! },
  { name: 'criteria', schemaFile: 'schemas/dmbs-criteria.v1.schema.json', options: { allErrors: true }, schema: () => criteriaSchema },
  { name: 'compute-criteria', schemaFile: 'schemas/compute-criteria.schema.json', options: { allErrors: true }, schema: () => computeCriteriaSchema },
  { name: 'compute-residual-curve', schemaFile: 'schemas/compute-residual-curve.schema.json', options: { allErrors: true }, schema: () => computeResidualCurveSchema },
  { name: 'compute-tape-exact', schemaFile: COMPUTE_TAPE, options: { allErrors: true, fastDates: true }, schema: () => computeTapeSchema },
  { name: 'compute-tape-quick', schemaFile: COMPUTE_TAPE, options: { allErrors: false, fastDates: true, unicode: false, unicodeRegExp: false }, schema: () => quickTapeSchema(computeTapeSchema, COMPUTE_TAPE) },
  { name: 'lot-id', schemaFile: `${COMPUTE_TAPE} (properties.lotId)`, options: { allErrors: false, fastDates: true }, schema: () => computeTapeSchema.properties.lotId },
];
