/**
 * Validates a whole tape record by record, streaming: maps the header, validates each row
 * (row-validator.ts) and applies the cross-row rules — one reportingDate per tape, and a
 * duplicated loanId makes every row carrying it invalid (known only at the end: `finish()`).
 * Memory: a compact index of the loanIds (loan-id-index.ts, off the JS heap)
 * plus per-field counters; no rows are kept.
 */
import { MappingError } from '../errors.ts';
import type { ColumnMapping } from '../generated/column-mapping.ts';
import { DEAL_MAPPING_HOW, HeaderResolver, planColumns, type ColumnOptions, type ColumnPlan, type ResolvedHeader } from '../mapping/column-mapping.ts';
import { numberToText } from '../readers/number-text.ts';
import { FIELDS, fieldSpec, type FieldSpec, type LoanField } from '../schema/loan-tape-schema.ts';
import { DataQualityCounter } from './data-quality.ts';
import { duplicateIdFinding, finding, nameLoan, type Finding } from './findings.ts';
import { LoanIdIndex, type LoanIdEntries } from './loan-id-index.ts';
import { CellState, coerceRow, TextCells, trackedLoanId, validateCells, type RowCells, type RowResult } from './row-validator.ts';
import type { DmbsLoan } from '../generated/loan-tape.ts';
import { EVALUATED_FIELD_INDEXES, type EvaluatedLoan } from '../evaluation/evaluated-loan.ts';
import { coerceInto, coerceSpan, Outcome, type CoerceScratch } from './coerce.ts';
import { cellText, type CellSpans } from '../readers/types.ts';
import { jsonNumberText, memberNumberTokens, memberText, ndjsonMembers, scanFlatObject, ValueKind, type NdjsonMembers } from '../readers/ndjson-scan.ts';
import { parseNdjsonLine } from '../readers/ndjson-reader.ts';

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

type Column = { header: string; options: ColumnOptions };

const LOAN_ID = fieldSpec('loanId').index;

/** An NDJSON key as first seen: its field and the column it stands for. */
type NdjsonKey = { key: string; resolved: ResolvedHeader; column: Column };

