/**
 * The API's re-score starter in AWS: the job is recorded first, then RescoreRequested goes to the
 * pipeline bus with the job id and scope (what the stack's rule hands the state machine); a
 * rejected event is an error, not a job that silently never runs.
 */
import { describe, expect, it } from 'vitest';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { createEventBridgeRescores, RESCORE_EVENT } from '../../../functions/aws/rescore-requests.ts';
import type { RescoreJobRecord, RescoreScope } from '../../../functions/pipeline/ports.ts';

function fakes(answer: { FailedEntryCount: number; Entries?: Array<{ ErrorCode?: string; ErrorMessage?: string }> }) {
  const calls: string[] = [];
  const sent: Array<{ Entries: Array<Record<string, string>> }> = [];
  const jobs = new Map<string, RescoreJobRecord>();
  const results = {
    async createRescoreJob(job: { jobId: string; scope: RescoreScope; requestedBy: string; now: string }) {
      calls.push('createRescoreJob');
      const record: RescoreJobRecord = { jobId: job.jobId, scope: job.scope, status: 'RUNNING', total: null, done: 0, scored: 0, failed: 0, skipped: 0, requestedBy: job.requestedBy, createdAt: job.now, updatedAt: job.now };
      jobs.set(job.jobId, record);
      return record;
    },
    getRescoreJob: async (jobId: string) => jobs.get(jobId),
  };
  const client = { send: async (command: { input: { Entries: Array<Record<string, string>> } }) => { calls.push('PutEvents'); sent.push(command.input); return answer; } } as unknown as EventBridgeClient;
  return { calls, sent, results, client };
}

describe('createEventBridgeRescores', () => {
  it('records the job, then puts RescoreRequested { jobId, scope } on the bus', async () => {
    const f = fakes({ FailedEntryCount: 0 });
    const rescores = createEventBridgeRescores({ results: f.results, client: f.client, busName: 'bus-1', now: () => new Date('2026-12-06T10:00:00Z') });
    const job = await rescores.start({ all: true }, 'reviewer-1');
    expect(f.calls).toEqual(['createRescoreJob', 'PutEvents']);
    expect(job).toMatchObject({ status: 'RUNNING', total: null, requestedBy: 'reviewer-1', createdAt: '2026-12-06T10:00:00.000Z' });
    expect(job.jobId).toMatch(/^[0-9a-f]{32}$/);
    expect(f.sent[0]!.Entries).toEqual([{
      EventBusName: 'bus-1', Source: RESCORE_EVENT.source, DetailType: RESCORE_EVENT.detailType, Detail: JSON.stringify({ jobId: job.jobId, scope: { all: true } }),
    }]);
    expect(await rescores.get(job.jobId)).toEqual(job);
  });

  it('an event the bus rejects is an error naming the job', async () => {
    const f = fakes({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' }] });
    const rescores = createEventBridgeRescores({ results: f.results, client: f.client, busName: 'bus-1' });
    await expect(rescores.start({ tapeId: 'b'.repeat(32) }, 'r')).rejects.toThrow(/rejected RescoreRequested for job [0-9a-f]{32}: ThrottlingException slow down/);
  });
});
