/**
 * Validates a whole tape record by record, streaming: maps the header, validates each row
 * (row-validator.ts) and applies the cross-row rules — one reportingDate per tape, and a
 * duplicated loanId makes every row carrying it invalid (known only at the end: `finish()`).
 * Memory: one entry per loanId (to find duplicates) plus per-field counters; no rows are kept.
 */
import { MappingError } from '../errors.ts';
import type { ColumnMapping } from '../generated/column-mapping.ts';
import { HeaderResolver, planColumns, type ColumnOptions, type ColumnPlan, type ResolvedHeader } from '../mapping/column-mapping.ts';
import { numberToText } from '../readers/number-text.ts';
import { FIELDS, fieldSpec } from '../schema/loan-tape-schema.ts';
import { DataQualityCounter } from './data-quality.ts';
import { finding, type Finding } from './findings.ts';
import { CellState, validateRow, type RowResult } from './row-validator.ts';

export interface TapeValidatorOptions {
  readonly mapping?: ColumnMapping;
}

/** Counts and cross-row results once every row has been seen. */
export interface ValidationSummary {
  readonly rowCount: number;
  readonly validRowCount: number;
  readonly invalidRowCount: number;
  readonly errorCount: number;
  readonly warningCount: number;
  readonly reportingDate: string | null;
  /** The first dealId a row carried, if any. */
  readonly dealIdFromRows: string | null;
  /** loanIds found on more than one row: those loans are invalid and must not be evaluated. */
  readonly duplicateLoanIds: ReadonlySet<string>;
  /** DUPLICATE_ID findings (one per row carrying a duplicated id), in row order. */
  readonly lateFindings: readonly Finding[];
  readonly dataQuality: DataQualityCounter;
  readonly plan: ColumnPlan | undefined;
}

type Column = { header: string; options: ColumnOptions };

/**
 * @example
 * const v = new TapeValidator({ mapping });
 * v.header(headerCells); for (const r of records) v.record(r.row, r.cells); const summary = v.finish();
 */
export class TapeValidator {
  readonly #resolver: HeaderResolver;
  #plan: ColumnPlan | undefined;
  #columns: Array<Column | undefined> = new Array(FIELDS.length);
  #missing: ReadonlySet<string> = new Set();
  readonly #ndjsonKeys = new Map<string, ResolvedHeader>();
  readonly #quality = new DataQualityCounter();
  /** loanId -> row * 2 + (valid ? 1 : 0) of its first row. */
  readonly #ids = new Map<string, number>();
  readonly #duplicates = new Map<string, Array<{ row: number; valid: boolean }>>();
  #reportingDate: string | null = null;
  #dealId: string | null = null;
  #rows = 0;
  #valid = 0;
  /** Per-row buffers, reused: rows are validated one at a time, synchronously. */
  readonly #texts = new Array<string | undefined>(FIELDS.length);
  readonly #states = new Uint8Array(FIELDS.length);
  #errors = 0;
  #warnings = 0;

  constructor(options: TapeValidatorOptions = {}) {
    this.#resolver = new HeaderResolver(options.mapping);
  }

