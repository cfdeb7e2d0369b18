/**
 * Validates one row of a tape kind (kind-validation.ts): coerce each mapped cell, validate the typed
 * row against the kind's schema (ajv, compiled ahead of time), then the row's cross-field rules.
 * Returns findings and per-cell states for the data-quality score. Cross-row rules (duplicates,
 * one reportingDate) live in cross-row.ts.
 */
import type { DmbsLoan } from '../generated/loan-tape.ts';
import type { ColumnOptions } from '../mapping/column-mapping.ts';
import type { FieldSpec } from '../schema/field-specs.ts';
import type { ErrorObject } from '../schema/ajv.ts';
import { coerceInto, coerceScratch, Outcome, type CoerceScratch } from './coerce.ts';
import { finding, type Finding } from './findings.ts';
import type { KindValidation } from './kind-validation.ts';

/** State of one cell, for the data-quality score. */
export const CellState = { Blank: 0, Valid: 1, Warning: 2, NoData: 3, Invalid: 4 } as const;
export type CellState = (typeof CellState)[keyof typeof CellState];

/** One cell to validate: its text (trimmed) or undefined when the tape has no column for the field. */
export interface RowInput {
  readonly row: number;
  /** Indexed by field index; undefined = no column. */
  readonly texts: ReadonlyArray<string | undefined>;
  /** Indexed by field index: the tape's header and reading options of the column. */
  readonly columns: ReadonlyArray<{ header: string; options: ColumnOptions } | undefined>;
}

export interface RowResult<Row extends object = DmbsLoan> {
  readonly row: number;
  /** The typed row (a loan, a lot) when it has no error. */
  readonly loan: Row | undefined;
  /** The typed values that passed, even when the row has errors (for cross-row checks). */
  readonly values: Partial<Row>;
  readonly findings: Finding[];
  readonly states: Uint8Array;
  readonly valid: boolean;
}

function ruleOf(error: ErrorObject, field: string, formatHints: ReadonlyMap<string, string>): { code: 'RANGE' | 'FORMAT' | 'TYPE' | 'ENUM'; rule: string } {
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'minimum': return { code: 'RANGE', rule: `is out of range: must be at least ${p.limit}` };
    case 'maximum': return { code: 'RANGE', rule: `is out of range: must be at most ${p.limit}` };
    case 'exclusiveMinimum': return { code: 'RANGE', rule: `is out of range: must be greater than ${p.limit}` };
    case 'exclusiveMaximum': return { code: 'RANGE', rule: `is out of range: must be less than ${p.limit}` };
    case 'minLength': return { code: 'FORMAT', rule: `is too short: at least ${p.limit} characters` };
    case 'maxLength': return { code: 'FORMAT', rule: `is too long: at most ${p.limit} characters` };
    case 'pattern': return { code: 'FORMAT', rule: `has the wrong form; ${formatHints.get(field) ?? `must match ${p.pattern}`}` };
    case 'enum': return { code: 'ENUM', rule: `is not one of ${(p.allowedValues as string[]).join(', ')}` };
    case 'type': return { code: 'TYPE', rule: `is not of type ${p.type}` };
    default: return { code: 'FORMAT', rule: error.message ?? 'is invalid' };
  }
}

/** The cells of one row by field index: how the row validator reads them, whatever holds them. */
export interface RowCells {
  /** The trimmed text of field `i`'s cell (for messages); undefined when the tape has no column for it. */
  text(i: number): string | undefined;
  /** Coerces field `i`'s cell (exactly as coerceInto does its trimmed text); Blank when empty. */
  coerce(i: number, spec: FieldSpec, options: ColumnOptions, out: CoerceScratch): Outcome;
}

/** Cells as trimmed texts by field index (RowInput.texts; NDJSON objects and whole records in tape-validator.ts). */
export class TextCells implements RowCells {
  texts: ReadonlyArray<string | undefined> = [];
  text(i: number): string | undefined {
    return this.texts[i];
  }
  coerce(i: number, spec: FieldSpec, options: ColumnOptions, out: CoerceScratch): Outcome {
    const text = this.texts[i];
    return text === undefined ? Outcome.Blank : coerceInto(spec, text, options, out);
  }
}

/**
 * The row validator of one kind. Rows are validated one at a time, synchronously: its buffers
 * (the coerced values, the scratch) are reused.
 */
