/**
 * The local runner: takes the uploads the S3 emulator announces and walks each through the
 * pipeline's step list in-process with `runPipeline` (the same steps, retry policies and failure
 * handler the state machine has in AWS), a bounded number at a time. The intake is bounded too:
 * at most `maxQueued` uploads wait in memory; beyond that an upload stays only in the durable
 * inbox (the emulator's version snapshots) and is taken from there as the queue drains, so a
 * burst costs neither memory nor the API's responsiveness. At-most-once per object version comes
 * from the steps' own claim (a conditional write), not from anything here.
 */
import { randomBytes } from 'node:crypto';
import type { S3NotificationRecord } from '../aws/object-created.ts';
import { runPipeline, tapeIdFor, type PipelinePorts, type RunOutcome, type StepInvoker, type TapeObject } from '../pipeline/index.ts';
import type { AttemptLog } from './attempts.ts';
import { tapeObjectsFromS3rver } from './s3rver-notifications.ts';

export interface LocalRunnerOptions {
  readonly ports: PipelinePorts;
  /** Tapes processed at once (default 4: steps are mostly I/O on the emulators, validation is one core's work). */
  readonly concurrency?: number;
  /** Run ids are `{prefix}-{n}`; recovery tells the runs of an earlier process by their prefix. Default `local-{random}`. */
  readonly runIdPrefix?: string;
  /** Waits between step retries (tests pass a fast one). Default: the step list's intervals. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Called once per run when it ends (logs, the version inbox, tests); the run is in flight until it resolves. */
  readonly onSettled?: (result: RunResult) => void | Promise<void>;
  /** Durable marks of the tapes being processed (recovery fails a tape whose mark outlived its process). */
  readonly attempts?: AttemptLog;
  /** The step port (default: in-process); fault injection wraps it (e.g. throttling). */
  readonly invoke?: StepInvoker;
  /** New uploads waiting in memory at most (default 1,000); needs `backlog` to take the rest later. */
  readonly maxQueued?: number;
  /**
   * The uploads not yet finished, oldest first (the durable inbox): read when the queue has room
   * again after uploads were left out of it. Without it the queue is not bounded.
   */
  readonly backlog?: () => Promise<readonly TapeObject[]>;
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
  /** True while uploads wait only in the durable inbox (the queue was full). */
  readonly overflow: boolean;
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
  readonly #onSettled: ((result: RunResult) => void | Promise<void>) | undefined;
  readonly #attempts: AttemptLog | undefined;
  readonly #invoke: StepInvoker | undefined;
  readonly #maxQueued: number;
  readonly #backlog: (() => Promise<readonly TapeObject[]>) | undefined;
  readonly #queue: Array<Job | Task> = [];
  /** Jobs queued or running per tape id (a backlog read must not queue them again). */
  readonly #inFlight = new Map<string, number>();
  /** Uploads were left out of the full queue and wait in the inbox; `#refilling` while it is read. */
  #overflow = false;
  #refilling = false;
  /** Tape ids whose runs ended while the inbox was being read (the listing may predate their end). */
  readonly #endedDuringRefill = new Set<string>();
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
    this.#attempts = options.attempts;
    this.#invoke = options.invoke;
    this.#backlog = options.backlog;
    this.#maxQueued = options.backlog ? Math.max(1, options.maxQueued ?? 1000) : Number.POSITIVE_INFINITY;
  }

  /** Takes s3rver notification records (never throws: it runs inside the emulator's request). Returns the uploads taken (queued, or left in the inbox while the queue is full). */
  submit(records: readonly S3NotificationRecord[]): number {
    if (!this.#accepting) return 0;
    const objects = tapeObjectsFromS3rver(records);
    for (const object of objects) this.enqueue(object);
    return objects.length;
  }

  /** Queues one upload. `runId`: resume an earlier run's claim (recovery); otherwise a new run. */
  enqueue(object: TapeObject, options: { runId?: string } = {}): void {
    if (!this.#accepting) return;
    const tapeId = tapeIdFor(object);
    // A resumed run keeps its place (recovery queues few); a new upload beyond the bound waits in the inbox.
    if (options.runId === undefined && this.#queue.length >= this.#maxQueued) {
      this.#overflow = true;
      return;
    }
    this.#inFlight.set(tapeId, (this.#inFlight.get(tapeId) ?? 0) + 1);
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
    return { queued: this.#queue.length, overflow: this.#overflow, running: this.#running, ...this.#counts };
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
    this.#overflow = false;
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
    // Runs still going are cut short by this stop, not by the tape: recovery may resume them.
    this.#attempts?.endAll();
    return { unfinished: this.#running, dropped };
  }

  /** The process ends on purpose now: the tapes running did not end it (synchronous, for an exit path). */
  releaseAttempts(): void {
    this.#attempts?.endAll();
  }

  #pump(): void {
    while (this.#started && this.#running < this.concurrency && this.#queue.length > 0) {
      const job = this.#queue.shift()!;
      this.#running++;
      void ('task' in job ? this.#runTask(job) : this.#run(job)).finally(() => {
        this.#running--;
        if (!('task' in job)) {
          const tapeId = tapeIdFor(job.object);
          const left = (this.#inFlight.get(tapeId) ?? 1) - 1;
          if (left > 0) this.#inFlight.set(tapeId, left);
          else this.#inFlight.delete(tapeId);
          if (this.#refilling) this.#endedDuringRefill.add(tapeId);
        }
        this.#pump();
        if (this.#isIdle()) this.#notifyIdle();
      });
    }
    if (this.#overflow && !this.#refilling && this.#accepting && this.#queue.length <= this.#maxQueued / 2) void this.#refill();
  }

  /** Takes uploads left out of the full queue back from the inbox (those not queued or running), as far as there is room. */
  async #refill(): Promise<void> {
    this.#refilling = true;
    this.#overflow = false;
    this.#endedDuringRefill.clear();
    try {
      const listed = await this.#backlog!();
      const pending = listed.filter((o) => !this.#inFlight.has(tapeIdFor(o)) && !this.#endedDuringRefill.has(tapeIdFor(o)));
      for (const object of pending) this.enqueue(object);
    } catch (error) {
      // The inbox could not be read now: try again as the next run ends (the uploads are on disk).
      this.#overflow = this.#accepting;
      this.#ports.log?.('warn', 'could not read the upload inbox; trying again later', { error: error instanceof Error ? error.message : String(error) });
      await new Promise((resolve) => setTimeout(resolve, 1000));
    } finally {
      this.#refilling = false;
    }
    this.#pump();
    if (this.#isIdle()) this.#notifyIdle();
  }

  async #run(job: Job): Promise<void> {
    const started = performance.now();
    const tapeId = tapeIdFor(job.object);
    let result: RunResult;
    try {
      this.#attempts?.begin(tapeId, { runId: job.runId, key: job.object.key });
      const run = await runPipeline(job.object, this.#ports, {
        runId: job.runId, ...(this.#sleep ? { sleep: this.#sleep } : {}), ...(this.#invoke ? { invoke: this.#invoke } : {}),
      });
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
    this.#attempts?.end(tapeId);
    try {
      await this.#onSettled?.(result);
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
    return this.#running === 0 && this.#queue.length === 0 && !this.#overflow && !this.#refilling;
  }

  #notifyIdle(): void {
    for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }

  #newRunId(): string {
    this.#sequence++;
    return `${this.runIdPrefix}-${this.#sequence}`;
  }
}
