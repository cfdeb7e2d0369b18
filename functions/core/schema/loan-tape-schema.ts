/**
 * The loan-tape schema as the code sees it: field specs derived from
 * schemas/dmbs-loan-tape.v1.schema.json (the single source of truth). Nothing here restates a field.
 */
import loanTapeSchemaJson from '../../../schemas/dmbs-loan-tape.v1.schema.json' with { type: 'json' };
import type { DmbsLoan } from '../generated/loan-tape.ts';
import { fieldSpecsOf, type FieldSpec as GenericFieldSpec, type TapeSchemaDocument } from './field-specs.ts';

/** A field of the standard, e.g. `currentBalance`. */
export type LoanField = keyof DmbsLoan;

export type { FieldKind } from './field-specs.ts';

/** A field of the loan tape and everything the code needs to know about it. */
export type FieldSpec = GenericFieldSpec<LoanField>;

/** The raw JSON Schema document (for ajv and documentation). */
export const loanTapeSchema = loanTapeSchemaJson as unknown as Record<string, unknown> & TapeSchemaDocument & {
  'x-cross-field-rules': Array<{ id: string; fields: string[]; severity: 'error' | 'warning'; description: string }>;
  'x-nd-codes': Record<string, string>;
};

/** Every field of the standard, in schema order. */
export const FIELDS: readonly FieldSpec[] = fieldSpecsOf<LoanField>(loanTapeSchema);

/** Field spec by field name. */
export const FIELD_BY_NAME: ReadonlyMap<string, FieldSpec> = new Map(FIELDS.map((f) => [f.name, f]));

/** The spec of a field known to exist (throws on a typo in code, never on user input). */
export function fieldSpec(name: LoanField): FieldSpec {
  const spec = FIELD_BY_NAME.get(name);
  if (!spec) throw new Error(`unknown field ${name}`);
  return spec;
}

/** Credit per cell state for the data-quality score (annotation `x-data-quality`). */
export const DATA_QUALITY_CREDIT = loanTapeSchema['x-data-quality'].credit;
