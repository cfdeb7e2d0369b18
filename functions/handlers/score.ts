/** Lambda entry point of the pipeline's score step (functions/pipeline/score-step.ts). */
import { scoreStep } from '../pipeline/score-step.ts';
import { stepHandler } from './step-handler.ts';

export const handler = stepHandler('score', scoreStep);