export class RowValidator {
  readonly #kind: KindValidation;
  readonly #fields: readonly FieldSpec[];
  readonly #fieldByName: ReadonlyMap<string, FieldSpec>;
  readonly #idSpec: FieldSpec;
  /**
   * A typed row with every field present (undefined when blank), built by one object literal from
   * the coerced values: one shape, so ajv's property reads stay monomorphic, and no keyed store per
   * field (which was megamorphic, and slow).
   */
  readonly #typedRow: (v: unknown[]) => Record<string, unknown>;
  readonly #scratch = coerceScratch();
  /** The coerced value of each field of the row being validated. */
  readonly #coerced: unknown[];
  readonly #textCells = new TextCells();
  /** The columns of the row being validated, for `#headerOf` (one function, not a closure per row). */
  #rowColumns: RowInput['columns'] = [];
  readonly #headerOf = (field: string): string | undefined => this.#rowColumns[this.#fieldByName.get(field)!.index]?.header;

  constructor(kind: KindValidation) {
    this.#kind = kind;
    this.#fields = kind.fields;
    this.#fieldByName = kind.fieldByName;
    this.#idSpec = kind.fieldByName.get(kind.idField)!;
    this.#typedRow = new Function('v', `return { ${kind.fields.map((f, i) => `${JSON.stringify(f.name)}: v[${i}]`).join(', ')} };`) as (v: unknown[]) => Record<string, unknown>;
    this.#coerced = new Array(kind.fields.length).fill(undefined);
  }

