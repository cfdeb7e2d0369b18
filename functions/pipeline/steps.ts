/**
 * The pipeline's step list, defined once as data: the CDK stack builds the Step Functions state
 * machine from it and the local runner walks it in-process, so the two cannot drift. Data only:
 * no step code is imported here (the CDK app loads this file at synth time).
 */

/** Names of the pipeline's steps, in order, and of the failure handler. */
export type StepName = 'validate' | 'evaluate' | 'score' | 'publish';
export type HandlerName = StepName | 'fail' | 'analytics';

/** What a step's function may touch; the stack turns it into least-privilege IAM statements. */
export interface StepAccess {
  /** Raw tapes under `incoming/` (write: the API presigns uploads). */
  readonly incoming?: ReadonlyArray<'read' | 'write'>;
  /** Artifacts under `reports/{tapeId}/`. */
  readonly reports?: ReadonlyArray<'read' | 'write' | 'delete'>;
  /** Deal criteria files under `criteria/` (read; listing the prefix too, so a missing file is a 404, not a 403). */
  readonly criteria?: ReadonlyArray<'read'>;
  /** Deal stress-model files under `stress/` (read lists the prefix too, as criteria; write: the API stores them). */
  readonly stress?: ReadonlyArray<'read' | 'write'>;
  /** Deal watchlist threshold files under `watchlist/` (read; listing the prefix too, as criteria). */
  readonly watchlist?: ReadonlyArray<'read'>;
  /** Compute deals' residual-value curves under `curve/` (read; listing the prefix too, as criteria). */
  readonly curve?: ReadonlyArray<'read'>;
  /** Deal column-mapping files under `mapping/` (read lists the prefix too, as criteria; write: the API stores them). */
  readonly mapping?: ReadonlyArray<'read' | 'write'>;
  /** The results table (always conditional single-item writes). */
  readonly table?: 'read' | 'read-write';
  /** May put TapeScored / TapeFailed on the pipeline's event bus. */
  readonly events?: boolean;
  /** API responses too large to answer inline, under `exports/` (write, and read to presign GETs). */
  readonly exports?: boolean;
  /** Re-score jobs' tape lists and Distributed Map results under `rescores/`. */
  readonly rescores?: ReadonlyArray<'read' | 'write'>;
  /** May Query the results table and its indexes (listing deals) besides `table`'s item access. */
  readonly tableQuery?: boolean;
  /** May create re-score job items (PutItem limited to `RESCORE#` partition keys): the API. */
  readonly rescoreJobs?: boolean;
  /** Writes a scored tape's Parquet files into the market dataset under `analytics/` (loans and per-tape groups). */
  readonly analytics?: ReadonlyArray<'write'>;
  /** May create DMBX series items (PutItem limited to the `DMBX#` partition keys): the API. */
  readonly dmbxSeries?: boolean;
}

/** Retry with exponential backoff on transient errors (never on user errors, timeouts or out-of-memory). */
export interface RetryPolicy {
  /** Retries after the first attempt (Step Functions' `MaxAttempts`). */
  readonly maxAttempts: number;
  readonly intervalSeconds: number;
  readonly backoffRate: number;
  /** Cap of one wait (Step Functions' `MaxDelaySeconds`); none when absent. */
  readonly maxDelaySeconds?: number;
  /** `FULL`: each wait is drawn uniformly below its backoff (Step Functions' `JitterStrategy`), so a burst does not retry in step. */
  readonly jitter?: 'FULL' | 'NONE';
}

/** One entry of the step list. */
export interface StepDefinition<N extends string = HandlerName> {
  readonly name: N;
  /** Lambda entry file (exports `handler`), relative to the repository root. */
  readonly entry: string;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  readonly retry: RetryPolicy;
  readonly access: StepAccess;
  /** Status the tape shows while this step runs (the failure handler has none). */
  readonly status?: 'VALIDATING' | 'EVALUATING' | 'SCORING';
  /** The step may end the run early without error (`state.stop` set): duplicate notification or content. */
  readonly mayStop?: boolean;
  readonly description: string;
}

