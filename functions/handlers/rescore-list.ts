/** Lambda entry point of the re-score workflow's list step (functions/pipeline/rescore-steps.ts). */
import { rescoreListStep, type RescoreJobInput } from '../pipeline/rescore-steps.ts';
import { stepHandler } from './step-handler.ts';

export const handler = stepHandler('rescoreList', (input: RescoreJobInput, ports) => rescoreListStep(input, ports), { userErrors: 'throw' });
