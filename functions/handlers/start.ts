/**
 * Lambda entry point of the intake's starter (functions/pipeline/intake.ts): an SQS batch of
 * uploads in, pipeline runs started up to the cap, the rest reported as batch item failures so
 * SQS keeps them for later. DMBS_STATE_MACHINE names the pipeline.
 */
import { SFNClient } from '@aws-sdk/client-sfn';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { StepFunctionsRunStarter } from '../aws/run-starter.ts';
import { startRuns, type RunStarter } from '../pipeline/intake.ts';
import { INTAKE } from '../pipeline/steps.ts';
import { logger, required } from './runtime.ts';

let starter: RunStarter | undefined;

export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  starter ??= new StepFunctionsRunStarter({ client: new SFNClient({}), stateMachineArn: required(process.env, 'DMBS_STATE_MACHINE') });
  const maxRunning = Number(process.env.DMBS_MAX_RUNNING_EXECUTIONS) || INTAKE.maxRunningExecutions;
  const out = await startRuns(event.Records.map((r) => ({ messageId: r.messageId, body: r.body })), starter, maxRunning);
  logger.info('intake batch', { started: out.started, alreadyStarted: out.alreadyStarted, deferred: out.deferred.length, maxRunning });
  for (const f of out.failed) logger.error('upload not started; left in the queue', f);
  return { batchItemFailures: [...out.deferred, ...out.failed.map((f) => f.messageId)].map((itemIdentifier) => ({ itemIdentifier })) };
}
