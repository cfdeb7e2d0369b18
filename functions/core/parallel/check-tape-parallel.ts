/**
 * `checkTape` over several workers: a CSV or NDJSON tape is cut into byte ranges at record
 * boundaries (csv-split.ts: quote-aware state convergence, verified), each range is checked by a worker
 * (check-range.ts), and the partial results are merged (merge-ranges.ts) into the very report one
 * pass gives — for any number of ranges. The tape's hash is computed here, over the whole file,
 * while the workers run. Pure: workers and bytes come through the options (the CLI runs ranges in
 * worker_threads; tests run them inline).
 *
 * Any tape kind (kinds/registry.ts): the kind is named or detected here from the header (an NDJSON
 * tape's first object), and every range is validated and evaluated as that kind; the ranges'
 * aggregates are merged by the kind in tape order.
 * An XLSX tape (one deflate stream) is read here and checked by a worker instead (check-tape-piped.ts).
 * Falls back to one pass (`checkTape`) where splitting cannot help or is not exact: UTF-16,
 * a multi-byte delimiter, callbacks that need loans in order (`onLoan`, `onLoanEvaluation`), a tape
 * whose first MiB holds no valid reportingDate, or a range that did not end on a record boundary.
 */
import { buildReport, checkTape, FindingList, kindOfHeader, type CheckTapeOptions, type CheckTapeResult } from '../check-tape.ts';
import { recordSource } from '../readers/record-source.ts';
import { KindDetectingPass, MAX_WAITING_LINES } from '../pass/kind-detecting-pass.ts';
import type { AnyTapeKind } from '../kinds/registry.ts';
import type { SomeTapeKind } from '../kinds/tape-kind.ts';
import { LOAN_TAPE_KIND } from '../kinds/loan-tape/kind.ts';
import { TapeReadError } from '../errors.ts';
import type { Finding } from '../generated/report.ts';
import type { ColumnPlan } from '../mapping/column-mapping.ts';
import { MeteredSource } from '../readers/byte-meter.ts';
import type { ByteSource } from '../readers/types.ts';
import { readCsvRange, sniffDelimiter } from '../readers/csv-reader.ts';
import { findSplitPoint, firstRecordEnd } from '../readers/csv-split.ts';
import { readNdjsonBatches } from '../readers/ndjson-reader.ts';
import { detectFormat } from '../readers/tape-format.ts';
import { checkTapePiped, type PipeRunner } from './check-tape-piped.ts';
import { mergeRanges } from './merge-ranges.ts';
import { findDuplicates } from '../validation/loan-id-index.ts';
import { taskSettings, type RangeProgress, type RangeResult, type RangeTask } from './range-task.ts';

/** Random access to a tape's bytes (to find split points). */
export interface RandomAccessTape {
  readonly size: number;
  /** Up to `length` bytes at `offset` (fewer at the end of the file). */
  read(offset: number, length: number): Promise<Uint8Array>;
  /**
   * The whole tape in order, for hashing it (default: `open()`); its chunks may be buffers the
   * source reuses (valid until the one after the next is asked for).
   */
  stream?(): ByteSource;
}

/** Runs range tasks: in worker threads, processes, or inline. */
export interface RangeRunner {
  run(task: RangeTask, onProgress: (progress: RangeProgress) => void): Promise<RangeResult>;
  /**
   * Relative sizes of the ranges (default equal), e.g. a smaller first range for a runner that
   * checks it in the calling thread, which also hashes the tape.
   */
  readonly weights?: (ranges: number) => readonly number[];
  /** The same for the loanId pre-pass (default: as `weights`), whose ranges are cut apart. */
  readonly prepassWeights?: (ranges: number) => readonly number[];
  /** No more tasks will come: free the workers (their memory) before the results are merged. */
  release?(): void | Promise<void>;
}

export interface ParallelCheckOptions extends CheckTapeOptions {
  readonly tape: RandomAccessTape;
  readonly runner: RangeRunner;
  /** Ranges to cut the tape into (≥ 1); 1 = one pass in this thread (`checkTape`). */
  readonly ranges: number;
  /** Milliseconds of each phase (prescan, ranges, merge, second pass, report), for benchmarks. */
  readonly onPhase?: (phase: 'prescan' | 'loanId pre-pass' | 'ranges' | 'merge' | 'second pass' | 'pool merge' | 'report', ms: number) => void;
}

/** Bytes read at the start of the tape to find its header, delimiter and reportingDate. */
const HEAD_BYTES = 1 << 20;
/** Window searched for a split point after each nominal offset (real tapes converge within a record). */
const SPLIT_WINDOWS = [64 << 10, 1 << 20, 8 << 20];

/**
 * Checks a tape with several workers; the result equals `checkTape`'s (minus `generatedAt`).
 * @example
 * const { report } = await checkTapeParallel({ fileName, open, tape: fileTape(path), runner: threadRunner(2), ranges: 2 });
 */