/**
 * Error names a step never retries: the input is at fault (`DmbsUserError`, see step-error.ts),
 * or retrying would cost as much again for the same outcome (time-out, out of memory).
 */
export const NON_RETRYABLE_ERRORS = ['DmbsUserError', 'States.Timeout', 'Sandbox.Timedout', 'Runtime.OutOfMemory'] as const;

const TRANSIENT: RetryPolicy = { maxAttempts: 3, intervalSeconds: 2, backoffRate: 2 };

/**
 * Errors of capacity, not of the step: Lambda refusing or failing the invocation itself, and the
 * AWS services a step calls throttling it beyond the SDK's own retries. Retried by their own
 * retrier (THROTTLING_RETRY), apart from and not counted against the step's own policy, so a
 * month-end burst waits instead of failing tapes (the local runner does the same).
 */
export const THROTTLING_ERRORS = [
  'Lambda.TooManyRequestsException', 'Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException',
  'ThrottlingException', 'ProvisionedThroughputExceededException', 'RequestLimitExceeded', 'SlowDown',
] as const;

/** A retry policy whose waits stop growing at `maxDelaySeconds` (Step Functions' MaxDelaySeconds). */
export interface CappedRetryPolicy extends RetryPolicy {
  readonly maxDelaySeconds: number;
}

/**
 * Throttling: 10 attempts, 5 s doubling up to 5 minutes (full jitter spreads a burst's retries),
 * about 25 minutes of waiting at most per step — longer than the intake needs to drain a month-end
 * burst's in-flight runs (INTAKE below).
 */
export const THROTTLING_RETRY: CappedRetryPolicy = { maxAttempts: 10, intervalSeconds: 5, backoffRate: 2, maxDelaySeconds: 300, jitter: 'FULL' };

/** The backoff before retry `n` (0-based), seconds: interval × rate^n, capped at maxDelaySeconds (before any jitter). */
export function backoffSeconds(policy: RetryPolicy, n: number): number {
  return Math.min(policy.intervalSeconds * policy.backoffRate ** n, policy.maxDelaySeconds ?? Number.POSITIVE_INFINITY);
}

/** The waits of `policy`'s retries, seconds, each at its cap (full jitter only shortens them). */
export function retryDelaysSeconds(policy: RetryPolicy): number[] {
  return Array.from({ length: policy.maxAttempts }, (_, i) => backoffSeconds(policy, i));
}

/**
 * The longest one step can take: every attempt of its transient retrier running to the time-out
 * (plus the task's margin), with both retriers' waits at their caps. The workflow's time-out is
 * the sum over the steps and the failure handler.
 */
export function worstCaseSeconds(step: StepDefinition): number {
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  return (step.retry.maxAttempts + 1) * (step.timeoutSeconds + TASK_TIMEOUT_MARGIN_SECONDS) + sum(retryDelaysSeconds(step.retry)) + sum(retryDelaysSeconds(THROTTLING_RETRY));
}

/** A task's time-out exceeds its function's by this much, so the function's own time-out error wins. */
export const TASK_TIMEOUT_MARGIN_SECONDS = 30;

/**
 * validate → evaluate → score → publish. Memory and time-outs: validate streams the whole tape
 * through checkTape (docs/aws.md "Limits"), so it gets the most
 * memory (Lambda CPU scales with memory: 1,769 MB = one full vCPU) and the 15-minute maximum.
 */
