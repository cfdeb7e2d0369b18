/**
 * Wraps one pipeline step as a Lambda handler: Step Functions hands in the state, the step runs
 * over the process's ports, user errors leave as `DmbsUserError` (see pipeline/step-error.ts).
 * No domain logic here.
 */
import type { Context } from 'aws-lambda';
import type { PipelinePorts } from '../pipeline/ports.ts';
import type { PipelineState } from '../pipeline/state.ts';
import { toStepError } from '../pipeline/step-error.ts';
import { logger, metrics, pipelinePorts } from './runtime.ts';

export type StepHandler<O extends PipelineState = PipelineState> = (event: PipelineState, context?: Context) => Promise<O>;

/**
 * @example export const handler = stepHandler('validate', validateStep);
 */
export function stepHandler<O extends PipelineState>(name: string, step: (state: PipelineState, ports: PipelinePorts) => Promise<O>): StepHandler<O> {
  return async (event, context) => {
    if (context) logger.addContext(context);
    logger.appendKeys({ step: name, runId: event.runId, tapeId: event.tapeId ?? null, key: event.object?.key ?? null });
    const started = Date.now();
    try {
      const out = await step(event, pipelinePorts());
      logger.info('step done', { ms: Date.now() - started, stop: out.stop?.reason ?? null });
      return out;
    } catch (e) {
      logger.error('step failed', e as Error);
      throw toStepError(e);
    } finally {
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
      logger.resetKeys();
    }
  };
}
