/**
 * `checkTape` for a tape that must be read in one stream (XLSX: one deflate stream per sheet) on
 * two threads as a pipeline: this thread reads and hashes the tape and sends its records in packed
 * batches (record-batches.ts); a worker maps, coerces, validates and evaluates them
 * (check-range.ts) as the tape's kind; the result is merged as a one-range tape (merge-ranges.ts)
 * into the very report one pass gives. Pure: the worker comes through the runner.
 */
import { buildReport, checkTape, FindingList, type CheckTapeOptions, type CheckTapeResult } from '../check-tape.ts';
import { TapeReadError } from '../errors.ts';
import type { AnyTapeKind } from '../kinds/registry.ts';
import type { SomeTapeKind } from '../kinds/tape-kind.ts';
import type { Finding } from '../generated/report.ts';
import { MeteredSource } from '../readers/byte-meter.ts';
import { detectFormat } from '../readers/tape-format.ts';
import { readXlsxBatches } from '../readers/xlsx-reader.ts';
import type { TapeValidator } from '../validation/tape-validator.ts';
import { mergeRanges } from './merge-ranges.ts';
import { RecordBatcher, type RecordBatch } from './record-batches.ts';
import { taskSettings, type RangeResult, type RangeTask } from './range-task.ts';

/** A worker fed records in batches; `finish` resolves with its result. */
export interface RecordPipe {
  /** Sends a batch; resolves when the pipe can take more (a few batches may be in flight). */
  push(batch: RecordBatch): Promise<void>;
  finish(): Promise<RangeResult>;
  /**
   * After finish(): checks the same batches again with `task` (a second, evaluation-only pass) from
   * what the worker kept (record-batches.ts KeptBatches); undefined when it did not keep them all.
   */
  replay?(task: RangeTask): Promise<RangeResult | undefined>;
}

/** Opens record pipes (the CLI's worker threads). */
export interface PipeRunner {
  openPipe(task: RangeTask, onRows: (rows: number) => void): RecordPipe;
}

/** Rows per batch: large enough that a message costs little, small enough to keep both threads busy. */
const BATCH_ROWS = 2000;

/**
 * Checks an XLSX tape on two threads; the result equals `checkTape`'s (minus `generatedAt`).
 * Other formats, and callbacks that need loans in order, take the one pass.
 */
export async function checkTapePiped(options: CheckTapeOptions & {
  readonly runner: PipeRunner;
  /** The tape's kind: named, or made by its header row (checkTapeParallel reads it). */
  readonly kind: AnyTapeKind;
  /** Milliseconds of each phase, for benchmarks (as checkTapeParallel's). */
  readonly onPhase?: (phase: 'ranges' | 'second pass' | 'report', ms: number) => void;
}): Promise<CheckTapeResult> {
  if (options.onLoan || options.onLoanEvaluation || options.onRow || options.onRowEvaluation) return checkTape(options);
  const kind = options.kind as SomeTapeKind;
  const settings = taskSettings(options.kind, options);
  if (!settings) return checkTape(options);
  const sheet = options.sheet ?? options.mapping?.sheet;
  let rows = 0;
  const task: RangeTask = {
    index: 0, start: 0, end: 0, last: true, format: 'csv', delimiter: ',', header: null,
    ...(options.mapping ? { mapping: options.mapping } : {}),
    kind: options.kind.id,
    settings: settings.data,
    reportingDate: null,
    ...(options.limits ? { limits: options.limits } : {}),
    keepFindings: options.onFinding ? Number.POSITIVE_INFINITY : options.maxErrors ?? Number.POSITIVE_INFINITY,
  };

  /** One read of the tape through a pipe: the worker's result, the reader's error if any, and the header's plan. */
  const pass = async (exclude?: readonly string[], validity?: Uint8Array) => {
    const source = new MeteredSource(await options.open(), (bytesRead) => !exclude && options.onProgress?.({ bytesRead, rows }));
    const head = await source.head();
    if (head.length === 0) throw new TapeReadError('TAPE_EMPTY', 'the file is empty; a tape needs a header row and one row per loan');
    const format = options.format ?? detectFormat(options.fileName, head);
    if (format !== 'xlsx') return undefined;
    const pipe = options.runner.openPipe(exclude ? { ...task, exclude, evaluateOnly: true, keepFindings: 0, ...(validity ? { validity } : {}) } : task, (n) => (rows = n));
    const batcher = new RecordBatcher();
    let header: { cells: string[]; row: number } | undefined;
    let failure: unknown;
    try {
      for await (const batch of readXlsxBatches(source, { ...(sheet ? { sheet } : {}), ...(options.limits ? { limits: options.limits } : {}) })) {
        for (const record of batch) {
          header ??= { cells: [...record.cells], row: record.row };
          batcher.push(record);
        }
        if (batcher.size >= BATCH_ROWS) await pipe.push(batcher.take());
      }
    } catch (e) {
      failure = e;
    }
    if (batcher.size > 0) await pipe.push(batcher.take());
    const result = await pipe.finish();
    return { result, failure, header, sha256: failure === undefined ? source.sha256() : '', pipe };
  };

  let clock = performance.now();
  const phase = (name: 'ranges' | 'second pass' | 'report') => {
    const now = performance.now();
    options.onPhase?.(name, now - clock);
    clock = now;
  };
  const first = await pass();
  phase('ranges');
  if (!first) return checkTape(options); // not an XLSX tape after all
  const { result, failure, header } = first;
  // The header's plan, as the worker made it (for the report's columns and DUPLICATE_ID findings).
  const planner = kind.createValidator(options.mapping ? { mapping: options.mapping } : {});
  let plan: ReturnType<TapeValidator['finish']>['plan'];
  if (header) {
    try {
      planner.useHeader(header.cells, header.row);
      plan = planner.finish().plan;
    } catch {
      plan = undefined; // the worker reports the header's error
    }
  }
  const idHeader = plan?.columns.find((c) => c.field?.name === kind.idField)?.header;
  const merged = mergeRanges([result], plan, idHeader, kind.validation);
  const kept = new FindingList(options.maxErrors);
  const emit = (f: Finding) => { kept.push(f); options.onFinding?.(f); };
  merged.findings.forEach(emit);
  if (merged.error) throw merged.error;
  if (failure !== undefined) throw failure;

  let pool = result.pool;
  if (merged.duplicates.length > 0) {
    // Duplicated ids are known only at the end: evaluate again without them (as one pass does) —
    // over the batches the worker kept, else by reading the tape again.
    const exclude = merged.duplicates.map((g) => g.id);
    const again = await first.pipe.replay?.({ ...task, exclude, evaluateOnly: true, keepFindings: 0, validity: result.validity });
    pool = (again ?? (await pass(exclude, result.validity))!.result).pool;
    phase('second pass');
  }
  const aggregate = kind.createAccumulator(settings.settings);
  kind.mergeTransfer(aggregate, pool, 0);
  const extra = sheet ? { sheet } : {};
  const report = buildReport(options, { summary: merged.summary, format: 'xlsx', sha256: first.sha256, extra }, kept.sorted(), kept.truncated, options.kind, (dq) => kind.buildSections(aggregate, dq));
  phase('report');
  return { report, summary: merged.summary, format: 'xlsx', sha256: first.sha256, kind: options.kind.id };
}
