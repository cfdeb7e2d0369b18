/**
 * Wraps one pipeline step as a Lambda handler: Step Functions hands in the state, the step runs
 * over the process's ports; a user error is returned as the state with `error` set, not thrown,
 * so it is no Lambda error (see pipeline/step-error.ts). No domain logic here.
 */
import type { Context } from 'aws-lambda';
import type { PipelinePorts } from '../pipeline/ports.ts';
import type { PipelineState } from '../pipeline/state.ts';
import { runStep } from '../pipeline/step-error.ts';
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
      const out = await runStep(event, (state) => step(state, pipelinePorts()));
      if (out.error) logger.info('step rejected the input', { ms: Date.now() - started, error: out.error.Error, cause: out.error.Cause });
      else logger.info('step done', { ms: Date.now() - started, stop: out.stop?.reason ?? null });
      return out as O;
    } catch (e) {
      logger.error('step failed', e as Error);
      throw e;
    } finally {
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
      logger.resetKeys();
    }
  };
}
