/**
 * Checks one part of a tape (range-task.ts): a byte range of a CSV or NDJSON tape, or a stream of
 * record batches another thread reads (XLSX, record-batches.ts): map, coerce, validate and
 * evaluate its rows, and return the mergeable partial result. Runs inside a worker; pure (bytes or
 * batches come in as data). Rows are numbered from the part's start; the merge (merge-ranges.ts)
 * offsets them and settles the cross-range rules (duplicated loanIds).
 */
import { DmbsError } from '../errors.ts';
import { loadCriteria } from '../evaluation/criteria.ts';
import { loadStressModel } from '../stress/index.ts';
import { PoolAccumulator } from '../evaluation/pool-accumulator.ts';
import type { Finding } from '../generated/report.ts';
import type { EvaluatedLoan } from '../evaluation/evaluated-loan.ts';
import { scanCsvColumn } from '../readers/csv-column-scan.ts';
import { cellText, parseCsvRange } from '../readers/csv-reader.ts';
import { parseNdjsonLine, readNdjsonTexts } from '../readers/ndjson-reader.ts';
import { scanNdjsonIds } from '../readers/ndjson-id-scan.ts';
import type { ByteSource, CellSpans } from '../readers/types.ts';
import type { RowResult } from '../validation/row-validator.ts';
import { LoanIdIndex } from '../validation/loan-id-index.ts';
import { TapeValidator } from '../validation/tape-validator.ts';
import type { RangeError, RangeResult, RangeTask } from './range-task.ts';

/** Progress of a part: bytes read (or records received) and rows validated so far. */
export type RangeProgressSink = (bytesRead: number, rows: number) => void;

/**
 * Checks a byte range. A DmbsError (unreadable bytes, limits) ends the range: the result carries it,
 * with everything checked before it. Any other error is a bug and is thrown.
 * @example const result = await checkRange(task, fileRange(path, task.start, task.end));
 */
export async function checkRange(task: RangeTask, source: ByteSource, onProgress?: RangeProgressSink): Promise<RangeResult> {
  const checker = new RangeChecker(task);
  let bytesRead = 0;
  const metered = meter(source, (n) => {
    bytesRead += n;
    onProgress?.(bytesRead, checker.validatedRows);
  });
  let rows = 0;
  let atRecordBoundary = true;
  try {
    if (task.format === 'ndjson' && task.idsOnly) {
      // The loanId pre-pass of an NDJSON range: ids read from the bytes where that is safe, else the line parsed.
      rows = await scanNdjsonIds(metered, {
        keys: () => checker.loanIdKeys(),
        quick: (row, key, value) => checker.ndjsonQuickId(row, key, value),
        line: (row, text) => checker.ndjsonLineId(row, text),
      });
    } else if (task.format === 'ndjson') {
      const end = { rows: 0 };
      for await (const batch of readNdjsonTexts(metered, task.limits, task.start > 0, end)) {
        for (const r of batch) checker.ndjson(r.row, r.text);
      }
      rows = end.rows;
    } else if (task.idsOnly && task.header && checker.loanIdColumn() >= 0) {
      // The loanId pre-pass of a CSV range: the loanId cells straight from the bytes.
      const options = { delimiter: task.delimiter.charCodeAt(0), column: checker.loanIdColumn(), last: task.last };
      const end = await scanCsvColumn(metered, options, (cell) => checker.loanIdCell(cell));
      rows = end.records;
      atRecordBoundary = task.last || end.atRecordBoundary;
    } else {
      const options = { ...task.limits, delimiter: task.delimiter, byteOffset: task.start, last: task.last };
      // (a pre-pass of a tape without a loanId column comes here too: it finds no ids)
      const columns = task.idsOnly && task.header ? checker.loanIdColumn() + 1 : undefined;
      const end = await parseCsvRange(metered, options, { spans: (row, cells) => checker.spans(row, cells), ...(columns ? { columns } : {}) });
      rows = end.rows;
      atRecordBoundary = task.last || end.atRecordBoundary;
    }
  } catch (e) {
    checker.fail(e);
  }
  return checker.finish(rows, atRecordBoundary);
}

