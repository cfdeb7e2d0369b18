/**
 * The local runner: takes the uploads the S3 emulator announces and walks each through the
 * pipeline's step list in-process with `runPipeline` (the same steps, retry policies and failure
 * handler the state machine has in AWS), a bounded number at a time. At-most-once per object
 * version comes from the steps' own claim (a conditional write), not from anything here.
 */
import { randomBytes } from 'node:crypto';
import type { S3NotificationRecord } from '../aws/object-created.ts';
import { runPipeline, tapeIdFor, type PipelinePorts, type RunOutcome, type TapeObject } from '../pipeline/index.ts';
import { tapeObjectsFromS3rver } from './s3rver-notifications.ts';

export interface LocalRunnerOptions {
  readonly ports: PipelinePorts;
  /** Tapes processed at once (default 4: steps are mostly I/O on the emulators, validation is one core's work). */
  readonly concurrency?: number;
  /** Run ids are `{prefix}-{n}`; recovery tells the runs of an earlier process by their prefix. Default `local-{random}`. */
  readonly runIdPrefix?: string;
  /** Waits between step retries (tests pass a fast one). Default: the step list's intervals. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Called once per run when it ends (logs, the version inbox, tests). */
  readonly onSettled?: (result: RunResult) => void;
}

/** How one run ended. `crashed`: even the failure handler could not record the outcome (the tape is left for recovery). */
export interface RunResult {
  readonly object: TapeObject;
  readonly runId: string;
  readonly tapeId: string;
  readonly outcome: RunOutcome['outcome'] | 'crashed';
  readonly run?: RunOutcome;
  readonly error?: unknown;
  readonly milliseconds: number;
  /** True when the run resumed a tape an earlier process had claimed. */
  readonly resumed: boolean;
}

export interface RunnerStats {
  readonly queued: number;
  readonly running: number;
  readonly scored: number;
  readonly stopped: number;
  readonly failed: number;
  readonly crashed: number;
}

interface Job {
  readonly object: TapeObject;
  readonly runId: string;
  readonly resumed: boolean;
}

/** Other work that shares the runner's slots (a tape's re-score, a re-score job's listing). */
interface Task {
  readonly task: () => Promise<void>;
}

/**
 * @example
 * const runner = new LocalRunner({ ports, concurrency: 4 });
 * s3Emulator.onEvent = (records) => runner.submit(records);
 * runner.start();
 */
export class LocalRunner {
  readonly runIdPrefix: string;
  readonly concurrency: number;
  readonly #ports: PipelinePorts;
  readonly #sleep: ((ms: number) => Promise<void>) | undefined;
  readonly #onSettled: ((result: RunResult) => void) | undefined;
  readonly #queue: Array<Job | Task> = [];
  readonly #idleWaiters: Array<() => void> = [];
  #sequence = 0;
  #running = 0;
  #started = false;
  #accepting = true;
  #counts = { scored: 0, stopped: 0, failed: 0, crashed: 0 };

  constructor(options: LocalRunnerOptions) {
    this.#ports = options.ports;
    this.concurrency = Math.max(1, options.concurrency ?? 4);
    this.runIdPrefix = options.runIdPrefix ?? `local-${randomBytes(4).toString('hex')}`;
    this.#sleep = options.sleep;
    this.#onSettled = options.onSettled;
  }

  /** Takes s3rver notification records (never throws: it runs inside the emulator's request). Returns the uploads queued. */
  submit(records: readonly S3NotificationRecord[]): number {
    if (!this.#accepting) return 0;
    const objects = tapeObjectsFromS3rver(records);
    for (const object of objects) this.enqueue(object);
    return objects.length;
  }

  /** Queues one upload. `runId`: resume an earlier run's claim (recovery); otherwise a new run. */
  enqueue(object: TapeObject, options: { runId?: string } = {}): void {
    if (!this.#accepting) return;
    this.#queue.push({ object, runId: options.runId ?? this.#newRunId(), resumed: options.runId !== undefined });
    this.#pump();
  }

  /**
   * Queues other pipeline work (re-scores) behind the uploads already queued, in the same bounded
   * slots. The task handles its own errors; one that escapes is logged.
   */
  enqueueTask(task: () => Promise<void>): void {
    if (!this.#accepting) return;
    this.#queue.push({ task });
    this.#pump();
  }

  /** Starts processing (uploads announced before are kept in order until then). */
  start(): void {
    this.#started = true;
    this.#pump();
  }

  /** True while the runner takes and processes uploads. */
  get ready(): boolean {
    return this.#started && this.#accepting;
  }

  /** True when `runId` is one of this runner's (not an earlier process's). */
  ownsRun(runId: string): boolean {
    return runId.startsWith(`${this.runIdPrefix}-`);
  }

  get stats(): RunnerStats {
    return { queued: this.#queue.length, running: this.#running, ...this.#counts };
  }

  /** Resolves when nothing is queued or running (tests, benchmarks, the demo seeder). */
  whenIdle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /**
   * Stops taking uploads and waits up to `graceMs` for the runs in progress. Queued uploads are
   * not lost: their versions are in the emulator, and recovery queues them at the next start.
   * Returns how many runs were still going when the grace period ended.
   */
  async stop(graceMs = 10_000): Promise<{ unfinished: number; dropped: number }> {
    this.#accepting = false;
    const dropped = this.#queue.splice(0).length;
    if (this.#running > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => this.#idleWaiters.push(resolve)),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs))),
      ]);
      clearTimeout(timer);
    }
    this.#notifyIdle();
    return { unfinished: this.#running, dropped };
  }

  #pump(): void {
    while (this.#started && this.#running < this.concurrency && this.#queue.length > 0) {
      const job = this.#queue.shift()!;
      this.#running++;
      void ('task' in job ? this.#runTask(job) : this.#run(job)).finally(() => {
        this.#running--;
        this.#pump();
        if (this.#isIdle()) this.#notifyIdle();
      });
    }
  }

  async #run(job: Job): Promise<void> {
    const started = performance.now();
    const tapeId = tapeIdFor(job.object);
    let result: RunResult;
    try {
      const run = await runPipeline(job.object, this.#ports, { runId: job.runId, ...(this.#sleep ? { sleep: this.#sleep } : {}) });
      this.#counts[run.outcome]++;
      result = { object: job.object, runId: job.runId, tapeId: run.state.tapeId ?? tapeId, outcome: run.outcome, run, milliseconds: performance.now() - started, resumed: job.resumed };
    } catch (error) {
      // The failure handler itself failed (e.g. the table is gone): the tape stays non-final and
      // is resumed or failed with a reason by recovery at the next start.
      this.#counts.crashed++;
      this.#ports.log?.('error', 'run could not record its outcome; recovery will handle the tape at the next start', {
        tapeId, runId: job.runId, error: error instanceof Error ? error.message : String(error),
      });
      result = { object: job.object, runId: job.runId, tapeId, outcome: 'crashed', error, milliseconds: performance.now() - started, resumed: job.resumed };
    }
    try {
      this.#onSettled?.(result);
    } catch {
      // a listener's problem is not the run's
    }
  }

  async #runTask(job: Task): Promise<void> {
    try {
      await job.task();
    } catch (error) {
      this.#ports.log?.('error', 'runner task failed', { error: error instanceof Error ? error.message : String(error) });
    }
  }

  #isIdle(): boolean {
    return this.#running === 0 && this.#queue.length === 0;
  }

  #notifyIdle(): void {
    for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }

  #newRunId(): string {
    this.#sequence++;
    return `${this.runIdPrefix}-${this.#sequence}`;
  }
}
