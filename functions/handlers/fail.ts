/** Lambda entry point of the failure handler (functions/pipeline/fail-step.ts), the catch of every step. */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { failStep, type FailedState } from '../pipeline/fail-step.ts';
import { TAPE_FAILURE_METRICS } from './metric-names.ts';
import { metrics } from './runtime.ts';
import { stepHandler } from './step-handler.ts';

export const handler = stepHandler<FailedState>('fail', async (state, ports) => {
  const out = await failStep(state, ports);
  if (out.outcome === 'failed') metrics.addMetric(TAPE_FAILURE_METRICS[out.failure.userError ? 'userError' : 'internal'], MetricUnit.Count, 1);
  return out;
});
