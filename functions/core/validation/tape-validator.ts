/**
 * Validates a whole tape record by record, streaming: maps the header (header-plan.ts), validates
 * each row over its format's cell adapter (cell-adapters.ts, row-validator.ts) and applies the
 * cross-row rules (cross-row.ts) — one reportingDate per tape, and a duplicated loanId makes every
 * row carrying it invalid (known only at the end: `finish()`). A second read of the tape coerces
 * the evaluated fields of the rows found valid (second-read.ts). Memory: a compact index of the
 * loanIds (loan-id-index.ts, off the JS heap) plus per-field counters; no rows are kept.
 */
import type { ColumnMapping } from '../generated/column-mapping.ts';
import { DEAL_MAPPING_HOW, HeaderResolver, planColumns, type ColumnPlan } from '../mapping/column-mapping.ts';
import type { FieldSpec } from '../schema/field-specs.ts';
import { DataQualityCounter } from './data-quality.ts';
import { finding, nameLoan, type Finding } from './findings.ts';
import type { LoanIdEntries } from './loan-id-index.ts';
import { CellState, RowValidator, TextCells, type RowCells, type RowResult } from './row-validator.ts';
import type { EvaluatedLoan } from '../evaluation/evaluated-loan.ts';
import type { DmbsLoan } from '../generated/loan-tape.ts';
import type { KindValidation } from './kind-validation.ts';
import { cellText, type CellSpans } from '../readers/types.ts';
import { parseNdjsonLine } from '../readers/ndjson-reader.ts';
import { NdjsonCells, SpanCells } from './cell-adapters.ts';
import { prepareFastPath } from './coerce.ts';
import { CrossRowRules } from './cross-row.ts';
import { columnsOfPlan, headerFindings, rowLengthFinding, type Column } from './header-plan.ts';
import { rereadRow, ValidityBits } from './second-read.ts';

export interface TapeValidatorOptions {
  readonly mapping?: ColumnMapping;
  /**
   * The tape's reportingDate and the row it was first seen on, when this validator reads a range
   * of a tape that does not start it (parallel checks: the date comes from the tape's first rows).
   */
  readonly reportingDate?: { readonly value: string; readonly row: number };
  /**
   * 'flag' (default): a duplicated loanId is found here; later rows carrying it are invalid at once
   * and `finish()` reports them all. 'collect': ids are only collected (`loanIds()`), for a range of
   * a tape whose duplicates are found when the ranges' ids are merged (loan-id-index.ts).
   */
  readonly duplicates?: 'flag' | 'collect';
  /**
   * 'collect' mode only: collect just these ids (the tape's duplicated ids, already known from a
   * pre-pass), so the range keeps a few entries instead of one per row.
   */
  readonly collectOnly?: ReadonlySet<string>;
  /**
   * false: every NDJSON line given to `ndjson`/`loanOfNdjson` is read with JSON.parse, never by the
   * scanner (ndjson-scan.ts) — the reference the scanner is tested against. Default true.
   */
  readonly ndjsonScan?: boolean;
  /** Ids this validator expects to keep (an estimate, e.g. a range's expected records): sizes its id index (loan-id-index.ts). */
  readonly expectedIds?: number;
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

/**
 * A tape validated record by record: the header plan (header-plan.ts), each row over its format's
 * cell adapter (cell-adapters.ts, row-validator.ts), the cross-row rules (cross-row.ts) and what a
 * second read needs (second-read.ts); this class holds one read's state and ties them together.
 * @example
 * const v = LOAN_TAPE_KIND.createValidator({ mapping }); // new TapeValidator(kind.validation, { mapping })
 * v.header(headerCells); for (const r of records) v.record(r.row, r.cells); const summary = v.finish();
 */
export class TapeValidator<Row extends object = DmbsLoan, Evaluated extends object = EvaluatedLoan> {
  readonly #fields: readonly FieldSpec[];
  readonly #fieldByName: ReadonlyMap<string, FieldSpec>;
  readonly #rowValidator: RowValidator;
  /** The index of the kind's identity field (loanId). */
  readonly #idIndex: number;
  readonly #evaluated: readonly number[];
  readonly #resolver: HeaderResolver;
  #plan: ColumnPlan | undefined;
  #columns: Array<Column | undefined>;
  #missing: ReadonlySet<string> = new Set();
  readonly #ndjson: NdjsonCells;
  readonly #quality: DataQualityCounter;
  readonly #crossRow: CrossRowRules;
  #rows = 0;
  #valid = 0;
  /** Per-row buffers, reused: rows are validated one at a time, synchronously. */
  readonly #texts: Array<string | undefined>;
  readonly #textCells = new TextCells();
  readonly #spanCells = new SpanCells();
  readonly #states: Uint8Array;
  #errors = 0;
  #warnings = 0;
  /** Which validated rows were valid (as counted here). A second read uses it (see loanOf*). */
  readonly #validity = new ValidityBits();
  /** Date columns already reported as written in another pattern (DATE_PATTERN, once per column). */
  readonly #datePatterns = new Set<string>();

