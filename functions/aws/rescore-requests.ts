/**
 * The API's RescoreService in AWS: records the job (RUNNING) and puts a `RescoreRequested` event
 * on the pipeline's bus, whose rule starts the re-score state machine (cdk/rescore-state-machine.ts)
 * with `{ jobId, scope }`. The API needs no Step Functions permission, only events:PutEvents.
 */
import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { RescoreService } from '../pipeline/ports.ts';
import type { RescoreResultsPort } from '../pipeline/ports.ts';
import { randomBytes } from 'node:crypto';

/** Source and detail type of the event that starts a re-score job (the stack's rule matches both). */
export const RESCORE_EVENT = { source: 'dmbs.api', detailType: 'RescoreRequested' } as const;

export function createEventBridgeRescores(options: { results: Pick<RescoreResultsPort, 'createRescoreJob' | 'getRescoreJob'>; client: EventBridgeClient; busName: string; now?: () => Date }): RescoreService {
  const { results, client, busName } = options;
  return {
    async start(scope, requestedBy) {
      const jobId = randomBytes(16).toString('hex');
      const job = await results.createRescoreJob({ jobId, scope, requestedBy, now: (options.now?.() ?? new Date()).toISOString() });
      const out = await client.send(new PutEventsCommand({
        Entries: [{ EventBusName: busName, Source: RESCORE_EVENT.source, DetailType: RESCORE_EVENT.detailType, Detail: JSON.stringify({ jobId, scope }) }],
      }));
      if ((out.FailedEntryCount ?? 0) > 0) {
        const entry = out.Entries?.[0];
        throw new Error(`EventBridge rejected RescoreRequested for job ${jobId}: ${entry?.ErrorCode ?? 'unknown'} ${entry?.ErrorMessage ?? ''}`.trim());
      }
      return job;
    },
    get: (jobId) => results.getRescoreJob(jobId),
  };
}
