/** Lambda entry point of the pipeline's publish step (functions/pipeline/publish-step.ts). */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { publishStep } from '../pipeline/publish-step.ts';
import { metrics } from './runtime.ts';
import { stepHandler } from './step-handler.ts';

export const handler = stepHandler('publish', async (state, ports) => {
  const out = await publishStep(state, ports);
  metrics.addMetric('TapesScored', MetricUnit.Count, 1);
  return out;
});