/**
 * The checking of one part, record by record, whatever delivers the records: validator (ids
 * collected, not settled), pool accumulator, the findings kept.
 */
export class RangeChecker {
  readonly #task: RangeTask;
  readonly #started = performance.now();
  readonly #evaluateOnly: boolean;
  readonly #exclude: ReadonlySet<string>;
  readonly #validator: TapeValidator;
  readonly #accumulator: PoolAccumulator;
  readonly #findings: Finding[] = [];
  readonly #unknownKeys: string[] = [];
  readonly #keep: number;
  readonly #validity: Uint8Array | undefined;
  readonly #idsOnly: boolean;
  readonly #ids: LoanIdIndex;
  #loanIdKeys: string[] = [];
  /** Findings kept against the cap (NDJSON's UNKNOWN_COLUMN findings are kept beside it). */
  #kept = 0;
  #sawHeader: boolean;
  #error: RangeError | undefined;
  validatedRows = 0;

  constructor(task: RangeTask) {
    this.#task = task;
    this.#evaluateOnly = task.evaluateOnly === true || task.idsOnly === true;
    this.#idsOnly = task.idsOnly === true;
    this.#ids = new LoanIdIndex(false, this.#idsOnly ? task.expectedRecords ?? 0 : 0);
    this.#exclude = new Set(task.exclude ?? []);
    this.#validator = new TapeValidator({
      ...(task.mapping ? { mapping: task.mapping } : {}),
      ...(task.reportingDate ? { reportingDate: task.reportingDate } : {}),
      duplicates: 'collect',
      ...(task.exclude && task.excludeIsExact && !this.#evaluateOnly ? { collectOnly: this.#exclude } : {}),
      ...(task.expectedRecords && !this.#evaluateOnly ? { expectedIds: task.expectedRecords } : {}),
    });
    this.#accumulator = new PoolAccumulator(task.criteria, task.stress ? loadStressModel(task.stress) : undefined);
    this.#keep = this.#evaluateOnly ? 0 : task.keepFindings;
    this.#sawHeader = task.header !== null;
    this.#validity = task.evaluateOnly ? task.validity : undefined;
    if (task.header) this.#validator.useHeader(task.header.cells, task.header.row);
  }

