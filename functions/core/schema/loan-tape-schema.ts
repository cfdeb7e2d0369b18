/**
 * The loan-tape schema as the code sees it: field specs derived from
 * schemas/dmbs-loan-tape.v1.schema.json (the single source of truth). Nothing here restates a field.
 */
import loanTapeSchemaJson from '../../../schemas/dmbs-loan-tape.v1.schema.json' with { type: 'json' };
import type { DmbsLoan } from '../generated/loan-tape.ts';

/** A field of the standard, e.g. `currentBalance`. */
export type LoanField = keyof DmbsLoan;

/** How a cell's text is turned into a typed value (annotation `x-kind`). */
export type FieldKind = 'string' | 'code' | 'date' | 'money' | 'decimal' | 'fraction' | 'integer' | 'boolean';

/** Everything the code needs to know about one field, read from the schema. */
export interface FieldSpec {
  readonly name: LoanField;
  /** Position in `FIELDS`; typed rows are arrays indexed by it. */
  readonly index: number;
  readonly kind: FieldKind;
  readonly required: boolean;
  readonly ndAllowed: boolean;
  readonly criticality: number;
  readonly aliases: readonly string[];
  readonly enumValues?: readonly string[];
  readonly description: string;
  readonly unit?: string;
  readonly group: string;
}

interface RawProperty {
  description: string;
  enum?: string[];
  'x-kind': FieldKind;
  'x-group': string;
  'x-unit'?: string;
  'x-nd-allowed': boolean;
  'x-criticality': number;
  'x-aliases': string[];
}

/** The raw JSON Schema document (for ajv and documentation). */
export const loanTapeSchema = loanTapeSchemaJson as unknown as Record<string, unknown> & {
  properties: Record<string, RawProperty>;
  required: string[];
  'x-data-quality': { credit: { valid: number; validWithWarning: number; noData: number; blankOptional: number; invalid: number } };
  'x-cross-field-rules': Array<{ id: string; fields: string[]; severity: 'error' | 'warning'; description: string }>;
  'x-nd-codes': Record<string, string>;
};

const requiredSet = new Set(loanTapeSchema.required);

/** Every field of the standard, in schema order. */
export const FIELDS: readonly FieldSpec[] = Object.entries(loanTapeSchema.properties).map(([name, p], index) => ({
  name: name as LoanField,
  index,
  kind: p['x-kind'],
  required: requiredSet.has(name),
  ndAllowed: p['x-nd-allowed'],
  criticality: p['x-criticality'],
  aliases: p['x-aliases'],
  ...(p.enum ? { enumValues: p.enum } : {}),
  description: p.description,
  ...(p['x-unit'] ? { unit: p['x-unit'] } : {}),
  group: p['x-group'],
}));

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
