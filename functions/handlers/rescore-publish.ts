/** Lambda entry point of a re-score's publish (functions/pipeline/rescore-steps.ts). */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { rescorePublishStep } from '../pipeline/rescore-steps.ts';
import { metrics } from './runtime.ts';
import { stepHandler } from './step-handler.ts';

export const handler = stepHandler('rescorePublish', async (state, ports) => {
  const out = await rescorePublishStep(state, ports);
  metrics.addMetric('TapesRescored', MetricUnit.Count, 1);
  return out;
});
