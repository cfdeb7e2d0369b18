/**
 * Entry of a `dmbs check` worker thread (bundled to dist/dmbs-check-worker.mjs): checks the byte
 * ranges of a tape file it is sent (core/parallel/check-range.ts), reading the file itself in 1 MiB
 * chunks, or the record batches another thread reads (an XLSX tape, core/parallel/record-batches.ts),
 * and posts back each result, its typed arrays transferred, not copied.
 */
import { getHeapStatistics } from 'node:v8';
import { parentPort } from 'node:worker_threads';
import { checkRange, RangeChecker, warmUp } from '../core/parallel/check-range.ts';
import { forEachRecord, KeptBatches, type RecordBatch } from '../core/parallel/record-batches.ts';
import { transferables, type RangeResult, type RangeTask } from '../core/parallel/range-task.ts';
import { fileRangeSource } from './file-source.ts';

/** Messages to a worker: a byte range of a file, or a pipe of record batches (open, batches, end). */
export type WorkerRequest =
  | { readonly kind: 'range'; readonly path: string; readonly task: RangeTask }
  | { readonly kind: 'open'; readonly task: RangeTask }
  | { readonly kind: 'batch'; readonly batch: RecordBatch }
  | { readonly kind: 'end' }
  /** Checks the batches of the last pipe again (kept compressed) with this task; `not-kept` when they were not all kept. */
  | { readonly kind: 'replay'; readonly task: RangeTask };

/** Messages from a worker. */
export type WorkerReply =
  | { readonly type: 'progress'; readonly index: number; readonly bytesRead: number; readonly rows: number }
  | { readonly type: 'ack'; readonly rows: number }
  | { readonly type: 'result'; readonly result: RangeResult }
  | { readonly type: 'not-kept' }
  | { readonly type: 'failure'; readonly message: string; readonly stack?: string };

/**
 * Batches a worker keeps for a second pass (KeptBatches), in MB: XLSX tapes whose
 * batches fit skip their second read (bench/README.md); larger ones are read again. `DMBS_KEEP_BATCHES_MB` sets it (tests use 0 to
 * take the read-again path; a machine short of memory may lower it).
 */
const KEEP_BUDGET_BYTES = Number(process.env.DMBS_KEEP_BATCHES_MB ?? 128) * (1 << 20);

const port = parentPort;
if (port) {
  // Compile the validators while the main thread reads the tape's first rows (off the critical path).
  warmUp();
  let piped: RangeChecker | undefined;
  let pipedRows = 0;
  /** The last pipe's batches, for a second pass without a second read (a tape with duplicated ids). */
  let kept: KeptBatches | undefined;
  const post = (result: RangeResult) => {
    const heap = getHeapStatistics();
    result.heap = { usedMB: Math.round(heap.used_heap_size / 1e6), totalMB: Math.round(heap.total_heap_size / 1e6) };
    port.postMessage({ type: 'result', result } satisfies WorkerReply, transferables(result));
  };
  const failed = (error: unknown) => {
    const e = error as Error;
    port.postMessage({ type: 'failure', message: e?.message ?? String(error), ...(e?.stack ? { stack: e.stack } : {}) } satisfies WorkerReply);
  };
  port.on('message', (request: WorkerRequest) => {
    try {
      switch (request.kind) {
        case 'range': {
          const { path, task } = request;
          checkRange(task, fileRangeSource(path, task.start, task.end), (bytesRead, rows) => port.postMessage({ type: 'progress', index: task.index, bytesRead, rows } satisfies WorkerReply))
            .then(post, failed);
          return;
        }
        case 'open':
          piped = new RangeChecker(request.task);
          pipedRows = 0;
          kept = new KeptBatches(KEEP_BUDGET_BYTES);
          return;
        case 'batch': {
          const checker = piped!;
          if (!checker.failed) {
            try {
              forEachRecord(request.batch, (row, cells) => checker.spans(row, cells));
            } catch (e) {
              checker.fail(e); // a header that cannot be mapped: the error is the result
            }
          }
          pipedRows += request.batch.rows.length;
          port.postMessage({ type: 'ack', rows: checker.validatedRows } satisfies WorkerReply);
          kept?.keep(request.batch); // after the ack: the reading thread goes on meanwhile
          return;
        }
        case 'replay': {
          if (!kept?.complete) {
            port.postMessage({ type: 'not-kept' } satisfies WorkerReply);
            return;
          }
          const checker = new RangeChecker(request.task);
          let rows = 0;
          for (const batch of kept.batches()) {
            forEachRecord(batch, (row, cells) => checker.spans(row, cells));
            rows += batch.rows.length;
          }
          kept = undefined;
          post(checker.finish(rows, true));
          return;
        }
        case 'end':
          post(piped!.finish(pipedRows, true));
          piped = undefined;
          return;
      }
    } catch (error) {
      failed(error);
    }
  });
}
