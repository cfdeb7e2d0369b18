/**
 * The field specs of any tape kind's JSON Schema (its `x-kind`, `x-aliases`, `x-criticality`, …
 * annotations): the one reading of a tape schema the validator, the header mapping and the
 * data-quality score work from. Nothing here restates a field.
 */

/** How a cell's text is turned into a typed value (annotation `x-kind`). */
export type FieldKind = 'string' | 'code' | 'date' | 'money' | 'decimal' | 'fraction' | 'integer' | 'boolean';

/** Everything the code needs to know about one field, read from the schema. */
export interface FieldSpec<Name extends string = string> {
  readonly name: Name;
  /** Position in the kind's field list; typed rows are arrays indexed by it. */
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

/** A property of a tape schema as its annotations write it. */
export interface RawTapeProperty {
  description: string;
  enum?: string[];
  'x-kind': FieldKind;
  'x-group': string;
  'x-unit'?: string;
  'x-nd-allowed': boolean;
  'x-criticality': number;
  'x-aliases': string[];
}

/** What every tape kind's schema carries (the loan tape's and the compute tape's alike). */
export interface TapeSchemaDocument {
  properties: Record<string, RawTapeProperty>;
  required: string[];
  'x-data-quality': { credit: { valid: number; validWithWarning: number; noData: number; blankOptional: number; invalid: number } };
}

/** Every field of a tape schema, in schema order. */
export function fieldSpecsOf<Name extends string = string>(schema: TapeSchemaDocument): readonly FieldSpec<Name>[] {
  const required = new Set(schema.required);
  return Object.entries(schema.properties).map(([name, p], index) => ({
    name: name as Name,
    index,
    kind: p['x-kind'],
    required: required.has(name),
    ndAllowed: p['x-nd-allowed'],
    criticality: p['x-criticality'],
    aliases: p['x-aliases'],
    ...(p.enum ? { enumValues: p.enum } : {}),
    description: p.description,
    ...(p['x-unit'] ? { unit: p['x-unit'] } : {}),
    group: p['x-group'],
  }));
}
