/**
 * A pool of worker threads that check ranges of a tape file (check-worker.ts), for
 * `checkTapeParallel`. The CLI bundle runs dist/dmbs-check-worker.mjs beside it; from the
 * TypeScript sources (tests, bench) the worker runs check-worker.ts through tsx.
 */
import { open } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { RandomAccessTape, RangeRunner } from '../core/parallel/check-tape-parallel.ts';
import type { PipeRunner, RecordPipe } from '../core/parallel/check-tape-piped.ts';
import { checkRange } from '../core/parallel/check-range.ts';
import type { RangeProgress, RangeResult, RangeTask } from '../core/parallel/range-task.ts';
import { fileRangeSource } from './file-source.ts';
import type { WorkerReply, WorkerRequest } from './check-worker.ts';

/**
 * Below this size one thread is as fast as two (bench/README.md): a second thread's start,
 * its JIT warm-up and the merge cost a fixed time, and V8's background compiler and GC threads lose
 * their free core.
 */
export const PARALLEL_MIN_BYTES = 16 << 20;

/** Threads for a tape of `size` bytes: `requested`, else the available cores (1 under PARALLEL_MIN_BYTES). */
export function workerCount(size: number, requested?: number): number {
  if (requested !== undefined) return Math.max(1, requested);
  return size < PARALLEL_MIN_BYTES ? 1 : Math.max(1, availableParallelism());
}

/**
 * A worker's young generation (V8 semi-spaces), in MB. The default grows to 16 MB per semi-space;
 * a worker's garbage is short-lived row data, and 8 MB keep its peak RSS lower at the same speed.
 */
const WORKER_YOUNG_GENERATION_MB = 8;

/**
 * This thread's share of the loanId pre-pass relative to a worker's (prepassWeights). This thread also
 * hashes the tape, so an equal share made it end after the worker.
 */
const PREPASS_SHARE_HERE = 0.6;

