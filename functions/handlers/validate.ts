/** Lambda entry point of the pipeline's validate step (functions/pipeline/validate-step.ts). */
import { validateStep } from '../pipeline/validate-step.ts';
import { stepHandler } from './step-handler.ts';

export const handler = stepHandler('validate', validateStep);
