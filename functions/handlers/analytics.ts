/** Lambda entry point of the market dataset's write after publish (functions/pipeline/analytics-step.ts). */
import { analyticsStep } from '../pipeline/analytics-step.ts';
import { stepHandler } from './step-handler.ts';

export const handler = stepHandler('analytics', analyticsStep);