/** The column of a field an NDJSON object has no key for: a blank cell under the field's own name. */
const DEFAULT_COLUMNS: readonly Column[] = FIELDS.map((f) => ({ header: f.name, options: { percent: false, decimalComma: false } }));

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
  /** NDJSON key -> its field and the column it stands for (one object per key, not per row). */
  readonly #ndjsonKeys = new Map<string, NdjsonKey>();
  /** The keys of the last scanned line, by position (a tape repeats its key order: compared, not looked up). */
  readonly #lineKeys: Array<NdjsonKey | undefined> = [];
  readonly #members: NdjsonMembers = ndjsonMembers();
  readonly #memberCells = new MemberCells();
  readonly #scan: boolean;
  /** Lines the scanner declined in a row (see #scanned). */
  #declined = 0;
  readonly #objectColumns = new Array<Column | undefined>(FIELDS.length);
  readonly #setInRow = new Float64Array(FIELDS.length);
  #generation = 0;
  readonly #quality = new DataQualityCounter();
  /** Every loanId's first row and whether it was valid (loan-id-index.ts). */
  readonly #ids: LoanIdIndex;
  readonly #flagDuplicates: boolean;
  readonly #collectOnly: ReadonlySet<string> | undefined;
  readonly #duplicates = new Map<string, Array<{ row: number; valid: boolean }>>();
  #reportingDate: string | null = null;
  #dealId: string | null = null;
  #rows = 0;
  #valid = 0;
  /** Per-row buffers, reused: rows are validated one at a time, synchronously. */
  readonly #texts = new Array<string | undefined>(FIELDS.length);
  readonly #textCells = new TextCells();
  readonly #spanCells = new SpanCells();
  readonly #states = new Uint8Array(FIELDS.length);
  #errors = 0;
  #warnings = 0;
  /** Bit per validated row, in order: valid (as counted here). A second read uses it (see loanOf*). */
  #validity = new Uint8Array(1024);

  constructor(options: TapeValidatorOptions = {}) {
    this.#resolver = new HeaderResolver(options.mapping);
    this.#flagDuplicates = options.duplicates !== 'collect';
    this.#collectOnly = this.#flagDuplicates ? undefined : options.collectOnly;
    this.#ids = new LoanIdIndex(this.#flagDuplicates, this.#collectOnly ? 0 : options.expectedIds ?? 0);
    this.#scan = options.ndjsonScan !== false;
    if (options.reportingDate) {
      this.#reportingDate = options.reportingDate.value;
      this.#firstDateRow = options.reportingDate.row;
    }
  }

  /** The tape's reportingDate so far and the row it was first seen on; null before the first. */
  firstReportingDate(): { value: string; row: number } | null {
    return this.#reportingDate === null ? null : { value: this.#reportingDate, row: this.#firstDateRow };
  }

  /** The loanIds collected so far ('collect' mode; 'flag' mode keeps first rows only); `copy` false: views, when done. */
  loanIds(copy = true): LoanIdEntries {
    return this.#ids.entries(copy);
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
    this.#columns = new Array(FIELDS.length);
    for (const c of plan.columns) if (c.field) this.#columns[c.field.index] = { header: c.header, options: c.options };
    this.#missing = new Set(plan.missingRequired.map((f) => f.name));
    const out: Finding[] = [];
    // An unknown header that is probably a missing required field: both findings say so, and how to map it.
    const probably = new Map<string, { header: string; position: number }>();
    for (const u of plan.unknown) if (u.suggestion && this.#missing.has(u.suggestion) && !probably.has(u.suggestion)) probably.set(u.suggestion, u);
    for (const u of plan.unknown) {
      const missing = u.suggestion !== undefined && probably.get(u.suggestion) === u;
      const f = finding('UNKNOWN_COLUMN', row, null, u.header, missing
        ? `column ${u.position + 1} matches no field and is ignored; it is probably ${u.suggestion}, a required column that is missing: map it (${mappingLine(u.header, u.suggestion!)} under "columns" in ${DEAL_MAPPING_HOW})`
        : `column ${u.position + 1} matches no field and is ignored${u.suggestion ? `; did you mean ${u.suggestion}?` : ''} (map it, or list it under "ignore", in ${DEAL_MAPPING_HOW})`);
      if (u.suggestion !== undefined) f.suggestedField = u.suggestion;
      out.push(f);
    }
    for (const f of plan.missingRequired) {
      const candidate = probably.get(f.name);
      out.push(finding('MISSING_COLUMN', row, f.name, null,
        `required column is missing (accepted headers: ${[f.name, ...f.aliases.slice(0, 3)].join(', ')})${candidate ? `; column ${candidate.position + 1} '${candidate.header}' is probably it: map it (${mappingLine(candidate.header, f.name)} under "columns" in ${DEAL_MAPPING_HOW})` : ''}; every loan row is invalid until it is added`));
    }
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
    this.#textCells.texts = texts;
    const length = cells.length === plan.columns.length ? undefined : this.#lengthFinding(row, cells.length, (k) => cells[k]!);
    return this.#row(row, this.#textCells, this.#columns, length);
  }

  /**
   * {@link record} for a record in span mode (csv-reader.ts): the same result, with numbers, dates
   * and codes read in place instead of from cell strings.
   */
  recordSpans(row: number, cells: CellSpans): RowResult {
    const plan = this.#plan;
    if (!plan) throw new Error('header() must come first');
    const spanCells = this.#spanCells;
    spanCells.cells = cells;
    spanCells.columnOfField = plan.columnOfField;
    const length = cells.count === plan.columns.length ? undefined : this.#lengthFinding(row, cells.count, (k) => cellText(cells, k));
    return this.#row(row, spanCells, this.#columns, length);
  }

  /**
   * The ROW_LENGTH finding of a record with more or fewer cells than the header: an error when an
   * extra cell holds a value (a delimiter inside an unquoted value shifted the columns, so every
   * cell after it is misplaced: the row is invalid), else a warning: missing cells are read as
   * blank, extra blank cells (trailing delimiters) ignored.
   */
  #lengthFinding(row: number, count: number, cell: (k: number) => string): Finding | undefined {
    const width = this.#plan!.columns.length;
    if (count < width) return finding('ROW_LENGTH', row, null, null, `has ${count} cells but the header has ${width}; missing cells are read as blank`);
    for (let k = width; k < count; k++) {
      const text = cell(k).trim();
      if (text === '') continue;
      return finding('ROW_LENGTH', row, null, text,
        `is cell ${k + 1}, but the header has ${width} cells: a delimiter inside an unquoted value shifts the columns, so the row is invalid; quote values that hold the delimiter`,
        undefined, 'error');
    }
    return finding('ROW_LENGTH', row, null, null, `has ${count} cells but the header has ${width}; the extra cells are blank (trailing delimiters) and ignored`);
  }

  /**
   * Validates one NDJSON object (keys matched like headers; a missing key is a blank cell). `text`:
   * the line it was parsed from, for the text of numbers beyond a double's range (jsonNumberText).
   */
  object(row: number, object: Record<string, unknown>, text?: string): RowResult {
    const early = this.#mapObject(row, object, false, text);
    if (early) this.#count(early);
    this.#textCells.texts = this.#texts;
    const result = this.#row(row, this.#textCells, this.#objectColumns);
    if (early) result.findings.unshift(...early);
    return result;
  }

  /**
   * Validates one NDJSON line (trimmed, not blank: ndjson-reader.ts readNdjsonTexts): read by the
   * scanner where it is certain (ndjson-scan.ts; see {@link ndjsonLine}), else parsed — a line that
   * is not a JSON object is a MALFORMED_ROW. The result is always what parsing it and `object()` give.
   */
  ndjson(row: number, text: string): RowResult {
    if (this.#scanned(text)) return this.#row(row, this.#memberCells, this.#objectColumns);
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
  ndjsonLine(row: number, text: string): RowResult | undefined {
    return this.#mapLine(text) ? this.#row(row, this.#memberCells, this.#objectColumns) : undefined;
  }

  /**
   * #mapLine where it is worth trying: after 16 lines declined in a row it tries one line in 64, so
   * that a tape whose lines the scanner cannot read (each with an array, say) costs little more than parsing it; one line read, and it tries
   * every line again. Never changes a result: a line not scanned is parsed.
   */
  #scanned(text: string): boolean {
    if (!this.#scan) return false;
    const declined = this.#declined;
    if (declined < 16 || (declined & 63) === 0) {
      if (this.#mapLine(text)) {
        this.#declined = 0;
        return true;
      }
    }
    this.#declined = declined + 1;
    return false;
  }

  /**
   * Maps a scanned line's members onto fields (the member cells and the columns); false when the
   * line must be parsed instead (see ndjsonLine). Changes nothing that #mapObject does not reset.
   */
  #mapLine(text: string): boolean {
    const m = this.#members;
    if (!scanFlatObject(text, m)) return false;
    const columns = this.#objectColumns;
    const setIn = this.#setInRow;
    const cells = this.#memberCells;
    const memberOf = cells.memberOf;
    const lineKeys = this.#lineKeys;
    const generation = ++this.#generation;
    for (let j = 0; j < m.count; j++) {
      const start = m.keyStarts[j]!;
      const end = m.keyEnds[j]!;
      let known = lineKeys[j];
      // (A slice compared: faster than startsWith or a loop of charCodeAt on a line sliced from its chunk.)
      if (known === undefined || known.key.length !== end - start || text.slice(start, end) !== known.key) {
        known = this.#ndjsonKeys.get(text.slice(start, end));
        if (known === undefined) return false; // a new key: its UNKNOWN_COLUMN finding comes from the parsed line
        lineKeys[j] = known;
      }
      const field = known.resolved.field;
      if (!field) continue; // an ignored key, even twice: JSON.parse's object gives the same
      // Two keys on one field (COLUMN_DUPLICATE), or one key twice (JSON.parse keeps the last value).
      if (setIn[field.index] === generation) return false;
      setIn[field.index] = generation;
      columns[field.index] = known.column;
      memberOf[field.index] = j;
    }
    for (let i = 0; i < FIELDS.length; i++) {
      if (setIn[i] !== generation) {
        columns[i] = DEFAULT_COLUMNS[i]!;
        memberOf[i] = -1;
      }
    }
    cells.members = m;
    return true;
  }

  /**
   * Maps an object's keys onto fields into the reused texts and columns; returns the UNKNOWN_COLUMN
   * findings of keys seen for the first time (none when `again`: a second read of the tape).
   */
  #mapObject(row: number, object: Record<string, unknown>, again: boolean, line?: string): Finding[] | undefined {
    const texts = this.#texts;
    let tokens: Map<string, string> | undefined;
    const columns = this.#objectColumns;
    const setIn = this.#setInRow;
    const generation = ++this.#generation;
    let early: Finding[] | undefined;
    for (const key of Object.keys(object)) {
      let known = this.#ndjsonKeys.get(key);
      if (!known) {
        const resolved = this.#resolver.resolve(key);
        known = { key, resolved, column: { header: key, options: resolved.options } };
        this.#ndjsonKeys.set(key, known);
        if (!again && !resolved.field && resolved.matchedBy === 'none') {
          (early ??= []).push(finding('UNKNOWN_COLUMN', row, null, key, `key matches no field and is ignored (map it in ${DEAL_MAPPING_HOW})`));
        }
      }
      const field = known.resolved.field;
      if (!field) continue;
      if (setIn[field.index] === generation) {
        throw new MappingError('COLUMN_DUPLICATE', `line ${row}: keys '${columns[field.index]!.header}' and '${key}' both map to ${field.name}; send one.`, );
      }
      setIn[field.index] = generation;
      columns[field.index] = known.column;
      const value = object[key];
      // 0 or Infinity may be a number beyond a double's range (1e-400): its text, from the line
      texts[field.index] = line !== undefined && typeof value === 'number' && (value === 0 || !Number.isFinite(value))
        ? jsonNumberText((tokens ??= memberNumberTokens(line)).get(key) ?? '0')
        : ndjsonText(value);
    }
    for (let i = 0; i < FIELDS.length; i++) {
      if (setIn[i] !== generation) {
        columns[i] = DEFAULT_COLUMNS[i]!;
        texts[i] = '';
      }
    }
    return early;
  }

  /** Counts a record that could not be read at all (e.g. a broken NDJSON line) as an invalid row. */
  malformed(row: number, problem: Finding): RowResult {
    const states = new Uint8Array(FIELDS.length).fill(CellState.Invalid);
    this.#mark(false);
    this.#rows++;
    this.#quality.add(states);
    this.#count([problem]);
    return { row, loan: undefined, values: {}, findings: [problem], states, valid: false };
  }

  /** Validates a row's cells; `length`: its ROW_LENGTH finding, if any (an error makes the row invalid). */
  #row(row: number, cells: RowCells, columns: Array<Column | undefined>, length?: Finding): RowResult {
    const result = validateCells(row, cells, columns, this.#missing, this.#states);
    if (result.findings.length > 0 && !result.valid) this.#foldDatePatterns(result.findings, columns);
    let valid = result.valid && length?.severity !== 'error';
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
    if (id !== undefined && (this.#collectOnly === undefined || this.#collectOnly.has(id))) {
      const first = this.#ids.add(id, row, valid);
      if (first !== undefined) {
        let rows = this.#duplicates.get(id);
        if (!rows) this.#duplicates.set(id, (rows = [{ row: first.row, valid: first.valid }]));
        rows.push({ row, valid });
        valid = false; // later rows are known duplicates right away; the first is settled in finish()
      }
    }
    if (length) result.findings.push(length);
    if (result.findings.length > 0) nameLoan(result.findings, id);
    this.#mark(valid);
    this.#rows++;
    if (valid) this.#valid++;
    this.#quality.add(result.states);
    this.#count(result.findings);
    return valid === result.valid ? result : { ...result, valid, loan: undefined };
  }

  #firstDateRow = 0;

  /** Date columns already reported as written in another pattern (DATE_PATTERN, once per column). */
  readonly #datePatterns = new Set<string>();

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
      const spec = fieldSpec(f.field as LoanField);
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

  #mark(valid: boolean): void {
    const n = this.#rows;
    if (n >> 3 >= this.#validity.length) {
      const grown = new Uint8Array(this.#validity.length * 2);
      grown.set(this.#validity);
      this.#validity = grown;
    }
    if (valid) this.#validity[n >> 3]! |= 1 << (n & 7);
  }

  /**
   * Which validated rows were valid, one bit each in order (bit i of byte i >> 3): for a second
   * read of the same tape, which then coerces only those rows (loanOfSpans, loanOfRecord, loanOfObject).
   */
  validity(): Uint8Array {
    return this.#validity.slice(0, (this.#rows + 7) >> 3);
  }

  /**
   * The loan of a record in span mode already found valid (no validation: see coerceRow), for
   * evaluating it again: only the fields evaluation reads (evaluated-loan.ts) are coerced.
   */
  loanOfSpans(cells: CellSpans): EvaluatedLoan {
    const spanCells = this.#spanCells;
    spanCells.cells = cells;
    spanCells.columnOfField = this.#plan!.columnOfField;
    return coerceRow(spanCells, this.#columns, EVALUATED_FIELD_INDEXES) as unknown as EvaluatedLoan;
  }

  /** The tape column (0-based) of a field, -1 when the tape has none (after the header). */
  columnOf(field: 'loanId'): number {
    return this.#plan?.columnOfField[fieldSpec(field).index] ?? -1;
  }

  /** The loanId a full validation of this record would track (see trackedLoanId), without validating it. */
  trackedIdOfSpans(cells: CellSpans): string | undefined {
    const spanCells = this.#spanCells;
    spanCells.cells = cells;
    spanCells.columnOfField = this.#plan!.columnOfField;
    return trackedLoanId(spanCells, this.#columns);
  }

  /**
   * The loanId a full validation of a CSV record would track (see trackedLoanId) when its loanId
   * cell reads `cell` (untrimmed, as a span or a quoted cell's text would be).
   */
  trackedIdOfCell(cell: string): string | undefined {
    return this.#trackedId(cell, this.#columns);
  }

  /** trackedLoanId of a loanId value (`text` untrimmed) under the loanId column of `columns`; only that field is set. */
  #trackedId(text: string, columns: Array<Column | undefined>): string | undefined {
    this.#texts[LOAN_ID] = text.trim();
    this.#textCells.texts = this.#texts;
    return trackedLoanId(this.#textCells, columns);
  }

  /** The loanId a full validation of this NDJSON object would track (see trackedLoanId), without validating it. */
  trackedIdOfObject(row: number, object: Record<string, unknown>, text?: string): string | undefined {
    this.#mapObject(row, object, true, text);
    this.#textCells.texts = this.#texts;
    return trackedLoanId(this.#textCells, this.#objectColumns);
  }

  /**
   * {@link trackedIdOfObject} of `{ [key]: value }` for a key seen before that maps to loanId
   * (ndjsonKeysOf): only the loanId's text and column are set (trackedLoanId reads nothing else;
   * the next line's mapping resets every field).
   */
  trackedIdOfLoanIdKey(key: string, value: string): string | undefined {
    const known = this.#ndjsonKeys.get(key);
    if (known?.resolved.field?.index !== LOAN_ID) throw new Error(`trackedIdOfLoanIdKey: '${key}' is not a known loanId key`);
    this.#objectColumns[LOAN_ID] = known.column;
    return this.#trackedId(value, this.#objectColumns); // (ndjsonText of a string: trimmed)
  }

  /** NDJSON: the keys seen so far that map to `field` (e.g. 'loanId', or an alias such as 'Loan ID'). */
  ndjsonKeysOf(field: 'loanId'): string[] {
    const index = fieldSpec(field).index;
    return [...this.#ndjsonKeys].filter(([, k]) => k.resolved.field?.index === index).map(([key]) => key);
  }

  /** The loan of a record already found valid, as {@link loanOfSpans} gives it. */
  loanOfRecord(cells: readonly string[]): EvaluatedLoan {
    const plan = this.#plan!;
    const texts = this.#texts;
    for (const i of EVALUATED_FIELD_INDEXES) {
      const pos = plan.columnOfField[i]!;
      texts[i] = pos >= 0 ? (cells[pos] ?? '').trim() : undefined;
    }
    this.#textCells.texts = texts;
    return coerceRow(this.#textCells, this.#columns, EVALUATED_FIELD_INDEXES) as unknown as EvaluatedLoan;
  }

  /** The loan of an NDJSON line (trimmed, not blank) already found valid: {@link loanOfObject}, scanned where certain. */
  loanOfNdjson(row: number, text: string): EvaluatedLoan {
    if (this.#scanned(text)) return coerceRow(this.#memberCells, this.#objectColumns, EVALUATED_FIELD_INDEXES) as unknown as EvaluatedLoan;
    return this.loanOfObject(row, parseNdjsonLine(text, row)!.object!, text);
  }

  /** The loan of an NDJSON object already found valid, as {@link loanOfSpans} gives it; `text` as for {@link object}. */
  loanOfObject(row: number, object: Record<string, unknown>, text?: string): EvaluatedLoan {
    this.#mapObject(row, object, true, text);
    this.#textCells.texts = this.#texts;
    return coerceRow(this.#textCells, this.#objectColumns, EVALUATED_FIELD_INDEXES) as unknown as EvaluatedLoan;
  }

  #count(findings: readonly Finding[]): void {
    for (const f of findings) f.severity === 'error' ? this.#errors++ : this.#warnings++;
  }

  /** Settles the cross-row rules; call once after the last record. */
  finish(): ValidationSummary {
    const late: Finding[] = [];
    const loanIdIndex = fieldSpec('loanId').index;
    const header = this.#columns[loanIdIndex]?.header;
    for (const [id, rows] of this.#duplicates) {
      const list = rows.map((r) => r.row);
      rows.forEach((r, i) => {
        late.push(duplicateIdFinding(r.row, id, list, header));
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

/** The text an NDJSON value is validated as (a cell's text): strings trimmed, numbers as numberToText, null blank. */
export function ndjsonText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number') return numberToText(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return JSON.stringify(value);
}

/** Cells of a record in span mode, by field (through the header's column plan). */
class SpanCells implements RowCells {
  cells!: CellSpans;
  columnOfField!: Int32Array;
  text(i: number): string | undefined {
    const pos = this.columnOfField[i]!;
    if (pos < 0) return undefined;
    return pos < this.cells.count ? cellText(this.cells, pos).trim() : '';
  }
  coerce(i: number, spec: FieldSpec, options: ColumnOptions, out: CoerceScratch): Outcome {
    const pos = this.columnOfField[i]!;
    const cells = this.cells;
    if (pos < 0 || pos >= cells.count) return Outcome.Blank;
    const special = cells.special[pos];
    if (special !== undefined) return coerceInto(spec, special.trim(), options, out);
    return coerceSpan(spec, cells.text, cells.starts[pos]!, cells.ends[pos]!, options, out);
  }
}

/** Cells of a scanned NDJSON line, by field: member `memberOf[i]` of the line, or none (-1: a blank cell). */
class MemberCells implements RowCells {
  members!: NdjsonMembers;
  readonly memberOf = new Int32Array(FIELDS.length).fill(-1);
  text(i: number): string | undefined {
    const j = this.memberOf[i]!;
    return j < 0 ? '' : memberText(this.members, j);
  }
  coerce(i: number, spec: FieldSpec, options: ColumnOptions, out: CoerceScratch): Outcome {
    const j = this.memberOf[i]!;
    if (j < 0) return Outcome.Blank;
    const m = this.members;
    const kind = m.kinds[j];
    // A string or a canonical number is read in place (coerceSpan: exactly coerceInto of the trimmed span).
    if (kind === ValueKind.String || kind === ValueKind.Number) return coerceSpan(spec, m.text, m.valueStarts[j]!, m.valueEnds[j]!, options, out);
    return coerceInto(spec, memberText(m, j), options, out);
  }
}

/** The mapping-file entry that maps `header` to `field`, as JSON. */
function mappingLine(header: string, field: string): string {
  return `${JSON.stringify(header)}: ${JSON.stringify(field)}`;
}

// Day, month and year with slashes (10/31/2026, 31/10/2026): a spreadsheet's locale, not a typo.
const SLASHED_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