export async function checkTapeParallel(options: ParallelCheckOptions): Promise<CheckTapeResult> {
  const started = performance.now();
  const { tape } = options;
  const single = () => checkTape(options);
  if (options.ranges <= 1 || options.onLoan || options.onLoanEvaluation || options.onRow || options.onRowEvaluation || tape.size === 0) return single();
  const head = await tape.read(0, Math.min(tape.size, HEAD_BYTES));
  const format = options.format ?? detectFormat(options.fileName, head);
  if (format === 'xlsx') {
    // One deflate stream: read here, checked by a worker (a two-thread pipeline).
    const runner = options.runner as RangeRunner & Partial<PipeRunner>;
    const kind = runner.openPipe ? await headerKind(options) : undefined;
    if (!kind) return single();
    return checkTapePiped({ ...options, kind, runner: runner as PipeRunner });
  }
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) return single();
  const whole = head.length === tape.size;

  // The tape's start, read here: header, delimiter and reportingDate, which every range needs.
  let prescan: Prescan | undefined;
  try {
    prescan = await (format === 'csv' ? prescanCsv(options, head, whole) : prescanNdjson(options, head, whole));
  } catch {
    return single(); // the one pass reports it exactly (an unusable header, bad bytes in the first MiB)
  }
  if (!prescan || prescan.reportingDate === null) return single();
  const kind = prescan.kind as SomeTapeKind;
  const settings = taskSettings(prescan.kind, options);
  if (!settings) return single();

  const starts = await splitPoints(tape, format, prescan, options.runner.weights?.(options.ranges) ?? new Array<number>(options.ranges).fill(1));
  if (starts.length <= 1) return single();
  // Records a range of `bytes` is expected to hold, so that its id arrays need not grow (loan-id-index.ts);
  // a quoted line break counts as a record too: an overestimate costs untouched memory only; a tape
  // with CR-only line ends counts none, and its arrays grow as before.
  const recordsPerByte = lineBreaks(head) / head.length;
  const expectedRecords = (bytes: number) => Math.ceil(bytes * recordsPerByte * 1.05) + 1024;
  const tasks: RangeTask[] = starts.map((start, index) => ({
    index,
    start,
    end: starts[index + 1] ?? tape.size,
    expectedRecords: expectedRecords((starts[index + 1] ?? tape.size) - start),
    last: index === starts.length - 1,
    format,
    delimiter: prescan!.delimiter,
    header: index === 0 || !prescan!.header ? null : prescan!.header,
    ...(options.mapping ? { mapping: options.mapping } : {}),
    kind: prescan!.kind.id,
    settings: settings.data,
    reportingDate: prescan!.reportingDate,
    ...(options.limits ? { limits: options.limits } : {}),
    keepFindings: options.onFinding ? Number.POSITIVE_INFINITY : options.maxErrors ?? Number.POSITIVE_INFINITY,
  }));

  const bytes = new Array<number>(tasks.length).fill(0);
  const rows = new Array<number>(tasks.length).fill(0);
  const progress = (p: RangeProgress) => {
    bytes[p.index] = p.bytesRead;
    rows[p.index] = p.rows;
    options.onProgress?.({ bytesRead: sum(bytes), rows: sum(rows) });
  };
  let clock = started;
  const phase = (name: Parameters<NonNullable<ParallelCheckOptions['onPhase']>>[0]) => {
    const now = performance.now();
    options.onPhase?.(name, now - clock);
    clock = now;
  };
  phase('prescan');
  // A pre-pass over the loanIds only (a fraction of a full pass) finds duplicated ids before the pool
  // is accumulated, so their loans are left out at once — no second read. CSV: exact (the loanId
  // cells read from the bytes: csv-column-scan.ts). NDJSON: a fast guess (ndjson-id-scan.ts) that the merge checks.
  const hashed = hashTape(options); // on this thread, while the workers read
  hashed.catch(() => {}); // awaited below
  // (the first CSV range too starts after the header, so that every range reads only loanId cells;
  // row numbers do not matter here, only which ids repeat; the runner may cut the tape otherwise
  // for it, e.g. a smaller first range for the thread that also hashes the tape meanwhile)
  const idWeights = options.runner.prepassWeights?.(options.ranges);
  const idStarts = idWeights ? await splitPoints(tape, format, prescan, idWeights) : starts;
  const idTasks = idStarts.map((start, index): RangeTask => {
    const end = idStarts[index + 1] ?? tape.size;
    return {
      ...tasks[0]!,
      index,
      start: format === 'csv' && index === 0 && prescan!.header ? prescan!.headerEnd : start,
      end,
      last: index === idStarts.length - 1,
      header: prescan!.header, // (null for NDJSON)
      expectedRecords: expectedRecords(end - start),
    };
  });
  const exclude = await duplicatedIds(idTasks.map((t) => options.runner.run({ ...t, idsOnly: true, keepFindings: 0 }, () => {})));
  phase('loanId pre-pass');
  const excludeIsExact = format === 'csv';
  const [sha256, results] = await Promise.all([
    hashed,
    Promise.all(tasks.map((t) => options.runner.run(exclude ? { ...t, exclude, excludeIsExact } : t, progress))),
  ]);
  phase('ranges');
  if (results.some((r) => !r.atRecordBoundary)) {
    await options.runner.release?.();
    return single(); // a speculative split point was wrong (csv-split.ts): never silently wrong
  }

  const idHeader = prescan.plan?.columns.find((c) => c.field?.name === kind.idField)?.header;
  const merged = mergeRanges(results, prescan.plan, idHeader, kind.validation);
  const kept = new FindingList(options.maxErrors);
  const emit = (f: Finding) => { kept.push(f); options.onFinding?.(f); };
  merged.findings.forEach(emit);
  if (merged.error) {
    await options.runner.release?.();
    throw merged.error;
  }

  let pools = results.map((r) => r.pool);
  const validity = results.map((r) => r.validity);
  results.length = 0; // the pools are all that is still needed of them
  phase('merge');
  const duplicated = merged.duplicates.map((g) => g.id);
  if (!sameIds(duplicated, exclude ?? [])) {
    // The pre-pass guessed wrong (NDJSON), or did not run: evaluate again without the duplicated
    // ids (as one pass does), coercing only the rows the first pass found valid.
    pools = (await Promise.all(tasks.map((t, k) => options.runner.run({ ...t, exclude: duplicated, evaluateOnly: true, validity: validity[k]!, keepFindings: 0 }, () => {})))).map((r) => r.pool);
    phase('second pass');
  }
  await options.runner.release?.();
  const aggregate = kind.createAccumulator(settings.settings);
  for (let k = 0; k < pools.length; k++) {
    kind.mergeTransfer(aggregate, pools[k]!, merged.rowOffsets[k]!);
    pools[k] = undefined!; // merged: let it go
  }
  phase('pool merge');
  const extra = format === 'csv' ? { delimiter: prescan.delimiter } : {};
  const report = buildReport(options, { summary: merged.summary, format, sha256, extra }, kept.sorted(), kept.truncated, prescan.kind, (dq) => kind.buildSections(aggregate, dq));
  phase('report');
  return { report, summary: merged.summary, format, sha256, kind: prescan.kind.id };
}