export const PIPELINE_STEPS: readonly StepDefinition<StepName>[] = [
  {
    name: 'validate',
    entry: 'functions/handlers/validate.ts',
    memoryMb: 3008,
    timeoutSeconds: 900,
    retry: TRANSIENT,
    access: { incoming: ['read'], reports: ['write', 'delete'], mapping: ['read'], table: 'read-write' },
    status: 'VALIDATING',
    mayStop: true,
    description: 'Claims the object version, streams the tape through checkTape, writes canonical loans, findings and the validation report.',
  },
  {
    name: 'evaluate',
    entry: 'functions/handlers/evaluate.ts',
    memoryMb: 1769,
    timeoutSeconds: 900,
    retry: TRANSIENT,
    // tableQuery: the deal's tapes, to choose the watchlist's prior tape
    access: { reports: ['read', 'write'], criteria: ['read'], stress: ['read'], watchlist: ['read'], curve: ['read'], table: 'read-write', tableQuery: true },
    status: 'EVALUATING',
    description: 'Streams canonical loans (without duplicated ids) through eligibility into the mergeable pool aggregate and through the watchlist against the prior tape\'s stored loans; writes loan-level results and the aggregate state.',
  },
  {
    name: 'score',
    entry: 'functions/handlers/score.ts',
    // The aggregate's state grows with distinct facilities: room to parse it.
    memoryMb: 1769,
    timeoutSeconds: 120,
    retry: TRANSIENT,
    access: { reports: ['read', 'write'], table: 'read-write' },
    status: 'SCORING',
    description: 'Restores the pool aggregate, builds eligibility, pool, concentrations and the scorecard; stores the full dmbs-report/1 document.',
  },
  {
    name: 'publish',
    entry: 'functions/handlers/publish.ts',
    memoryMb: 512,
    timeoutSeconds: 60,
    retry: TRANSIENT,
    access: { reports: ['read'], table: 'read-write', events: true },
    description: 'One final conditional write makes the results visible (status SCORED), then emits TapeScored (and LoansWatchlisted when the watchlist is not empty).',
  },
];

/**
 * The market dataset's write, after publish and off the tape's path: the tape is SCORED and its
 * TapeScored event out before this runs. Reads the canonical loans and the current revision's
 * loan results, writes the tape's two Parquet files under `analytics/`, then records the tape in
 * the latest-tape index (so the market never names a tape without its files). Its failure, after
 * its retries, never fails the tape: the run ends failed (alarmed) with the tape SCORED and left
 * out of the market until a re-score writes it (docs/market.md "The analytical dataset").
 */
export const ANALYTICS_STEP: StepDefinition<'analytics'> = {
  name: 'analytics',
  entry: 'functions/handlers/analytics.ts',
  memoryMb: 1769,
  timeoutSeconds: 900,
  retry: TRANSIENT,
  access: { reports: ['read'], analytics: ['write'], table: 'read-write' },
  description: 'Writes the scored tape\'s loans with their results, and its per-tape group sums, as Parquet into the market dataset; then records the tape in the latest-tape index.',
};

/** The failure handler: the catch of every step. Marks the tape FAILED with a reason, removes partial artifacts, emits TapeFailed. */
export const FAILURE_STEP: StepDefinition<'fail'> = {
  name: 'fail',
  entry: 'functions/handlers/fail.ts',
  memoryMb: 512,
  timeoutSeconds: 120,
  retry: { maxAttempts: 5, intervalSeconds: 2, backoffRate: 2 },
  // read: a NO_VALID_LOANS tape's validation counts (fail-step.ts), whose report and findings it keeps
  access: { reports: ['read', 'delete'], table: 'read-write', events: true },
  description: 'Marks the tape FAILED with a reason a person can act on; deletes partial artifacts (a tape with no valid loan keeps its report and findings); emits TapeFailed.',
};

/**
 * The event outbox sweep (functions/handlers/sweep-events.ts), on a schedule: publishes the
 * `TapeScored` events SCORED tapes still owe because the bus refused them (event-outbox.ts).
 */
export const OUTBOX_SWEEP = {
  name: 'sweep-events',
  entry: 'functions/handlers/sweep-events.ts',
  memoryMb: 256,
  timeoutSeconds: 120,
  /** Minutes between sweeps; a sweep sends only events owed longer than OUTBOX_GRACE_SECONDS. */
  everyMinutes: 5,
  access: { table: 'read-write', events: true },
} as const;

/** The HTTP API's function (not a pipeline step, listed here so the stack and docs size it in one place). */
export const API_FUNCTION = {
  name: 'api',
  entry: 'functions/handlers/api.ts',
  memoryMb: 1024,
  timeoutSeconds: 29,
} as const;

