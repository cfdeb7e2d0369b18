/** Lambda entry point of a re-score's failure handler (functions/pipeline/rescore-steps.ts). */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { rescoreFailStep } from '../pipeline/rescore-steps.ts';
import { metrics } from './runtime.ts';
import { stepHandler } from './step-handler.ts';

export const handler = stepHandler('rescoreFail', async (state, ports) => {
  const out = await rescoreFailStep(state, ports);
  metrics.addMetric('RescoresFailed', MetricUnit.Count, 1);
  return out;
});