interface Prescan {
  /** The tape's kind: named, else made by its header (CSV) or first object (NDJSON), as one pass decides it. */
  readonly kind: AnyTapeKind;
  readonly delimiter: string;
  readonly header: { cells: string[]; row: number } | null;
  /** Offset just after the header (CSV) or 0: no split point may come before it. */
  readonly headerEnd: number;
  readonly plan: ColumnPlan | undefined;
  readonly reportingDate: { value: string; row: number } | null;
}

async function prescanCsv(options: CheckTapeOptions, head: Uint8Array, whole: boolean): Promise<Prescan | undefined> {
  // The delimiter as the one pass sniffs it: from the first non-empty line, after a BOM.
  const delimiter = sniffDelimiter(new TextDecoder('utf-8', { ignoreBOM: false }).decode(head));
  if (delimiter.charCodeAt(0) > 0x7f) return undefined;
  let validator: ReturnType<AnyTapeKind['createValidator']> | undefined;
  let kind: AnyTapeKind | undefined;
  let header: { cells: string[]; row: number } | null = null;
  // Whole records only (last = false unless the head is the whole tape).
  for await (const batch of readCsvRange(one(head), { ...options.limits, delimiter, byteOffset: 0, last: whole })) {
    for (const record of batch) {
      if (header === null) {
        header = { cells: [...record.cells], row: record.row };
        kind = kindOfHeader(header.cells, options); // (KIND_MISMATCH: the one pass reports it)
        validator = kind.createValidator(options.mapping ? { mapping: options.mapping } : {});
        validator.header(record.cells, record.row);
        continue;
      }
      validator!.record(record.row, record.cells);
      const date = validator!.firstReportingDate();
      if (date) return { kind: kind!, delimiter, header, headerEnd: firstRecordEnd(head, delimiter.charCodeAt(0)), plan: validator!.finish().plan, reportingDate: date };
    }
  }
  return undefined;
}

