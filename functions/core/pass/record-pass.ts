/**
 * The one reading pass of a check: records from any source (readers/record-source.ts: a whole
 * tape, a byte range, or batches piped from another thread) through the validator, valid loans and
 * findings out to the caller. A second read (a tape with duplicated loanIds) goes through the same
 * pass: rows the first read found invalid are skipped, the others only coerced.
 */
import type { EvaluatedLoan } from '../evaluation/evaluated-loan.ts';
import type { DmbsLoan } from '../generated/loan-tape.ts';
import type { Finding } from '../generated/report.ts';
import type { RecordSink } from '../readers/record-source.ts';
import { cellText, type CellSpans } from '../readers/types.ts';
import type { RowResult } from '../validation/row-validator.ts';
import type { TapeValidator } from '../validation/tape-validator.ts';

/** Where a pass delivers what it finds. */
export interface PassSink<Row extends object = DmbsLoan, Evaluated extends object = EvaluatedLoan> {
  /** The findings of the header or of one row (not called for a row without any). */
  findings(list: readonly Finding[]): void;
  /** A valid loan whose id is not excluded: the whole validated loan on a first read, the evaluated fields on a second. */
  loan(loan: Evaluated, row: number, validated: Row | undefined): void;
}

export interface RecordPassOptions {
  /** Loans with these ids are not handed on (their findings still are). */
  readonly exclude?: ReadonlySet<string>;
  /** A second read: which rows the first found valid, a bit each (TapeValidator.validity). */
  readonly validity?: Uint8Array;
  /** The header was given to the validator already (a range after the tape's first). */
  readonly headerKnown?: boolean;
}

/** Feeds one read's records to a validator; a {@link RecordSink} for any record source. */
export class RecordPass<Row extends object = DmbsLoan, Evaluated extends object = EvaluatedLoan> implements RecordSink {
  readonly #validator: TapeValidator<Row, Evaluated>;
  readonly #sink: PassSink<Row, Evaluated>;
  /** The kind's identity field (loanId, lotId): `exclude` holds its values. */
  readonly #idField: string;
  readonly #exclude: ReadonlySet<string> | undefined;
  readonly #validity: Uint8Array | undefined;
  #sawHeader: boolean;
  /** Rows after the header handed to the validator (or, on a second read, looked at). */
  rows = 0;

  /** True once the header has passed (always for NDJSON and for ranges given their header). */
  get headerSeen(): boolean {
    return this.#sawHeader;
  }

  constructor(validator: TapeValidator<Row, Evaluated>, sink: PassSink<Row, Evaluated>, options: RecordPassOptions = {}) {
    this.#validator = validator;
    this.#idField = validator.idField;
    this.#sink = sink;
    this.#exclude = options.exclude;
    this.#validity = options.validity;
    this.#sawHeader = options.headerKnown === true;
  }

  spans(row: number, cells: CellSpans): void {
    if (!this.#sawHeader) {
      const headerCells: string[] = [];
      for (let k = 0; k < cells.count; k++) headerCells.push(cellText(cells, k));
      this.#header(headerCells, row);
    } else if (this.#validity) this.#again(row, () => this.#validator.loanOfSpans(cells));
    else this.#row(this.#validator.recordSpans(row, cells));
  }

  cells(row: number, cells: readonly string[]): void {
    if (!this.#sawHeader) this.#header(cells, row);
    else if (this.#validity) this.#again(row, () => this.#validator.loanOfRecord(cells));
    else this.#row(this.#validator.record(row, cells));
  }

  line(row: number, text: string): void {
    // Each line scanned in place where that is certain to read it as JSON.parse would, else parsed (tape-validator.ts `ndjson`).
    this.#sawHeader = true;
    if (this.#validity) this.#again(row, () => this.#validator.loanOfNdjson(row, text));
    else this.#row(this.#validator.ndjson(row, text));
  }

  #header(cells: readonly string[], row: number): void {
    this.#sawHeader = true;
    const findings = this.#validator.header(cells, row);
    if (findings.length) this.#sink.findings(findings);
  }

  #row(result: RowResult<Row>): void {
    this.rows++;
    if (result.findings.length) this.#sink.findings(result.findings);
    // A validated row holds its evaluated fields too (Row ⊇ Evaluated).
    if (result.valid && result.loan && !this.#excluded(result.loan)) this.#sink.loan(result.loan as unknown as Evaluated, result.row, result.loan);
  }

  /** Second read: the next row, coerced only if the first read found it valid, handed on unless excluded. */
  #again(row: number, loanOf: () => Evaluated): void {
    const i = this.rows++;
    if ((this.#validity![i >> 3]! & (1 << (i & 7))) === 0) return;
    const loan = loanOf();
    if (!this.#excluded(loan)) this.#sink.loan(loan, row, undefined);
  }

  #excluded(row: object): boolean {
    return this.#exclude !== undefined && this.#exclude.has((row as Record<string, string>)[this.#idField]!);
  }
}
