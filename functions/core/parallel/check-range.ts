/**
 * Checks one part of a tape (range-task.ts): a byte range of a CSV or NDJSON tape, or a stream of
 * record batches another thread reads (XLSX, record-batches.ts): map, coerce, validate and
 * evaluate its rows as the task's tape kind (looked up in kinds/registry.ts), and return the
 * mergeable partial result. Runs inside a worker; pure (bytes or
 * batches come in as data). Rows are numbered from the part's start; the merge (merge-ranges.ts)
 * offsets them and settles the cross-range rules (duplicated loanIds).
 */
import { DmbsError } from '../errors.ts';
import { loadCriteria } from '../evaluation/criteria.ts';
import type { Finding } from '../generated/report.ts';
import { scanCsvColumn } from '../readers/csv-column-scan.ts';
import { parseNdjsonLine } from '../readers/ndjson-reader.ts';
import { scanNdjsonIds } from '../readers/ndjson-id-scan.ts';
import { recordSource, type RecordSink } from '../readers/record-source.ts';
import type { ByteSource, CellSpans } from '../readers/types.ts';
import { RecordPass } from '../pass/record-pass.ts';
import { LoanIdIndex } from '../validation/loan-id-index.ts';
import type { TapeValidator } from '../validation/tape-validator.ts';
import { LOAN_TAPE_KIND } from '../kinds/loan-tape/kind.ts';
import { kindById } from '../kinds/registry.ts';
import type { SomeTapeKind } from '../kinds/tape-kind.ts';
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
    } else if (task.idsOnly && task.format === 'csv' && task.header && checker.loanIdColumn() >= 0) {
      // The loanId pre-pass of a CSV range: the loanId cells straight from the bytes.
      const options = { delimiter: task.delimiter.charCodeAt(0), column: checker.loanIdColumn(), last: task.last };
      const end = await scanCsvColumn(metered, options, (cell) => checker.loanIdCell(cell));
      rows = end.records;
      atRecordBoundary = task.last || end.atRecordBoundary;
    } else {
      // (a pre-pass of a CSV tape without a loanId column comes here too: it finds no ids)
      const read = recordSource(task.format, { ...(task.limits ? { limits: task.limits } : {}), delimiter: task.delimiter, range: { byteOffset: task.start, last: task.last } });
      const end = await read(metered, checker);
      rows = end.rows;
      atRecordBoundary = end.atRecordBoundary;
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
export class RangeChecker implements RecordSink {
  readonly #task: RangeTask;
  readonly #started = performance.now();
  readonly #evaluateOnly: boolean;
  readonly #kind: SomeTapeKind;
  readonly #validator: TapeValidator<object, object>;
  readonly #pass: RecordPass<object, object>;
  /** The kind's aggregate of the range's valid rows. */
  readonly #aggregate: unknown;
  readonly #findings: Finding[] = [];
  readonly #unknownKeys: string[] = [];
  readonly #keep: number;
  readonly #idsOnly: boolean;
  readonly #ids: LoanIdIndex;
  #loanIdKeys: string[] = [];
  /** Findings kept against the cap (NDJSON's UNKNOWN_COLUMN findings are kept beside it). */
  #kept = 0;
  /** Rows of the loanId pre-pass. */
  #idRows = 0;
  #error: RangeError | undefined;

  constructor(task: RangeTask) {
    this.#task = task;
    this.#evaluateOnly = task.evaluateOnly === true || task.idsOnly === true;
    this.#idsOnly = task.idsOnly === true;
    this.#ids = new LoanIdIndex(false, this.#idsOnly ? task.expectedRecords ?? 0 : 0);
    const exclude = new Set(task.exclude ?? []);
    const kind = (this.#kind = kindById(task.kind) as SomeTapeKind);
    this.#validator = kind.createValidator({
      ...(task.mapping ? { mapping: task.mapping } : {}),
      ...(task.reportingDate ? { reportingDate: task.reportingDate } : {}),
      duplicates: 'collect',
      ...(task.exclude && task.excludeIsExact && !this.#evaluateOnly ? { collectOnly: exclude } : {}),
      ...(task.expectedRecords && !this.#evaluateOnly ? { expectedIds: task.expectedRecords } : {}),
    });
    const aggregate = (this.#aggregate = kind.createAccumulator(kind.settingsFromData(task.settings)));
    this.#keep = this.#evaluateOnly ? 0 : task.keepFindings;
    const validity = task.evaluateOnly ? task.validity : undefined;
    this.#pass = new RecordPass<object, object>(this.#validator, {
      findings: (list) => {
        if (!this.#evaluateOnly) for (let i = 0; i < list.length; i++) this.#keepFinding(list[i]!);
      },
      loan: (row, rowNumber) => kind.accumulate(aggregate, row, rowNumber),
    }, { exclude, ...(validity ? { validity } : {}), headerKnown: task.header !== null });
    if (task.header) this.#validator.useHeader(task.header.cells, task.header.row);
  }

  /** Rows checked so far (or, in the loanId pre-pass, whose id was read). */
  get validatedRows(): number {
    return this.#pass.rows + this.#idRows;
  }

  /** A record of a tabular tape in span mode; the first one of the tape is its header. */
  spans(row: number, cells: CellSpans): void {
    if (this.#idsOnly && this.#pass.headerSeen) {
      const id = this.#validator.trackedIdOfSpans(cells);
      this.#idRows++;
      if (id !== undefined) this.#ids.add(id, row, false);
    } else this.#pass.spans(row, cells);
  }

  /** A record as strings (XLSX read on this thread). */
  cells(row: number, cells: readonly string[]): void {
    this.#pass.cells(row, cells);
  }

  /** A line of an NDJSON tape (trimmed, not blank: readNdjsonTexts), scanned or parsed (TapeValidator.ndjson). */
  line(row: number, text: string): void {
    this.#pass.line(row, text);
  }

  /** The id pre-pass (the kind's identity field: loanId, lotId) over a CSV range: the record's id cell as read (untrimmed), undefined when the record has none. */
  loanIdCell(cell: string | undefined): void {
    const row = ++this.#idRows;
    if (cell === undefined) return;
    const id = this.#validator.trackedIdOfCell(cell);
    if (id !== undefined) this.#ids.add(id, row, false);
  }

  /** The tape column of the identity field (from the header given with the task); -1 when none. */
  loanIdColumn(): number {
    return this.#validator.columnOf(this.#kind.idField);
  }

  /** NDJSON pre-pass: the keys seen so far that map to the identity field. */
  loanIdKeys(): readonly string[] {
    return this.#loanIdKeys;
  }

  /** NDJSON pre-pass: line `row` holds the loanId key `key` with the string `value` (read from the bytes: ndjson-id-scan.ts). */
  ndjsonQuickId(row: number, key: string, value: string): void {
    this.#idRows++;
    const id = this.#validator.trackedIdOfLoanIdKey(key, value);
    if (id !== undefined) this.#ids.add(id, row, false);
  }

  /**
   * NDJSON pre-pass: a line the byte scan could not read quickly (ndjson-id-scan.ts; trimmed, not
   * blank), parsed. A parsed line may bring a new key that maps to loanId.
   */
  ndjsonLineId(row: number, text: string): void {
    this.#idRows++;
    const object = parseNdjsonLine(text, row)?.object;
    if (!object) return;
    const id = this.#validator.trackedIdOfObject(row, object, text);
    if (id !== undefined) this.#ids.add(id, row, false);
    this.#loanIdKeys = this.#validator.ndjsonKeysOf(this.#kind.idField);
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
      kind: this.#task.kind,
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
      pool: this.#kind.toTransfer(this.#aggregate),
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
}

/** Compiles what checking a range needs (the schema validators, the default criteria) ahead of the first range. */
export function warmUp(): void {
  const validator = LOAN_TAPE_KIND.createValidator();
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