  /**
   * Validates one row.
   * @param missingColumns fields whose column is missing from the tape: reported once on the header,
   *   so no per-row REQUIRED finding, but the row is still invalid.
   * @param states cell states out (one per field); overwritten.
   */
  validateRow(input: RowInput, missingColumns: ReadonlySet<string>, states: Uint8Array = new Uint8Array(this.#fields.length)): RowResult {
    this.#textCells.texts = input.texts;
    return this.validateCells(input.row, this.#textCells, input.columns, missingColumns, states);
  }

  /**
   * The id a full validation would keep for the row (validateCells' `values[idField]`): the cell
   * coerced, then checked by the schema's own rules of the field (compiled from them, not restated);
   * else undefined. For a pre-pass that finds duplicated ids before the rows are validated.
   */
  trackedId(cells: RowCells, columns: RowInput['columns']): string | undefined {
    const spec = this.#idSpec;
    const column = columns[spec.index];
    if (column === undefined) return undefined;
    const scratch = this.#scratch;
    const outcome = cells.coerce(spec.index, spec, column.options, scratch);
    if (outcome !== Outcome.Value && outcome !== Outcome.ValueCaseNormalised) return undefined;
    return this.#kind.validateId(scratch.value) ? (scratch.value as string) : undefined;
  }

  /**
   * The typed row of a row already known to be valid (a second read of a tape, to evaluate it again):
   * the cells of `fields` (field indexes) coerced as validateCells coerces them, without validating —
   * for a valid row, those fields of the row validateCells returns (the schema and the cross-field
   * rules only take values away); the other fields are left undefined.
   */
  coerceRow(cells: RowCells, columns: RowInput['columns'], fields: readonly number[]): Record<string, unknown> {
    const coerced = this.#coerced;
    const scratch = this.#scratch;
    coerced.fill(undefined);
    for (const i of fields) {
      const column = columns[i];
      if (column === undefined) continue;
      const outcome = cells.coerce(i, this.#fields[i]!, column.options, scratch);
      if (outcome === Outcome.Value || outcome === Outcome.ValueCaseNormalised || outcome === Outcome.ValueRounded) coerced[i] = scratch.value;
    }
    return this.#typedRow(coerced);
  }

  /**
   * A code read in upper case and then rejected by the schema (e.g. currency `usdx`: read as USDX,
   * which fails the pattern) gets the error only: the CASE_NORMALISED warning would advise on a
   * value that is wrong anyway.
   */
  #dropNormalisedOfInvalid(findings: Finding[], states: Uint8Array): void {
    let kept = 0;
    for (const f of findings) {
      if (f.code === 'CASE_NORMALISED' && f.field && states[this.#fieldByName.get(f.field)!.index] === CellState.Invalid) continue;
      findings[kept++] = f;
    }
    findings.length = kept;
  }

  /**
   * {@link validateRow} over any cells (e.g. spans of a decoded chunk, csv-reader.ts CellSpans).
   * `columns[i]` undefined: the tape has no column for field i.
   */
  validateCells(
    row: number,
    cells: RowCells,
    columns: RowInput['columns'],
    missingColumns: ReadonlySet<string>,
    states: Uint8Array = new Uint8Array(this.#fields.length),
  ): RowResult {
    const kind = this.#kind;
    const fields = this.#fields;
    const fieldByName = this.#fieldByName;
    const scratch = this.#scratch;
    const coerced = this.#coerced;
    const findings: Finding[] = [];
    let problems = 0;
    states.fill(CellState.Blank);
    coerced.fill(undefined);

    for (let i = 0; i < fields.length; i++) {
      const column = columns[i];
      if (column === undefined) continue;
      const spec = fields[i]!;
      switch (cells.coerce(i, spec, column.options, scratch)) {
        case Outcome.Blank:
          break;
        case Outcome.Value:
          coerced[i] = scratch.value;
          states[i] = CellState.Valid;
          break;
        case Outcome.ValueCaseNormalised:
          coerced[i] = scratch.value;
          states[i] = CellState.Warning;
          findings.push(finding('CASE_NORMALISED', row, spec.name, cells.text(i)!, `read as '${String(scratch.value)}'; write codes in upper case`, column.header));
          break;
        case Outcome.ValueRounded:
          coerced[i] = scratch.value;
          states[i] = CellState.Warning;
          findings.push(finding('PRECISION', row, spec.name, cells.text(i)!, scratch.problem!.rule, column.header));
          break;
        case Outcome.NoData:
          states[i] = CellState.NoData;
          break;
        case Outcome.NoDataCaseNormalised:
          states[i] = CellState.NoData;
          findings.push(finding('CASE_NORMALISED', row, spec.name, cells.text(i)!, `read as ${scratch.ndCode}; write no-data codes in upper case`, column.header));
          break;
        case Outcome.Problem:
          problems++;
          states[i] = CellState.Invalid;
          findings.push(finding(scratch.problem!.code, row, spec.name, cells.text(i)!, scratch.problem!.rule, column.header));
          break;
      }
    }

    const values = this.#typedRow(coerced);
    let schemaErrors = 0;
    // The kind's schema compiled twice, ahead of time (validator-definitions.ts, `npm run
    // gen:validators`): `validateQuick` answers only "valid?" for the common case, much faster — the
    // schema without what coercion and typedRow already guarantee, so quick passes ⇒ exact passes; a
    // row it rejects is validated again by `validateExact`, whose errors are reported.
    const validateExact = kind.validateExact;
    if (!kind.validateQuick(values) && !validateExact(values)) {
      for (const error of validateExact.errors!) {
        if (error.keyword === 'if') continue;
        const field = error.keyword === 'required' ? (error.params as { missingProperty: string }).missingProperty : error.instancePath.slice(1);
        const spec = fieldByName.get(field)!;
        const state = states[spec.index];
        if (state === CellState.Invalid) continue; // already reported (coercion or an earlier keyword)
        schemaErrors++;
        states[spec.index] = CellState.Invalid;
        const header = columns[spec.index]?.header;
        if (error.keyword === 'required') {
          if (missingColumns.has(field)) continue; // reported once, on the header
          const when = kind.conditionalReason[field];
          if (state === CellState.NoData) {
            findings.push(finding('ND_NOT_ALLOWED', row, field, cells.text(spec.index) ?? null,
              `is a no-data code, but ${field} is required when ${when}; supply the value`, header));
          } else {
            findings.push(finding('REQUIRED', row, field, null,
              when ? `is required when ${when}; fill in a value` : 'is required but empty; fill in a value (no-data codes are not allowed on required fields)', header));
          }
          continue;
        }
        (values as Record<string, unknown>)[field] = undefined; // cross-field rules look only at values that passed their own checks
        const { code, rule } = ruleOf(error, field, kind.formatHints);
        findings.push(finding(code, row, field, cells.text(spec.index) ?? null, rule, header));
      }
    }

    if (schemaErrors > 0 && findings.length > 0) this.#dropNormalisedOfInvalid(findings, states);

    const before = findings.length;
    this.#rowColumns = columns;
    const crossBad = kind.checkCrossField(values, row, findings, this.#headerOf);
    for (const field of crossBad) states[fieldByName.get(field)!.index] = CellState.Invalid;
    for (let k = before; k < findings.length; k++) {
      const f = findings[k]!;
      if (f.severity === 'warning' && f.field) {
        const idx = fieldByName.get(f.field)!.index;
        if (states[idx] === CellState.Valid) states[idx] = CellState.Warning;
      }
    }

    const valid = problems === 0 && schemaErrors === 0 && crossBad.length === 0 && missingColumns.size === 0;
    return { row, loan: valid ? (values as DmbsLoan) : undefined, values: values as Partial<DmbsLoan>, findings, states, valid };
  }
}
