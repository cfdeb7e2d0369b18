/**
 * Re-scores on the laptop: the API's RescoreService over the local runner. A job is recorded,
 * its tapes listed by the same list step the AWS workflow runs, and each tape's re-score
 * (`runRescore`: claim → evaluate → score → publish, the re-score failure handler as catch) is
 * queued in the runner's bounded slots, where the Distributed Map's MaxConcurrency would be in AWS.
 */
import { randomBytes } from 'node:crypto';
import type { RescoreService } from '../pipeline/ports.ts';
import type { RescorePorts } from '../pipeline/ports.ts';
import { rescoreListStep } from '../pipeline/rescore-steps.ts';
import { runRescore, type RescoreOutcome } from '../pipeline/run-rescore.ts';
import type { StepInvoker } from '../pipeline/step-invoker.ts';
import type { LocalRunner } from './local-runner.ts';

export interface LocalRescoresOptions {
  readonly ports: RescorePorts;
  readonly runner: LocalRunner;
  /** Waits between step retries (tests pass a fast one). */
  readonly sleep?: (ms: number) => Promise<void>;
  /** The step port, as the runner's uploads use it (throttling fault injection reaches re-scores too). */
  readonly invoke?: StepInvoker;
  /** Each tape's re-score when it ends (logs, tests). */
  readonly onRescored?: (tapeId: string, outcome: RescoreOutcome['outcome'] | 'crashed') => void;
}

/**
 * @example const rescores = createLocalRescores({ ports, runner }); await rescores.start({ all: true }, 'reviewer');
 */
export function createLocalRescores(options: LocalRescoresOptions): RescoreService {
  const { ports, runner } = options;
  let sequence = 0;
  const now = () => (ports.now?.() ?? new Date()).toISOString();
  return {
    async start(scope, requestedBy) {
      const jobId = randomBytes(16).toString('hex');
      const job = await ports.results.createRescoreJob({ jobId, scope, requestedBy, now: now() });
      runner.enqueueTask(async () => {
        const list = await rescoreListStep({ jobId, scope }, ports);
        const items = await ports.store.getJson<Array<{ tapeId: string }>>(list.itemsKey);
        for (const { tapeId } of items) {
          const runId = `${runner.runIdPrefix}-rescore-${++sequence}`;
          runner.enqueueTask(async () => {
            let outcome: RescoreOutcome['outcome'] | 'crashed' = 'crashed';
            try {
              outcome = (await runRescore({ tapeId, runId, jobId }, ports, {
                ...(options.sleep ? { sleep: options.sleep } : {}), ...(options.invoke ? { invoke: options.invoke } : {}),
              })).outcome;
            } finally {
              options.onRescored?.(tapeId, outcome);
            }
          });
        }
      });
      return job;
    },
    get: (jobId) => ports.results.getRescoreJob(jobId),
  };
}
