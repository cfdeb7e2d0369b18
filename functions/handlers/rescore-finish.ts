/** Lambda entry point of the re-score workflow's end (functions/pipeline/rescore-steps.ts). */
import { rescoreFinishStep, type RescoreJobList } from '../pipeline/rescore-steps.ts';
import { stepHandler } from './step-handler.ts';

export const handler = stepHandler('rescoreFinish', (input: RescoreJobList, ports) => rescoreFinishStep(input, ports), { userErrors: 'throw' });
