/**
 * Wraps one pipeline step as a Lambda handler: Step Functions hands in the state, the step runs
 * over the process's ports; a user error is returned as the state with `error` set, not thrown,
 * so it is no Lambda error (see pipeline/step-error.ts). No domain logic here.
 */
import type { Context } from 'aws-lambda';
import type { RescorePorts } from '../pipeline/ports.ts';
import type { PipelineState } from '../pipeline/state.ts';
import { runStep, toStepError } from '../pipeline/step-error.ts';
import { logger, metrics, pipelinePorts } from './runtime.ts';

export type StepHandler<O = PipelineState, I = PipelineState> = (event: I, context?: Context) => Promise<O>;

/** What the handler logs of any step's input and output (pipeline states, re-score items and jobs). */
type Loggable = Partial<Pick<PipelineState, 'runId' | 'tapeId' | 'object' | 'stop' | 'error'>> & { jobId?: string | null };

/**
 * @example export const handler = stepHandler('validate', validateStep);
 */
export function stepHandler<O, I = PipelineState>(
  name: string,
  step: (state: I, ports: RescorePorts) => Promise<O>,
  options: { readonly userErrors?: 'result' | 'throw' } = {},
): StepHandler<O, I> {
  return async (event, context) => {
    const e = event as Loggable;
    if (context) logger.addContext(context);
    logger.appendKeys({ step: name, runId: e.runId ?? null, tapeId: e.tapeId ?? null, key: e.object?.key ?? null, jobId: e.jobId ?? null });
    const started = Date.now();
    try {
      const run = (state: I) => step(state, pipelinePorts());
      // Job-level steps (a re-score job's list and finish) throw user errors: there is no tape to fail.
      const out = (options.userErrors === 'throw' ? await run(event).catch((err: unknown) => { throw toStepError(err); }) : await runStep(event as I & object, run)) as O & Loggable;
      if (out.error) logger.info('step rejected the input', { ms: Date.now() - started, error: out.error.Error, cause: out.error.Cause });
      else logger.info('step done', { ms: Date.now() - started, stop: out.stop?.reason ?? null });
      return out;
    } catch (e) {
      logger.error('step failed', e as Error);
      throw e;
    } finally {
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
      logger.resetKeys();
    }
  };
}
