/**
 * What the validator needs of a tape kind (kinds/tape-kind.ts): its field specs, its schema's
 * compiled validators, its identity field, the fields a second read coerces and its row-level
 * cross-field rules. The validator takes this value; nothing in validation/ imports a kind's schema.
 */
import type { ValidateFunction } from '../schema/ajv.ts';
import type { FieldSpec } from '../schema/field-specs.ts';
import type { Finding } from './findings.ts';

/** Credit per cell state for the data-quality score (a schema's `x-data-quality.credit`). */
export interface DataQualityCredit {
  readonly valid: number;
  readonly validWithWarning: number;
  readonly noData: number;
  readonly blankOptional: number;
  readonly invalid: number;
}

export interface KindValidation {
  /** The field specs in schema order (`index` is the position). */
  readonly fields: readonly FieldSpec[];
  readonly fieldByName: ReadonlyMap<string, FieldSpec>;
  /** The field that identifies a row; unique within a tape (DUPLICATE_ID otherwise). */
  readonly idField: string;
  /** What one row is, for messages: 'loan', 'lot'. */
  readonly rowNoun: string;
  /** The field of the tape's cut-off date, one per tape (REPORTING_DATE_MISMATCH otherwise), if the kind has one. */
  readonly reportingDateField?: string;
  /** The field naming the deal (the first value a row carries is the tape's), if the kind has one. */
  readonly dealIdField?: string;
  /** The indexes of the fields evaluation reads, ascending: a second read coerces only these. */
  readonly evaluatedFieldIndexes: readonly number[];
  /**
   * The schema compiled twice ahead of time: `quick` answers only "valid?" and passes only rows
   * `exact` passes; `exact` gives the errors reported.
   */
  readonly validateQuick: (row: unknown) => boolean;
  readonly validateExact: ValidateFunction;
  /** The schema's own rules of the identity field. */
  readonly validateId: (value: unknown) => boolean;
  /** Credit per cell state for the data-quality score (the schema's `x-data-quality.credit`). */
  readonly dataQualityCredit: DataQualityCredit;
  /** Field -> how its values are written (`x-format-hint`), for a pattern error's message. */
  readonly formatHints: ReadonlyMap<string, string>;
  /** Why a conditionally required field is required (the schema's `allOf` if/then), by field. */
  readonly conditionalReason: Readonly<Record<string, string>>;
  /**
   * The row's cross-field rules over the values that passed their own checks: pushes findings,
   * returns the fields that hold an error. `columnOf` names the tape's header of a field.
   */
  readonly checkCrossField: (values: Record<string, unknown>, row: number, out: Finding[], columnOf: (field: string) => string | undefined) => string[];
}

/** Field -> `x-format-hint` of a JSON Schema's properties. */
export function formatHintsOf(schema: { properties: Record<string, unknown> }): ReadonlyMap<string, string> {
  return new Map(
    Object.entries(schema.properties)
      .filter(([, p]) => (p as Record<string, unknown>)['x-format-hint'])
      .map(([name, p]) => [name, (p as Record<string, string>)['x-format-hint']!]),
  );
}