  /** `kind`: the tape kind's validation parts (a kind's createValidator passes its own). */
  constructor(kind: KindValidation, options: TapeValidatorOptions = {}) {
    const fields = kind.fields;
    prepareFastPath(fields);
    this.#quality = new DataQualityCounter(kind);
    this.#fields = fields;
    this.#fieldByName = kind.fieldByName;
    this.#rowValidator = new RowValidator(kind);
    this.#idIndex = kind.fieldByName.get(kind.idField)!.index;
    this.#evaluated = kind.evaluatedFieldIndexes;
    this.#columns = new Array(fields.length);
    this.#texts = new Array<string | undefined>(fields.length);
    this.#states = new Uint8Array(fields.length);
    this.#resolver = new HeaderResolver(options.mapping, fields, kind.fieldByName);
    this.#ndjson = new NdjsonCells(this.#resolver, fields, options.ndjsonScan !== false);
    const dateField = kind.reportingDateField;
    this.#crossRow = new CrossRowRules(options, {
      idField: kind.idField,
      idIndex: this.#idIndex,
      dateField,
      dateIndex: dateField === undefined ? -1 : kind.fieldByName.get(dateField)?.index ?? -1,
      dealField: kind.dealIdField,
      rowNoun: kind.rowNoun,
    });
    this.#textCells.texts = this.#texts;
  }

  /** The kind's identity field (loanId, lotId). */
  get idField(): string {
    return this.#crossRow.idField;
  }

  /** The tape's reportingDate so far and the row it was first seen on; null before the first. */
  firstReportingDate(): { value: string; row: number } | null {
    const c = this.#crossRow;
    return c.reportingDate === null ? null : { value: c.reportingDate, row: c.firstDateRow };
  }

  /** The loanIds collected so far ('collect' mode; 'flag' mode keeps first rows only); `copy` false: views, when done. */
  loanIds(copy = true): LoanIdEntries {
    return this.#crossRow.entries(copy);
  }

  /** Maps the header row (row 1); returns its findings (unknown and missing columns). Throws MappingError when unusable. */
  header(cells: readonly string[], row = 1): Finding[] {
    const out = this.useHeader(cells, row);
    this.#count(out);
    return out;
  }

  /**
   * Maps the header row without counting its findings (a validator of a later range of a tape,
   * whose header findings belong to the first range); returns them.
   */
  useHeader(cells: readonly string[], row = 1): Finding[] {
    const plan = planColumns(cells, this.#resolver);
    this.#plan = plan;
    this.#columns = columnsOfPlan(plan, this.#fields.length);
    this.#missing = new Set(plan.missingRequired.map((f) => f.name));
    return headerFindings(plan, this.#missing, row);
  }

  /** Validates one record of a tabular tape (after `header`). */
  record(row: number, cells: readonly string[]): RowResult<Row> {
    const plan = this.#plan;
    if (!plan) throw new Error('header() must come first');
    const texts = this.#texts;
    for (let i = 0; i < texts.length; i++) {
      const pos = plan.columnOfField[i]!;
      texts[i] = pos >= 0 ? (cells[pos] ?? '').trim() : undefined;
    }
    const length = cells.length === plan.columns.length ? undefined : rowLengthFinding(row, plan.columns.length, cells.length, (k) => cells[k]!);
    return this.#row(row, this.#textCells, this.#columns, length);
  }

  /**
   * {@link record} for a record in span mode (csv-reader.ts): the same result, with numbers, dates
   * and codes read in place instead of from cell strings.
   */
  recordSpans(row: number, cells: CellSpans): RowResult<Row> {
    const plan = this.#plan;
    if (!plan) throw new Error('header() must come first');
    const spanCells = this.#spanCells;
    spanCells.cells = cells;
    spanCells.columnOfField = plan.columnOfField;
    const length = cells.count === plan.columns.length ? undefined : rowLengthFinding(row, plan.columns.length, cells.count, (k) => cellText(cells, k));
    return this.#row(row, spanCells, this.#columns, length);
  }

  /**
   * Validates one NDJSON object (keys matched like headers; a missing key is a blank cell). `text`:
   * the line it was parsed from, for the text of numbers beyond a double's range (jsonNumberText).
   */
  object(row: number, object: Record<string, unknown>, text?: string): RowResult<Row> {
    const ndjson = this.#ndjson;
    const early = ndjson.mapObject(row, object, false, text);
    if (early) this.#count(early);
    const result = this.#row(row, ndjson.texts, ndjson.columns);
    if (early) result.findings.unshift(...early);
    return result;
  }

  /**
   * Validates one NDJSON line (trimmed, not blank: ndjson-reader.ts readNdjsonTexts): read by the
   * scanner where it is certain (ndjson-scan.ts; see {@link ndjsonLine}), else parsed — a line that
   * is not a JSON object is a MALFORMED_ROW. The result is always what parsing it and `object()` give.
   */
  ndjson(row: number, text: string): RowResult<Row> {
    if (this.#ndjson.scanned(text)) return this.#row(row, this.#ndjson.members, this.#ndjson.columns);
    const parsed = parseNdjsonLine(text, row)!;
    return parsed.object ? this.object(row, parsed.object, text) : this.malformed(row, finding('MALFORMED_ROW', row, null, null, parsed.error));
  }

  /**
   * {@link object} for an NDJSON line read by the scanner, without JSON.parse; undefined (nothing
   * validated or counted) when the scanner is unsure, or the line has a key not seen before (its
   * UNKNOWN_COLUMN finding and its place in the key map come from the parsed line), or a field
   * twice (one key twice: JSON.parse keeps the last value; two keys on one field: COLUMN_DUPLICATE)
   * — the caller then parses the line (see {@link ndjson}). Keys all known and fields distinct, the
   * members' order does not matter (Object.keys would list an integer-like key first: no change).
   */
  ndjsonLine(row: number, text: string): RowResult<Row> | undefined {
    return this.#ndjson.mapLine(text) ? this.#row(row, this.#ndjson.members, this.#ndjson.columns) : undefined;
  }

  /** Counts a record that could not be read at all (e.g. a broken NDJSON line) as an invalid row. */
  malformed(row: number, problem: Finding): RowResult<Row> {
    const states = new Uint8Array(this.#fields.length).fill(CellState.Invalid);
    this.#validity.mark(this.#rows, false);
    this.#rows++;
    this.#quality.add(states);
    this.#count([problem]);
    return { row, loan: undefined, values: {}, findings: [problem], states, valid: false } as RowResult<Row>;
  }

  /** Validates a row's cells; `length`: its ROW_LENGTH finding, if any (an error makes the row invalid). */
  #row(row: number, cells: RowCells, columns: Array<Column | undefined>, length?: Finding): RowResult<Row> {
    // The row validator types rows by the kind's schema; `Row` is that kind's row type.
    const result = this.#rowValidator.validateCells(row, cells, columns, this.#missing, this.#states) as unknown as RowResult<Row>;
    if (result.findings.length > 0 && !result.valid) this.#foldDatePatterns(result.findings, columns);
    const valid = this.#crossRow.apply(row, result, columns, result.valid && length?.severity !== 'error');
    if (length) result.findings.push(length);
    if (result.findings.length > 0) nameLoan(result.findings, (result.values as Record<string, string | undefined>)[this.#crossRow.idField]);
    this.#validity.mark(this.#rows, valid);
    this.#rows++;
    if (valid) this.#valid++;
    this.#quality.add(result.states);
    this.#count(result.findings);
    return valid === result.valid ? result : { ...result, valid, loan: undefined };
  }

  /**
   * A date written like 10/31/2026 in a column without a declared pattern: one DATE_PATTERN finding
   * for the column, with the mapping line to add, instead of a FORMAT finding on every row (the
   * rows stay invalid). Ranges of a tape each report their first; merge-ranges.ts keeps one.
   */
  #foldDatePatterns(findings: Finding[], columns: Array<Column | undefined>): void {
    for (let k = findings.length - 1; k >= 0; k--) {
      const f = findings[k]!;
      if (f.code !== 'FORMAT' || f.field === null || f.value === null) continue;
      const m = SLASHED_DATE.exec(f.value);
      if (!m) continue;
      const spec = this.#fieldByName.get(f.field)!;
      const column = columns[spec.index];
      if (spec.kind !== 'date' || !column || column.options.datePattern !== undefined) continue;
      if (this.#datePatterns.has(f.field)) {
        findings.splice(k, 1);
        continue;
      }
      this.#datePatterns.add(f.field);
      const pattern = Number(m[1]) > 12 ? 'DD/MM/YYYY' : 'MM/DD/YYYY';
      findings[k] = finding('DATE_PATTERN', f.row, f.field, f.value,
        `is written ${pattern}, not YYYY-MM-DD; so is every such date of this column (listed once: each row with one is invalid until the pattern is declared). `
        + `Declare it with ${JSON.stringify(column.header)}: {"field": "${f.field}", "datePattern": "${pattern}"} in ${DEAL_MAPPING_HOW}`, column.header);
    }
  }

  /**
   * Which validated rows were valid, one bit each in order (bit i of byte i >> 3): for a second
   * read of the same tape, which then coerces only those rows (loanOfSpans, loanOfRecord, loanOfObject).
   */
  validity(): Uint8Array {
    return this.#validity.bits(this.#rows);
  }

  /**
   * The loan of a record in span mode already found valid (no validation: see coerceRow), for
   * evaluating it again: only the fields evaluation reads (evaluated-loan.ts) are coerced.
   */
  loanOfSpans(cells: CellSpans): Evaluated {
    const spanCells = this.#spanCells;
    spanCells.cells = cells;
    spanCells.columnOfField = this.#plan!.columnOfField;
    return rereadRow<Evaluated>(this.#rowValidator, spanCells, this.#columns, this.#evaluated);
  }

  /** The tape column (0-based) of a field, -1 when the tape has none (after the header). */
  columnOf(field: string): number {
    return this.#plan?.columnOfField[this.#fieldByName.get(field)!.index] ?? -1;
  }

  /** The loanId a full validation of this record would track (see RowValidator.trackedId), without validating it. */
  trackedIdOfSpans(cells: CellSpans): string | undefined {
    const spanCells = this.#spanCells;
    spanCells.cells = cells;
    spanCells.columnOfField = this.#plan!.columnOfField;
    return this.#rowValidator.trackedId(spanCells, this.#columns);
  }

  /**
   * The loanId a full validation of a CSV record would track (see RowValidator.trackedId) when its loanId
   * cell reads `cell` (untrimmed, as a span or a quoted cell's text would be).
   */
  trackedIdOfCell(cell: string): string | undefined {
    this.#texts[this.#idIndex] = cell.trim();
    return this.#rowValidator.trackedId(this.#textCells, this.#columns);
  }

  /** The loanId a full validation of this NDJSON object would track (see RowValidator.trackedId), without validating it. */
  trackedIdOfObject(row: number, object: Record<string, unknown>, text?: string): string | undefined {
    this.#ndjson.mapObject(row, object, true, text);
    return this.#rowValidator.trackedId(this.#ndjson.texts, this.#ndjson.columns);
  }

  /**
   * {@link trackedIdOfObject} of `{ [key]: value }` for a key seen before that maps to loanId
   * (ndjsonKeysOf): only the loanId's text and column are set (trackedId reads nothing else;
   * the next line's mapping resets every field).
   */
  trackedIdOfLoanIdKey(key: string, value: string): string | undefined {
    const known = this.#ndjson.keys.get(key);
    if (known?.resolved.field?.index !== this.#idIndex) throw new Error(`trackedIdOfLoanIdKey: '${key}' is not a known loanId key`);
    this.#ndjson.setOne(this.#idIndex, known, value.trim()); // (ndjsonText of a string: trimmed)
    return this.#rowValidator.trackedId(this.#ndjson.texts, this.#ndjson.columns);
  }

  /** NDJSON: the keys seen so far that map to `field` (e.g. 'loanId', or an alias such as 'Loan ID'). */
  ndjsonKeysOf(field: string): string[] {
    const index = this.#fieldByName.get(field)!.index;
    return [...this.#ndjson.keys].filter(([, k]) => k.resolved.field?.index === index).map(([key]) => key);
  }

  /** The loan of a record already found valid, as {@link loanOfSpans} gives it. */
  loanOfRecord(cells: readonly string[]): Evaluated {
    const plan = this.#plan!;
    const texts = this.#texts;
    for (const i of this.#evaluated) {
      const pos = plan.columnOfField[i]!;
      texts[i] = pos >= 0 ? (cells[pos] ?? '').trim() : undefined;
    }
    return rereadRow<Evaluated>(this.#rowValidator, this.#textCells, this.#columns, this.#evaluated);
  }

  /** The loan of an NDJSON line (trimmed, not blank) already found valid: {@link loanOfObject}, scanned where certain. */
  loanOfNdjson(row: number, text: string): Evaluated {
    if (this.#ndjson.scanned(text)) return rereadRow<Evaluated>(this.#rowValidator, this.#ndjson.members, this.#ndjson.columns, this.#evaluated);
    return this.loanOfObject(row, parseNdjsonLine(text, row)!.object!, text);
  }

  /** The loan of an NDJSON object already found valid, as {@link loanOfSpans} gives it; `text` as for {@link object}. */
  loanOfObject(row: number, object: Record<string, unknown>, text?: string): Evaluated {
    this.#ndjson.mapObject(row, object, true, text);
    return rereadRow<Evaluated>(this.#rowValidator, this.#ndjson.texts, this.#ndjson.columns, this.#evaluated);
  }

  #count(findings: readonly Finding[]): void {
    for (const f of findings) f.severity === 'error' ? this.#errors++ : this.#warnings++;
  }

  /** Settles the cross-row rules; call once after the last record. */
  finish(): ValidationSummary {
    const c = this.#crossRow;
    const { late, firstValidLost } = c.settle(this.#columns[this.#idIndex]?.header, this.#quality);
    this.#valid -= firstValidLost;
    this.#count(late);
    return {
      rowCount: this.#rows,
      validRowCount: this.#valid,
      invalidRowCount: this.#rows - this.#valid,
      errorCount: this.#errors,
      warningCount: this.#warnings,
      reportingDate: c.reportingDate,
      dealIdFromRows: c.dealId,
      duplicateLoanIds: new Set(c.duplicates.keys()),
      lateFindings: late,
      dataQuality: this.#quality,
      plan: this.#plan,
    };
  }
}

/**
 * A tape without loan rows (a header only, or nothing but blank lines) is an error, not an empty
 * pool: the NO_LOANS finding on row 1 and the summary counting it; undefined when the tape has rows.
 */
export function noLoans(summary: ValidationSummary): { summary: ValidationSummary; finding: Finding } | undefined {
  if (summary.rowCount > 0) return undefined;
  const f = finding('NO_LOANS', 1, null, null, summary.plan
    ? 'the tape has a header but no loan rows; add one row per loan below the header'
    : 'the tape holds no loan rows, only blank lines; add one row per loan (in a CSV or XLSX tape, below a header row)');
  return { summary: { ...summary, errorCount: summary.errorCount + 1 }, finding: f };
}

export { ndjsonText } from './cell-adapters.ts';

// Day, month and year with slashes (10/31/2026, 31/10/2026): a spreadsheet's locale, not a typo.
const SLASHED_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
