/**
 * Validates an issuer's column-mapping document (schemas/column-mapping.v1.schema.json) and the
 * field names and options it uses. A bad document is rejected with the path of the bad value.
 */
import columnMappingSchema from '../../../schemas/column-mapping.v1.schema.json' with { type: 'json' };
import { ConfigError } from '../errors.ts';
import type { ColumnMapping, ColumnSpec } from '../generated/column-mapping.ts';
import type { FieldSpec } from '../schema/field-specs.ts';
import { createAjv, errorPath, type ValidateFunction } from '../schema/ajv.ts';

let validateMapping: ValidateFunction | undefined;

/** A column spec with the shorthand `"Header": "field"` expanded. */
export function columnSpecOf(value: string | ColumnSpec): ColumnSpec {
  return typeof value === 'string' ? { field: value } : value;
}

/**
 * Checks `doc` against the mapping schema and, given `fieldByName` (a tape kind's fields), the
 * field names and options it uses (see {@link checkMappingFields}); returns it typed; throws
 * ConfigError naming `source` and the JSON path. Without `fieldByName` (the tape's kind is not
 * known yet) only the document's shape is checked.
 * @example parseColumnMapping(JSON.parse(text), 'mapping.json', FIELD_BY_NAME)
 */
export function parseColumnMapping(doc: unknown, source: string, fieldByName?: ReadonlyMap<string, FieldSpec>): ColumnMapping {
  const validate = (validateMapping ??= createAjv().compile(columnMappingSchema));
  if (!validate(doc)) {
    const e = validate.errors![0]!;
    throw new ConfigError('MAPPING_INVALID', `${source}: ${errorPath(e)} ${e.message ?? 'is invalid'}.`);
  }
  const mapping = doc as ColumnMapping;
  if (fieldByName) checkMappingFields(mapping, source, fieldByName);
  return mapping;
}

/** Checks that a mapping names fields of a tape kind (`fieldByName`) with options that fit them; throws ConfigError naming `source` and the JSON path. */
export function checkMappingFields(mapping: ColumnMapping, source: string, fieldByName: ReadonlyMap<string, FieldSpec>, kindName = 'the DMBS standard'): void {
  for (const [header, value] of Object.entries(mapping.columns)) {
    const spec = columnSpecOf(value as string | ColumnSpec);
    const path = `${source}: /columns/${header}`;
    const field = fieldByName.get(spec.field);
    if (!field) throw new ConfigError('MAPPING_INVALID', `${path}: '${spec.field}' is not a field of ${kindName}.`);
    if (spec.unit === 'percent' && field.kind !== 'fraction') {
      throw new ConfigError('MAPPING_INVALID', `${path}/unit: 'percent' applies only to fraction fields; ${field.name} is ${field.kind}.`);
    }
    if (spec.datePattern !== undefined && field.kind !== 'date') {
      throw new ConfigError('MAPPING_INVALID', `${path}/datePattern: applies only to date fields; ${field.name} is ${field.kind}.`);
    }
    if (spec.datePattern !== undefined && !/YYYY/.test(spec.datePattern)) {
      throw new ConfigError('MAPPING_INVALID', `${path}/datePattern: '${spec.datePattern}' needs a four-digit year YYYY.`);
    }
  }
}
