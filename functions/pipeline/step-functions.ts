/**
 * Step name -> the pure function that runs it. Kept apart from steps.ts (data only) so that the
 * CDK app can read the step list without loading the domain code; the type below makes a step
 * without a function (or the reverse) a compile error.
 */
import { evaluateStep } from './evaluate-step.ts';
import { failStep } from './fail-step.ts';
import type { PipelinePorts } from './ports.ts';
import { publishStep } from './publish-step.ts';
import { scoreStep } from './score-step.ts';
import type { PipelineState } from './state.ts';
import type { StepName } from './steps.ts';
import { validateStep } from './validate-step.ts';

/** A step: the state in, the next state out (pointers and small summaries only). */
export type StepFunction = (state: PipelineState, ports: PipelinePorts) => Promise<PipelineState>;

export const STEP_FUNCTIONS: { readonly [K in StepName]: StepFunction } = {
  validate: validateStep,
  evaluate: evaluateStep,
  score: scoreStep,
  publish: publishStep,
};

export { failStep };
