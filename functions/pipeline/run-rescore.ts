/**
 * Walks one tape's re-score in-process, as the re-score state machine's item processor does in
 * AWS: claim, then the pipeline's evaluate and score steps and the re-score publish, each with
 * its retry policy, and the re-score failure handler as the catch. The local runner calls it.
 */
import { evaluateStep } from './evaluate-step.ts';
import type { RescorePorts } from './ports.ts';
import { rescoreClaimStep, rescoreFailStep, rescorePublishStep, type RescoreFailedState, type RescoreItem } from './rescore-steps.ts';
import { withRetry } from './run-pipeline.ts';
import { scoreStep } from './score-step.ts';
import type { PipelineState } from './state.ts';
import { isRetryable, toCaughtError } from './step-error.ts';
import { PIPELINE_STEPS, RESCORE_STEPS, type StepDefinition } from './steps.ts';

export type RescoreOutcome =
  | { readonly outcome: 'scored'; readonly state: PipelineState }
  | { readonly outcome: 'skipped'; readonly state: PipelineState }
  | { readonly outcome: 'failed'; readonly state: RescoreFailedState };

const step = (name: 'evaluate' | 'score'): StepDefinition => PIPELINE_STEPS.find((s) => s.name === name)!;

/** The item processor's steps after the claim, with the definitions their retries and time-outs come from. */
const ITEM_STEPS: ReadonlyArray<{ def: StepDefinition<string>; run: (s: PipelineState, p: RescorePorts) => Promise<PipelineState> }> = [
  { def: step('evaluate'), run: evaluateStep },
  { def: step('score'), run: scoreStep },
  { def: RESCORE_STEPS.rescorePublish, run: rescorePublishStep },
];

/**
 * @example const { outcome } = await runRescore({ tapeId, runId: randomUUID(), jobId }, ports);
 */
export async function runRescore(item: RescoreItem, ports: RescorePorts, options: { sleep?: (ms: number) => Promise<void> } = {}): Promise<RescoreOutcome> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let state: PipelineState;
  try {
    state = await withRetry(RESCORE_STEPS.rescoreClaim.retry, sleep, () => rescoreClaimStep(item, ports));
  } catch (e) {
    // Nothing was claimed (or the claim is unknown): count the item, leave the tape as it is.
    const now = (ports.now?.() ?? new Date()).toISOString();
    if (item.jobId) await withRetry(RESCORE_STEPS.rescoreFail.retry, sleep, () => ports.results.countRescoreItem(item.jobId!, item.tapeId, 'failed', now));
    ports.log?.('warn', 're-score claim failed', { tapeId: item.tapeId, retryable: isRetryable(e), error: e instanceof Error ? e.message : String(e) });
    throw e;
  }
  if (state.stop) return { outcome: 'skipped', state };
  for (const { def, run } of ITEM_STEPS) {
    try {
      const input = state;
      state = await withRetry(def.retry, sleep, () => run(input, ports));
    } catch (e) {
      ports.log?.('warn', `re-score step ${def.name} failed`, { tapeId: state.tapeId, error: e instanceof Error ? e.message : String(e) });
      const caught: PipelineState = { ...state, error: toCaughtError(e) };
      const failed = await withRetry(RESCORE_STEPS.rescoreFail.retry, sleep, () => rescoreFailStep(caught, ports, def.timeoutSeconds));
      return { outcome: 'failed', state: failed };
    }
  }
  return { outcome: 'scored', state };
}