  /** A record of a tabular tape in span mode; the first one of the tape is its header. */
  spans(row: number, cells: CellSpans): void {
    if (this.#sawHeader) {
      if (this.#idsOnly) {
        const id = this.#validator.trackedIdOfSpans(cells);
        this.validatedRows++;
        if (id !== undefined) this.#ids.add(id, row, false);
      } else if (this.#validity) this.#again(() => this.#validator.loanOfSpans(cells));
      else this.#onRow(this.#validator.recordSpans(row, cells));
      return;
    }
    this.#sawHeader = true;
    const headerCells: string[] = [];
    for (let k = 0; k < cells.count; k++) headerCells.push(cellText(cells, k));
    const headerFindings = this.#validator.header(headerCells, row);
    if (!this.#evaluateOnly) for (const f of headerFindings) this.#keepFinding(f);
  }

  /** The loanId pre-pass over a CSV range: the record's loanId cell as read (untrimmed), undefined when the record has none. */
  loanIdCell(cell: string | undefined): void {
    const row = ++this.validatedRows;
    if (cell === undefined) return;
    const id = this.#validator.trackedIdOfCell(cell);
    if (id !== undefined) this.#ids.add(id, row, false);
  }

  /** The tape column of the loanId (from the header given with the task); -1 when none. */
  loanIdColumn(): number {
    return this.#validator.columnOf('loanId');
  }

  /** A line of an NDJSON tape (trimmed, not blank: readNdjsonTexts), scanned or parsed (TapeValidator.ndjson). */
  ndjson(row: number, text: string): void {
    const validator = this.#validator;
    if (this.#validity) this.#again(() => validator.loanOfNdjson(row, text));
    else this.#onRow(validator.ndjson(row, text));
  }

  /** NDJSON pre-pass: the keys seen so far that map to loanId. */
  loanIdKeys(): readonly string[] {
    return this.#loanIdKeys;
  }

  /** NDJSON pre-pass: line `row` holds the loanId key `key` with the string `value` (read from the bytes: ndjson-id-scan.ts). */
  ndjsonQuickId(row: number, key: string, value: string): void {
    this.validatedRows++;
    const id = this.#validator.trackedIdOfLoanIdKey(key, value);
    if (id !== undefined) this.#ids.add(id, row, false);
  }

  /**
   * NDJSON pre-pass: a line the byte scan could not read quickly (ndjson-id-scan.ts; trimmed, not
   * blank), parsed. A parsed line may bring a new key that maps to loanId.
   */
  ndjsonLineId(row: number, text: string): void {
    this.validatedRows++;
    const object = parseNdjsonLine(text, row)?.object;
    if (!object) return;
    const id = this.#validator.trackedIdOfObject(row, object, text);
    if (id !== undefined) this.#ids.add(id, row, false);
    this.#loanIdKeys = this.#validator.ndjsonKeysOf('loanId');
  }

  /** True once the part has ended with an error (later records are not checked). */
  get failed(): boolean {
    return this.#error !== undefined;
  }

  /** Ends the part with an error: a DmbsError is kept for the merge, anything else is a bug and is thrown. */
  fail(e: unknown): void {
    if (!(e instanceof DmbsError)) throw e;
    this.#error = { name: e.name, code: e.code, message: e.message, ...(e.row !== undefined ? { row: e.row } : {}) };
  }

  finish(rows: number, atRecordBoundary: boolean): RangeResult {
    const summary = this.#validator.finish();
    const counts = summary.dataQuality;
    return {
      index: this.#task.index,
      rows,
      atRecordBoundary,
      rowCount: summary.rowCount,
      validRowCount: summary.validRowCount,
      errorCount: summary.errorCount,
      warningCount: summary.warningCount,
      reportingDate: summary.reportingDate,
      dealIdFromRows: summary.dealIdFromRows,
      quality: counts.counts.slice(),
      qualityRows: counts.rows,
      findings: this.#findings,
      unknownKeys: this.#unknownKeys,
      ids: this.#idsOnly ? this.#ids.entries(false) : this.#validator.loanIds(false),
      validity: this.#validator.validity(),
      pool: this.#accumulator.toTransfer(),
      ...(this.#error ? { error: this.#error } : {}),
      ms: performance.now() - this.#started,
    };
  }

  #keepFinding(f: Finding): void {
    if (this.#task.format === 'ndjson' && f.code === 'UNKNOWN_COLUMN') {
      this.#findings.push(f);
      this.#unknownKeys.push(f.value ?? '');
    } else if (this.#kept < this.#keep) {
      this.#findings.push(f);
      this.#kept++;
    }
  }

  /** Second pass: the next row, coerced only if the first pass found it valid, evaluated unless excluded. */
  #again(loanOf: () => EvaluatedLoan): void {
    const i = this.validatedRows++;
    if ((this.#validity![i >> 3]! & (1 << (i & 7))) === 0) return;
    const loan = loanOf();
    if (!this.#exclude.has(loan.loanId)) this.#accumulator.add(loan);
  }

  #onRow(result: RowResult): void {
    this.validatedRows++;
    const list = result.findings;
    if (list.length > 0 && !this.#evaluateOnly) for (let i = 0; i < list.length; i++) this.#keepFinding(list[i]!);
    if (result.valid && result.loan && !this.#exclude.has(result.loan.loanId)) this.#accumulator.add(result.loan);
  }
}

/** Compiles what checking a range needs (the schema validators, the default criteria) ahead of the first range. */
export function warmUp(): void {
  const validator = new TapeValidator();
  validator.header(['loanId']);
  validator.record(2, ['L-1']);
  loadCriteria();
}

/** Passes chunks through, counting their bytes. */
async function* meter(source: ByteSource, onBytes: (n: number) => void): AsyncGenerator<Uint8Array> {
  for await (const chunk of source) {
    onBytes(chunk.length);
    yield chunk;
  }
}
