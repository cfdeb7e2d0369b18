/**
 * Walks one tape's re-score in-process, as the re-score state machine's item processor does in
 * AWS: claim, then the pipeline's evaluate and score steps and the re-score publish, each with
 * its retry policy, and the re-score failure handler as the catch; then the pipeline's analytics
 * step, whose failure leaves the new revision current. The local runner calls it.
 */
import { evaluateStep } from './evaluate-step.ts';
import type { RescorePorts } from './ports.ts';
import { rescoreClaimStep, rescoreFailStep, rescorePublishStep, type RescoreFailedState, type RescoreItem } from './rescore-steps.ts';
import { runAnalytics, withRetry } from './run-pipeline.ts';
import { scoreStep } from './score-step.ts';
import type { PipelineState } from './state.ts';
import { isRetryable, runStep, toCaughtError } from './step-error.ts';
import { invokeDirectly, type InvokedName, type StepInvoker } from './step-invoker.ts';
import { PIPELINE_STEPS, RESCORE_STEPS, type StepDefinition } from './steps.ts';

export type RescoreOutcome =
  | { readonly outcome: 'scored'; readonly state: PipelineState }
  | { readonly outcome: 'skipped'; readonly state: PipelineState }
  | { readonly outcome: 'failed'; readonly state: RescoreFailedState };

const step = (name: 'evaluate' | 'score'): StepDefinition => PIPELINE_STEPS.find((s) => s.name === name)!;

/** The item processor's steps after the claim, with the definitions their retries and time-outs come from. */
const ITEM_STEPS: ReadonlyArray<{ def: StepDefinition<InvokedName>; run: (s: PipelineState, p: RescorePorts) => Promise<PipelineState> }> = [
  { def: step('evaluate'), run: evaluateStep },
  { def: step('score'), run: scoreStep },
  { def: RESCORE_STEPS.rescorePublish, run: rescorePublishStep },
];

export interface RescoreRunOptions {
  /** Waits between retries (tests pass a no-op). Default: setTimeout. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** The step port (default: in-process), as the pipeline's runner: throttled invocations retried apart. */
  readonly invoke?: StepInvoker;
}

/**
 * @example const { outcome } = await runRescore({ tapeId, runId: randomUUID(), jobId }, ports);
 */
export async function runRescore(item: RescoreItem, ports: RescorePorts, options: RescoreRunOptions = {}): Promise<RescoreOutcome> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const invoke = options.invoke ?? invokeDirectly;
  let state: PipelineState;
  try {
    state = await withRetry(RESCORE_STEPS.rescoreClaim.retry, sleep, () => invoke('rescoreClaim', () => rescoreClaimStep(item, ports)));
  } catch (e) {
    // Nothing was claimed (or the claim is unknown): count the item, leave the tape as it is.
    const now = (ports.now?.() ?? new Date()).toISOString();
    if (item.jobId) await withRetry(RESCORE_STEPS.rescoreFail.retry, sleep, () => ports.results.countRescoreItem(item.jobId!, item.tapeId, 'failed', now));
    ports.log?.('warn', 're-score claim failed', { tapeId: item.tapeId, retryable: isRetryable(e), error: e instanceof Error ? e.message : String(e) });
    throw e;
  }
  if (state.stop) return { outcome: 'skipped', state };
  for (const { def, run } of ITEM_STEPS) {
    let caught: PipelineState | undefined;
    try {
      const input = state;
      state = await withRetry(def.retry, sleep, () => invoke(def.name, () => runStep(input, (s) => run(s, ports))));
      // a user error (a bad criteria file) is the step's result, as in the pipeline: the failure handler takes it
      if (state.error) caught = state;
    } catch (e) {
      ports.log?.('warn', `re-score step ${def.name} failed`, { tapeId: state.tapeId, error: e instanceof Error ? e.message : String(e) });
      caught = { ...state, error: toCaughtError(e) };
    }
    if (caught) {
      const failing = caught;
      const failed = await withRetry(RESCORE_STEPS.rescoreFail.retry, sleep, () => invoke('rescoreFail', () => rescoreFailStep(failing, ports, def.timeoutSeconds)));
      return { outcome: 'failed', state: failed };
    }
  }
  // The new revision is current: the market dataset follows, as in the pipeline.
  await runAnalytics(state, ports, sleep, invoke);
  return { outcome: 'scored', state };
}
