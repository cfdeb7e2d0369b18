/** The pipeline: the step list (data), the pure steps over injected ports, and the in-process walker. */
export { PIPELINE_STEPS, FAILURE_STEP, API_FUNCTION, NON_RETRYABLE_ERRORS, THROTTLING_ERRORS, THROTTLING_RETRY, type StepDefinition, type StepName, type HandlerName, type StepAccess, type RetryPolicy } from './steps.ts';
export { STEP_FUNCTIONS, failStep, type StepFunction } from './step-functions.ts';
export { runPipeline, retryDelayMs, type RunOutcome, type RunOptions } from './run-pipeline.ts';
export { invokeDirectly, isThrottling, throttleFirstCalls, throttlingError, type StepInvoker } from './step-invoker.ts';
export { artifactKeys, INCOMING_PREFIX, REPORTS_PREFIX, type PipelineState, type TapeObject, type TapeKeyParts, type ArtifactKeys, type CaughtError } from './state.ts';
export { tapeIdFor, isTapeId } from './tape-id.ts';
export { TAPE_STATUSES, FINAL_STATUSES, ACTIVE_STATUSES, isFinalStatus, type TapeStatus } from './tape-status.ts';
export { runStep, toStepError, toCaughtError, failureFrom, USER_ERROR_NAME } from './step-error.ts';
export type { PipelinePorts, TapeStore, ObjectWriter, ResultsPort, EventPublisher, PipelineEvent, TapeFailure, TapeResultSummary, TapeArtifacts, DealLatest, StepOptions, PendingEvent } from './ports.ts';
export { sweepEventOutbox, OUTBOX_GRACE_SECONDS, type SweepResult } from './event-outbox.ts';
export { parseTapeKey, formatTapeKey, issuerPrefix, TAPE_KEY_LIMITS, type TapeKeyResult } from './tape-key.ts';
export { normaliseTapeObject } from './tape-object.ts';