async function prescanNdjson(options: CheckTapeOptions, head: Uint8Array, whole: boolean): Promise<Prescan | undefined> {
  let validator: ReturnType<AnyTapeKind['createValidator']> | undefined;
  let kind: AnyTapeKind | undefined;
  const lastLine = whole ? head.length : head.lastIndexOf(0x0a) + 1;
  let waiting = 0;
  for await (const batch of readNdjsonBatches(one(head.subarray(0, lastLine)), options.limits)) {
    for (const r of batch) {
      if (!kind) {
        // The first object with a key decides, as in one pass (pass/kind-detecting-pass.ts: lines
        // before it wait, at most MAX_WAITING_LINES, then the default kind's pass takes them).
        const keys = r.object ? Object.keys(r.object) : [];
        if (keys.length === 0 && ++waiting <= MAX_WAITING_LINES) continue;
        kind = kindOfHeader(keys, options);
        validator = kind.createValidator(options.mapping ? { mapping: options.mapping } : {});
      }
      if (!r.object) continue;
      validator!.object(r.row, r.object);
      const date = validator!.firstReportingDate();
      if (date) return { kind, delimiter: ',', header: null, headerEnd: 0, plan: undefined, reportingDate: date };
    }
  }
  return undefined;
}

/** Range starts: 0, then one record start after each nominal offset (the weights' cumulative share of the size). */
async function splitPoints(tape: RandomAccessTape, format: 'csv' | 'ndjson', prescan: Prescan, weights: readonly number[]): Promise<number[]> {
  const starts = [0];
  const d = prescan.delimiter.charCodeAt(0);
  const total = weights.reduce((a, b) => a + b, 0);
  let cumulative = 0;
  for (let k = 1; k < weights.length; k++) {
    cumulative += weights[k - 1]!;
    const nominal = Math.floor((tape.size * cumulative) / total);
    if (nominal <= prescan.headerEnd || nominal <= starts[starts.length - 1]!) continue;
    for (const size of SPLIT_WINDOWS) {
      const window = await tape.read(nominal, size);
      // NDJSON: a line break is always a record boundary (JSON strings cannot hold one raw).
      const q = format === 'csv' ? findSplitPoint(window, d)?.offset ?? -1 : window.indexOf(0x0a) + 1 || -1;
      if (q > 0) {
        const start = nominal + q;
        if (start < tape.size) starts.push(start);
        break;
      }
      if (window.length < size) break; // end of file: no record starts after the nominal offset
    }
  }
  return starts;
}

/** The ids on several rows, from the ranges' pre-pass results (undefined: a range failed; the check reports it). */
async function duplicatedIds(runs: Array<Promise<RangeResult>>): Promise<string[] | undefined> {
  const results = await Promise.all(runs);
  if (results.some((r) => r.error || !r.atRecordBoundary)) return undefined;
  const offsets: number[] = [];
  let offset = 0;
  for (const r of results) {
    offsets.push(offset);
    offset += r.rows;
  }
  return findDuplicates(results.map((r) => r.ids), offsets).map((g) => g.id);
}

/** The same ids: the pre-pass's duplicated ids are the ones the full pass found. */
function sameIds(found: readonly string[], excluded: readonly string[]): boolean {
  if (excluded.length !== found.length) return false;
  const set = new Set(excluded);
  return found.every((id) => set.has(id));
}

/** SHA-256 of the whole tape (read once more, sequentially, while the workers run). */
async function hashTape(options: ParallelCheckOptions): Promise<string> {
  const source = new MeteredSource(options.tape.stream ? options.tape.stream() : await options.open());
  for await (const _ of source) { /* hashing as it passes */ }
  if (source.bytesRead === 0) throw new TapeReadError('TAPE_EMPTY', 'the file is empty; a tape needs a header row and one row per loan');
  return source.sha256();
}

async function* one(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

/** Line feeds in `bytes`. */
function lineBreaks(bytes: Uint8Array): number {
  let n = 0;
  for (let i = bytes.indexOf(0x0a); i >= 0; i = bytes.indexOf(0x0a, i + 1)) n++;
  return n;
}

function sum(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}

/**
 * The kind of an XLSX tape: the named one or the one its header row makes (read up to that row
 * only; the named or default kind when it has none); undefined when the header cannot say (it
 * makes another kind than the one named, or the sheet cannot be read): the one pass reports it.
 */
async function headerKind(options: CheckTapeOptions): Promise<AnyTapeKind | undefined> {
  let kind: AnyTapeKind = options.kind ?? LOAN_TAPE_KIND;
  const stop = new Error('header read');
  const sink = new KindDetectingPass((headers) => {
    kind = kindOfHeader(headers, options);
    throw stop;
  });
  const sheet = options.sheet ?? options.mapping?.sheet;
  try {
    await recordSource('xlsx', { ...(options.limits ? { limits: options.limits } : {}), ...(sheet ? { sheet } : {}) })(await options.open(), sink);
  } catch (e) {
    if (e !== stop) return undefined; // (the one pass reports what is wrong)
  }
  return kind;
}
