/** Lambda entry point of a re-score's claim (functions/pipeline/rescore-steps.ts): one Distributed Map item. */
import { rescoreClaimStep, type RescoreItem } from '../pipeline/rescore-steps.ts';
import { stepHandler } from './step-handler.ts';

export const handler = stepHandler('rescoreClaim', (input: RescoreItem, ports) => rescoreClaimStep(input, ports));