/** The re-score workflow's own functions (evaluate and score are the pipeline's, reused as they are). */
export type RescoreHandlerName = 'rescoreList' | 'rescoreClaim' | 'rescorePublish' | 'rescoreFail' | 'rescoreFinish';

/**
 * Re-score: list → Distributed Map over the tapes (claim → evaluate → score → publish; catch:
 * fail) → finish. The Map runs each tape as a child execution; the local runner walks the same
 * item steps in-process (functions/pipeline/run-rescore.ts).
 */
export const RESCORE_STEPS: { readonly [K in RescoreHandlerName]: StepDefinition<K> } = {
  rescoreList: {
    name: 'rescoreList', entry: 'functions/handlers/rescore-list.ts', memoryMb: 512, timeoutSeconds: 300, retry: TRANSIENT,
    access: { table: 'read-write', tableQuery: true, rescores: ['write'] },
    description: 'Lists the tapes of a re-score job (each deal\'s latest scored tape, one deal\'s, or one tape), stores them for the Distributed Map and records the total.',
  },
  rescoreClaim: {
    name: 'rescoreClaim', entry: 'functions/handlers/rescore-claim.ts', memoryMb: 512, timeoutSeconds: 60, retry: TRANSIENT,
    access: { reports: ['read'], table: 'read-write' },
    mayStop: true,
    description: 'Claims a SCORED tape for a new result revision (conditional write); skips a tape that is not SCORED or already being re-scored.',
  },
  rescorePublish: {
    name: 'rescorePublish', entry: 'functions/handlers/rescore-publish.ts', memoryMb: 512, timeoutSeconds: 60, retry: TRANSIENT,
    access: { reports: ['read'], table: 'read-write', events: true },
    description: 'Makes the new revision current in one conditional write (the previous one listed), emits TapeScored, counts the job item.',
  },
  rescoreFail: {
    name: 'rescoreFail', entry: 'functions/handlers/rescore-fail.ts', memoryMb: 512, timeoutSeconds: 120, retry: { maxAttempts: 5, intervalSeconds: 2, backoffRate: 2 },
    access: { reports: ['delete'], table: 'read-write' },
    description: 'Drops a failed re-score\'s claim (the current revision stays), deletes its partial artifacts, counts the job item.',
  },
  rescoreFinish: {
    name: 'rescoreFinish', entry: 'functions/handlers/rescore-finish.ts', memoryMb: 256, timeoutSeconds: 30, retry: TRANSIENT,
    access: { table: 'read-write' },
    description: 'Marks the re-score job DONE after the Distributed Map.',
  },
};

/** The Distributed Map's limits: child executions at once, and the share of failed tapes that still lets the job succeed. */
export const RESCORE_MAP = { maxConcurrency: 40, toleratedFailurePercentage: 10 } as const;
/**
 * The intake: S3 Object Created → EventBridge → SQS queue → the starter function, which starts a
 * pipeline run per upload while fewer than `maxRunningExecutions` runs are in flight and leaves
 * the rest queued (they come back after `visibilityTimeoutSeconds`). The pipeline's Lambda
 * concurrency is thus at most about `maxRunningExecutions` (one step per run at a time), and the
 * API keeps the rest of the account's concurrency.
 */
export const INTAKE = {
  name: 'start',
  entry: 'functions/handlers/start.ts',
  memoryMb: 256,
  timeoutSeconds: 30,
  /** Pipeline runs in flight at most (counted with one ListExecutions call per batch). */
  maxRunningExecutions: 100,
  /** Uploads per starter invocation. */
  batchSize: 10,
  /** Starter invocations at once (the event source's maximum concurrency; 2 is SQS's minimum). */
  maxConcurrency: 2,
  /** How long a deferred upload waits in the queue before the starter sees it again. */
  visibilityTimeoutSeconds: 60,
  /** Deliveries before an upload goes to the dead-letter queue: 1,000 × 60 s, about 17 hours of backlog. */
  maxReceiveCount: 1000,
  /** How long the queue keeps an upload. */
  retentionDays: 4,
} as const;