/** Starts a worker: the script bundled beside this module, or the TypeScript source through tsx (tests, bench). */
function startWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./dmbs-check-worker.mjs', import.meta.url), { stdout: false, stderr: false, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } });
  // Loader hooks of the parent are not inherited by workers on Node 20: register tsx inside the worker.
  const source = new URL('./check-worker.ts', import.meta.url).href;
  const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); });`;
  return new Worker(boot, { eval: true, stdout: false, stderr: false, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } });
}

/** Runs range tasks on `size` worker threads, one task per idle worker; `close()` ends them. */
export class WorkerPool implements RangeRunner, PipeRunner {
  readonly #idle: Worker[] = [];
  readonly #all: Worker[] = [];
  readonly #waiting: Array<(w: Worker) => void> = [];

  constructor(private readonly path: string, size: number) {
    for (let i = 0; i < size; i++) {
      const worker = startWorker();
      worker.unref();
      this.#all.push(worker);
      this.#idle.push(worker);
    }
  }

  async run(task: RangeTask, onProgress: (progress: RangeProgress) => void): Promise<RangeResult> {
    const worker = this.#idle.pop() ?? (await new Promise<Worker>((resolve) => this.#waiting.push(resolve)));
    try {
      return await new Promise<RangeResult>((resolve, reject) => {
        const onMessage = (reply: WorkerReply) => {
          if (reply.type === 'progress') return onProgress(reply);
          if (reply.type === 'ack' || reply.type === 'not-kept') return;
          cleanup();
          if (reply.type === 'result') resolve(reply.result);
          else reject(Object.assign(new Error(reply.message), reply.stack ? { stack: reply.stack } : {}));
        };
        const onError = (error: Error) => { cleanup(); reject(error); };
        const onExit = (code: number) => { cleanup(); reject(new Error(`a check worker stopped (exit code ${code})`)); };
        const cleanup = () => {
          worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        };
        worker.on('message', onMessage).on('error', onError).on('exit', onExit);
        worker.postMessage({ kind: 'range', path: this.path, task } satisfies WorkerRequest);
      });
    } finally {
      const next = this.#waiting.shift();
      if (next) next(worker);
      else this.#idle.push(worker);
    }
  }

  /**
   * A pipe of record batches to one worker (an XLSX tape read by this thread): up to 4 batches in
   * flight, so that reading and checking overlap without the batches piling up in memory.
   */
  openPipe(task: RangeTask, onRows: (rows: number) => void): RecordPipe {
    const ready = this.#idle.length > 0 ? Promise.resolve(this.#idle.pop()!) : new Promise<Worker>((resolve) => this.#waiting.push(resolve));
    let inFlight = 0;
    let wake: (() => void) | undefined;
    let settle: { resolve: (r: RangeResult) => void; reject: (e: Error) => void } | undefined;
    let failure: Error | undefined;
    const result = new Promise<RangeResult>((resolve, reject) => (settle = { resolve, reject }));
    result.catch(() => {}); // observed through finish()
    const opened = ready.then((worker) => {
      const onMessage = (reply: WorkerReply) => {
        if (reply.type === 'ack') {
          inFlight--;
          onRows(reply.rows);
          wake?.();
          return;
        }
        if (reply.type === 'progress' || reply.type === 'not-kept') return;
        cleanup();
        if (reply.type === 'result') settle!.resolve(reply.result);
        else fail(Object.assign(new Error(reply.message), reply.stack ? { stack: reply.stack } : {}));
      };
      const fail = (error: Error) => {
        failure = error;
        settle!.reject(error);
        wake?.();
      };
      const onError = (error: Error) => { cleanup(); fail(error); };
      const onExit = (code: number) => { cleanup(); fail(new Error(`a check worker stopped (exit code ${code})`)); };
      const cleanup = () => {
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        const next = this.#waiting.shift();
        if (next) next(worker);
        else this.#idle.push(worker);
      };
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
      worker.postMessage({ kind: 'open', task } satisfies WorkerRequest);
      return worker;
    });
    return {
      push: async (batch) => {
        const worker = await opened;
        while (inFlight >= 4 && !failure) await new Promise<void>((resolve) => (wake = resolve));
        if (failure) throw failure;
        inFlight++;
        worker.postMessage({ kind: 'batch', batch } satisfies WorkerRequest, [batch.rows.buffer, batch.counts.buffer, batch.lengths.buffer] as ArrayBuffer[]);
      },
      finish: async () => {
        const worker = await opened;
        if (!failure) worker.postMessage({ kind: 'end' } satisfies WorkerRequest);
        return result;
      },
      replay: async (again) => {
        const worker = await opened;
        await result.catch(() => undefined); // after finish(): the worker has posted its result
        if (failure) return undefined;
        return this.#exclusive(worker, () => new Promise<RangeResult | undefined>((resolve, reject) => {
          const done = () => worker.off('message', onMessage).off('error', onError).off('exit', onExit);
          const onMessage = (reply: WorkerReply) => {
            if (reply.type === 'progress' || reply.type === 'ack') return;
            done();
            if (reply.type === 'result') resolve(reply.result);
            else if (reply.type === 'not-kept') resolve(undefined);
            else reject(Object.assign(new Error(reply.message), reply.stack ? { stack: reply.stack } : {}));
          };
          const onError = (error: Error) => { done(); reject(error); };
          const onExit = (code: number) => { done(); reject(new Error(`a check worker stopped (exit code ${code})`)); };
          worker.on('message', onMessage).on('error', onError).on('exit', onExit);
          worker.postMessage({ kind: 'replay', task: again } satisfies WorkerRequest);
        }));
      },
    };
  }

  /** Runs `job` on this very worker (the one that kept a pipe's batches), out of the pool meanwhile. */
  async #exclusive<T>(worker: Worker, job: () => Promise<T>): Promise<T> {
    const idle = this.#idle.indexOf(worker);
    if (idle < 0) return undefined as T; // busy with another task: the caller reads the tape again
    this.#idle.splice(idle, 1);
    try {
      return await job();
    } finally {
      const next = this.#waiting.shift();
      if (next) next(worker);
      else this.#idle.push(worker);
    }
  }

  /** Ends the workers (their heaps go with them); the pool runs no more tasks. */
  async release(): Promise<void> {
    await Promise.all(this.#all.map((w) => w.terminate()));
  }

  async close(): Promise<void> {
    await this.release();
  }
}

/**
 * Runs the first range in this thread and the others on `threads - 1` worker threads: one V8
 * isolate fewer and no thread more than cores. This thread also hashes the tape and merges the results.
 */
export class ThreadRunner implements RangeRunner, PipeRunner {
  readonly #pool: WorkerPool;

  constructor(private readonly path: string, threads: number) {
    this.#pool = new WorkerPool(path, Math.max(1, threads - 1));
  }

  /** Equal ranges: measured, this thread checks rows as fast as a worker while it also hashes the tape. */
  weights(ranges: number): number[] {
    return new Array<number>(ranges).fill(1);
  }

  /**
   * The loanId pre-pass: this thread's range smaller than a worker's, as it also hashes the tape
   * meanwhile (the hash starts with the pre-pass).
   */
  prepassWeights(ranges: number): number[] {
    return Array.from({ length: ranges }, (_, k) => (k === 0 ? PREPASS_SHARE_HERE : 1));
  }

  run(task: RangeTask, onProgress: (progress: RangeProgress) => void): Promise<RangeResult> {
    if (task.index !== 0) return this.#pool.run(task, onProgress);
    return checkRange(task, fileRangeSource(this.path, task.start, task.end), (bytesRead, rows) => onProgress({ index: task.index, bytesRead, rows }));
  }

  /** Record pipes go to a worker thread: this thread reads the tape. */
  openPipe(task: RangeTask, onRows: (rows: number) => void): RecordPipe {
    return this.#pool.openPipe(task, onRows);
  }

  release(): Promise<void> {
    return this.#pool.release();
  }

  close(): Promise<void> {
    return this.#pool.close();
  }
}

/** A file's bytes by offset, for finding split points. */
export async function fileTape(path: string, size: number): Promise<RandomAccessTape & { close(): Promise<void> }> {
  const handle = await open(path, 'r');
  return {
    size,
    async read(offset, length) {
      const buffer = Buffer.alloc(Math.max(0, Math.min(length, size - offset)));
      let done = 0;
      while (done < buffer.length) {
        const { bytesRead } = await handle.read(buffer, done, buffer.length - done, offset + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      return buffer.subarray(0, done);
    },
    stream: () => fileRangeSource(path, 0, size),
    close: () => handle.close(),
  };
}
