/** Lambda entry point of the pipeline's evaluate step (functions/pipeline/evaluate-step.ts). */
import { evaluateStep } from '../pipeline/evaluate-step.ts';
import { stepHandler } from './step-handler.ts';

export const handler = stepHandler('evaluate', evaluateStep);
