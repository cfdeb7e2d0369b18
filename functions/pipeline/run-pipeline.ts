/**
 * Walks the step list in-process, as the state machine does in AWS: each step with its retry
 * policy, the failure handler as the catch, and an early stop for duplicates. The local runner
 * and the integration tests call it; in AWS, Step Functions does this walking.
 */
import type { FailedState } from './fail-step.ts';
import type { PipelinePorts } from './ports.ts';
import type { PipelineState, TapeObject } from './state.ts';
import { isRetryable, toCaughtError } from './step-error.ts';
import { failStep, STEP_FUNCTIONS } from './step-functions.ts';
import { FAILURE_STEP, PIPELINE_STEPS, type RetryPolicy, type StepName } from './steps.ts';

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
  readonly onStep?: (step: StepName | 'fail', state: PipelineState) => void;
}

/**
 * Runs one uploaded object through validate → evaluate → score → publish.
 * @example const { outcome } = await runPipeline(object, ports, { runId: randomUUID() });
 */
export async function runPipeline(object: TapeObject, ports: PipelinePorts, options: RunOptions): Promise<RunOutcome> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let state: PipelineState = { object, runId: options.runId };
  for (const step of PIPELINE_STEPS) {
    options.onStep?.(step.name, state);
    try {
      const input = state;
      state = await withRetry(step.retry, sleep, () => STEP_FUNCTIONS[step.name](input, ports));
    } catch (e) {
      ports.log?.('warn', `step ${step.name} failed`, { tapeId: state.tapeId, error: e instanceof Error ? e.message : String(e) });
      const caught: PipelineState = { ...state, error: toCaughtError(e) };
      options.onStep?.('fail', caught);
      const failed = await withRetry(FAILURE_STEP.retry, sleep, () => failStep(caught, ports, step.timeoutSeconds));
      return { outcome: 'failed', state: failed };
    }
    if (state.stop) return { outcome: 'stopped', state };
  }
  return { outcome: 'scored', state };
}

/** Runs `run` under a step's retry policy (transient errors only), as Step Functions' Retry does. */
export async function withRetry<T>(policy: RetryPolicy, sleep: (ms: number) => Promise<void>, run: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await run();
    } catch (e) {
      if (attempt >= policy.maxAttempts || !isRetryable(e)) throw e;
      await sleep(policy.intervalSeconds * 1000 * policy.backoffRate ** attempt);
    }
  }
}
