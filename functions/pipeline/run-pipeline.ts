/**
 * Walks the step list in-process, as the state machine does in AWS: each step with its retry
 * policy, the failure handler for a user error (the step's result) and as the catch, and an
 * early stop for duplicates. The local runner
 * and the integration tests call it; in AWS, Step Functions does this walking.
 */
import type { FailedState } from './fail-step.ts';
import type { PipelinePorts } from './ports.ts';
import type { PipelineState, TapeObject } from './state.ts';
import { isRetryable, runStep, toCaughtError } from './step-error.ts';
import { failStep, STEP_FUNCTIONS } from './step-functions.ts';
import { invokeDirectly, isThrottling, type StepInvoker } from './step-invoker.ts';
import { analyticsStep } from './analytics-step.ts';
import { ANALYTICS_STEP, backoffSeconds, FAILURE_STEP, PIPELINE_STEPS, THROTTLING_RETRY, type RetryPolicy, type StepName } from './steps.ts';

export type RunOutcome =
  | { readonly outcome: 'scored'; readonly state: PipelineState }
  | { readonly outcome: 'stopped'; readonly state: PipelineState }
  | { readonly outcome: 'failed'; readonly state: FailedState };

export interface RunOptions {
  /** The run's id (owner of the tape's claim); one per notification delivery. */
  readonly runId: string;
  /** Waits between retries (tests pass a no-op). Default: setTimeout. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Called before each step (progress, logs). */
  readonly onStep?: (step: StepName | 'fail' | 'analytics', state: PipelineState) => void;
  /** The step port (default: in-process). Fault injection wraps it, e.g. `throttleFirstCalls(n)`. */
  readonly invoke?: StepInvoker;
}

/**
 * Runs one uploaded object through validate → evaluate → score → publish, then (the tape SCORED)
 * the market dataset's write, whose failure leaves the outcome `scored` (see runAnalytics).
 * @example const { outcome } = await runPipeline(object, ports, { runId: randomUUID() });
 */
export async function runPipeline(object: TapeObject, ports: PipelinePorts, options: RunOptions): Promise<RunOutcome> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const invoke = options.invoke ?? invokeDirectly;
  let state: PipelineState = { object, runId: options.runId };
  for (const step of PIPELINE_STEPS) {
    options.onStep?.(step.name, state);
    let caught: PipelineState | undefined;
    try {
      const input = state;
      state = await withRetry(step.retry, sleep, () => invoke(step.name, () => runStep(input, (s) => STEP_FUNCTIONS[step.name](s, ports))));
      // a user error is the step's result: the state machine's Choice sends it to the failure handler
      if (state.error) caught = state;
    } catch (e) {
      ports.log?.('warn', `step ${step.name} failed`, { tapeId: state.tapeId, error: e instanceof Error ? e.message : String(e) });
      caught = { ...state, error: toCaughtError(e) };
    }
    if (caught) {
      const failing = caught;
      options.onStep?.('fail', failing);
      const failed = await withRetry(FAILURE_STEP.retry, sleep, () => invoke('fail', () => failStep(failing, ports, step.timeoutSeconds)));
      return { outcome: 'failed', state: failed };
    }
    if (state.stop) return { outcome: 'stopped', state };
  }
  options.onStep?.('analytics', state);
  await runAnalytics(state, ports, sleep, invoke);
  return { outcome: 'scored', state };
}

/**
 * The analytics step after a SCORED tape, with its retries. Its failure is not the tape's: it is
 * logged as an error (the state machine ends the run failed instead, which alarms) and the tape
 * stays SCORED, out of the market until it is re-scored. True when the files were written.
 */
export async function runAnalytics(state: PipelineState, ports: PipelinePorts, sleep: (ms: number) => Promise<void>, invoke: StepInvoker = invokeDirectly): Promise<boolean> {
  try {
    const out = await withRetry(ANALYTICS_STEP.retry, sleep, () => invoke('analytics', () => runStep(state, (s) => analyticsStep(s, ports))));
    if (out.error) throw new Error(out.error.Cause ?? out.error.Error);
    return true;
  } catch (e) {
    ports.log?.('error', 'market dataset not written; the tape stays SCORED and out of the market until it is re-scored', { tapeId: state.tapeId, error: e instanceof Error ? e.message : String(e) });
    return false;
  }
}

/** The step's policy for its own errors; throttling counted apart under THROTTLING_RETRY (as the state machine's two retriers do). */
export async function withRetry<T>(policy: RetryPolicy, sleep: (ms: number) => Promise<void>, run: () => Promise<T>): Promise<T> {
  let attempts = 0;
  let throttled = 0;
  for (;;) {
    try {
      return await run();
    } catch (e) {
      if (isThrottling(e) && throttled < THROTTLING_RETRY.maxAttempts) {
        await sleep(retryDelayMs(THROTTLING_RETRY, throttled++));
      } else if (!isThrottling(e) && attempts < policy.maxAttempts && isRetryable(e)) {
        await sleep(retryDelayMs(policy, attempts++));
      } else {
        throw e;
      }
    }
  }
}

/** The wait before retry `n` (0-based): interval × rate^n, capped, drawn below that with full jitter. */
export function retryDelayMs(policy: RetryPolicy, n: number, random: () => number = Math.random): number {
  const backoff = backoffSeconds(policy, n) * 1000;
  return policy.jitter === 'FULL' ? Math.round(backoff * random()) : backoff;
}