  /** Maps the header row (row 1); returns its findings (unknown and missing columns). Throws MappingError when unusable. */
  header(cells: readonly string[], row = 1): Finding[] {
    const plan = planColumns(cells, this.#resolver);
    this.#plan = plan;
    this.#columns = new Array(FIELDS.length);
    for (const c of plan.columns) if (c.field) this.#columns[c.field.index] = { header: c.header, options: c.options };
    this.#missing = new Set(plan.missingRequired.map((f) => f.name));
    const out: Finding[] = [];
    for (const u of plan.unknown) {
      out.push(finding('UNKNOWN_COLUMN', row, null, u.header,
        `column ${u.position + 1} matches no field and is ignored${u.suggestion ? `; did you mean ${u.suggestion}?` : ''} (map it with --mapping, or list it under "ignore")`));
    }
    for (const f of plan.missingRequired) {
      out.push(finding('MISSING_COLUMN', row, f.name, null,
        `required column is missing (accepted headers: ${[f.name, ...f.aliases.slice(0, 3)].join(', ')}); every loan row is invalid until it is added`));
    }
    this.#count(out);
    return out;
  }

  /** Validates one record of a tabular tape (after `header`). */
  record(row: number, cells: readonly string[]): RowResult {
    const plan = this.#plan;
    if (!plan) throw new Error('header() must come first');
    const texts = this.#texts;
    for (let i = 0; i < FIELDS.length; i++) {
      const pos = plan.columnOfField[i]!;
      texts[i] = pos >= 0 ? (cells[pos] ?? '').trim() : undefined;
    }
    const result = this.#row(row, texts, this.#columns);
    if (cells.length !== plan.columns.length) {
      const extra = cells.slice(plan.columns.length).some((c) => c.trim() !== '');
      if (cells.length < plan.columns.length || extra) {
        const f = finding('ROW_LENGTH', row, null, null, cells.length < plan.columns.length
          ? `has ${cells.length} cells but the header has ${plan.columns.length}; missing cells are read as blank`
          : `has ${cells.length} cells but the header has ${plan.columns.length}; the extra cells are ignored`);
        result.findings.push(f);
        this.#count([f]);
      }
    }
    return result;
  }

  /** Validates one NDJSON object (keys matched like headers; a missing key is a blank cell). */
  object(row: number, object: Record<string, unknown>): RowResult {
    const texts = new Array<string | undefined>(FIELDS.length);
    const columns = new Array<Column | undefined>(FIELDS.length);
    const early: Finding[] = [];
    for (const key of Object.keys(object)) {
      let resolved = this.#ndjsonKeys.get(key);
      if (!resolved) {
        resolved = this.#resolver.resolve(key);
        this.#ndjsonKeys.set(key, resolved);
        if (!resolved.field && resolved.matchedBy === 'none') {
          early.push(finding('UNKNOWN_COLUMN', row, null, key, 'key matches no field and is ignored (map it with --mapping)'));
        }
      }
      const field = resolved.field;
      if (!field) continue;
      if (columns[field.index]) {
        throw new MappingError('COLUMN_DUPLICATE', `line ${row}: keys '${columns[field.index]!.header}' and '${key}' both map to ${field.name}; send one.`, );
      }
      columns[field.index] = { header: key, options: resolved.options };
      texts[field.index] = ndjsonText(object[key]);
    }
    for (let i = 0; i < FIELDS.length; i++) {
      if (!columns[i]) { columns[i] = { header: FIELDS[i]!.name, options: { percent: false, decimalComma: false } }; texts[i] = ''; }
    }
    this.#count(early);
    const result = this.#row(row, texts, columns);
    if (early.length) result.findings.unshift(...early);
    return result;
  }

  /** Counts a record that could not be read at all (e.g. a broken NDJSON line) as an invalid row. */
  malformed(row: number, problem: Finding): RowResult {
    const states = new Uint8Array(FIELDS.length).fill(CellState.Invalid);
    this.#rows++;
    this.#quality.add(states);
    this.#count([problem]);
    return { row, loan: undefined, values: {}, findings: [problem], states, valid: false };
  }

  #row(row: number, texts: Array<string | undefined>, columns: Array<Column | undefined>): RowResult {
    const result = validateRow({ row, texts, columns }, this.#missing, this.#states);
    let valid = result.valid;
    const rd = result.values.reportingDate;
    if (rd !== undefined) {
      if (this.#reportingDate === null) {
        this.#reportingDate = rd;
        this.#firstDateRow = row;
      }
      else if (rd !== this.#reportingDate) {
        result.findings.push(finding('REPORTING_DATE_MISMATCH', row, 'reportingDate', rd,
          `differs from the tape's reportingDate ${this.#reportingDate} (row ${this.#firstDateRow}); one tape has one cut-off`, columns[fieldSpec('reportingDate').index]?.header));
        result.states[fieldSpec('reportingDate').index] = CellState.Invalid;
        valid = false;
      }
    }
    if (this.#dealId === null && result.values.dealId !== undefined) this.#dealId = result.values.dealId;
    const id = result.values.loanId;
    if (id !== undefined) {
      const first = this.#ids.get(id);
      if (first === undefined) this.#ids.set(id, row * 2 + (valid ? 1 : 0));
      else {
        let rows = this.#duplicates.get(id);
        if (!rows) this.#duplicates.set(id, (rows = [{ row: Math.floor(first / 2), valid: first % 2 === 1 }]));
        rows.push({ row, valid });
        valid = false; // later rows are known duplicates right away; the first is settled in finish()
      }
    }
    this.#rows++;
    if (valid) this.#valid++;
    this.#quality.add(result.states);
    this.#count(result.findings);
    return valid === result.valid ? result : { ...result, valid, loan: undefined };
  }

  #firstDateRow = 0;

  #count(findings: readonly Finding[]): void {
    for (const f of findings) f.severity === 'error' ? this.#errors++ : this.#warnings++;
  }

  /** Settles the cross-row rules; call once after the last record. */
  finish(): ValidationSummary {
    const late: Finding[] = [];
    const loanIdIndex = fieldSpec('loanId').index;
    const header = this.#columns[loanIdIndex]?.header;
    for (const [id, rows] of this.#duplicates) {
      const list = rows.map((r) => r.row).join(', ');
      rows.forEach((r, i) => {
        late.push(finding('DUPLICATE_ID', r.row, 'loanId', id, `appears on rows ${list}; every row carrying it is invalid; give each loan its own id`, header));
        if (i === 0 && r.valid) this.#valid--;
        this.#quality.move(loanIdIndex, CellState.Valid, CellState.Invalid);
      });
    }
    late.sort((a, b) => a.row - b.row);
    this.#count(late);
    return {
      rowCount: this.#rows,
      validRowCount: this.#valid,
      invalidRowCount: this.#rows - this.#valid,
      errorCount: this.#errors,
      warningCount: this.#warnings,
      reportingDate: this.#reportingDate,
      dealIdFromRows: this.#dealId,
      duplicateLoanIds: new Set(this.#duplicates.keys()),
      lateFindings: late,
      dataQuality: this.#quality,
      plan: this.#plan,
    };
  }
}

function ndjsonText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number') return numberToText(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return JSON.stringify(value);
}
