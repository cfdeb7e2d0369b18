/**
 * Fault injection at every port the steps use (issue 9): S3 reads and writes and DynamoDB writes
 * fail once (transient: retried, the tape still scores) or always (the tape ends FAILED with a
 * reason, nothing half-written: no summary, no artifacts left under reports/, never SCORED).
 * Real SDK clients against the embedded emulators; the faults wrap the real adapters.
 */
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTape, toCsv } from '../../bench/tape-generator.ts';
import type { PipelineEvent, PipelinePorts, ResultsPort, TapeStore } from '../../functions/pipeline/ports.ts';
import { runPipeline } from '../../functions/pipeline/run-pipeline.ts';
import { sweepEventOutbox } from '../../functions/pipeline/event-outbox.ts';
import { throttleFirstCalls } from '../../functions/pipeline/step-invoker.ts';
import { PIPELINE_STEPS, THROTTLING_RETRY } from '../../functions/pipeline/steps.ts';
import { artifactKeys, type TapeObject } from '../../functions/pipeline/state.ts';
import { tapeIdFor } from '../../functions/pipeline/tape-id.ts';
import { BUCKET, startEmbeddedAws, type EmbeddedAws } from './support/embedded-aws.ts';

let aws: EmbeddedAws;
beforeAll(async () => { aws = await startEmbeddedAws(); });
afterAll(async () => { await aws?.stop(); });

const csv = toCsv(generateTape({ rows: 80, seed: 3, brokenShare: 0.05 }).rows);
let n = 0;

const upload = (): Promise<TapeObject> => aws.upload(`incoming/faults/deal-${++n}/tape.csv`, csv);

/** A transient-looking failure (the SDK's own error names for a dropped connection). */
const fault = () => Object.assign(new Error('injected: connection reset'), { name: 'TimeoutError', $retryable: {} });

type StoreMethod = 'open' | 'putJson' | 'getJson' | 'readLines' | 'createWriter';
type ResultsMethod = 'receiveTape' | 'setStatus' | 'claimContent' | 'publishScored' | 'recordDealTape';

/** Ports whose `method` throws on its first `failures` calls (Infinity: always). */
function faulty(target: 'store' | 'results', method: StoreMethod | ResultsMethod, failures: number): { ports: PipelinePorts; calls: () => number } {
  let calls = 0;
  const wrap = <T extends object>(real: T): T => new Proxy(real, {
    get(obj, prop) {
      const value = Reflect.get(obj, prop, obj) as unknown;
      if (typeof value !== 'function') return value;
      const bound = (value as (...a: unknown[]) => unknown).bind(obj);
      if (prop !== method) return bound;
      return (...args: unknown[]) => {
        calls++;
        if (calls <= failures) {
          if (method === 'readLines') return (async function* () { throw fault(); })();
          if (method === 'createWriter') {
            const writer = bound(...args) as { end(): Promise<unknown> };
            return Object.assign(Object.create(writer), { end: async () => { await (writer as unknown as { abort(): Promise<void> }).abort(); throw fault(); } }) as unknown;
          }
          return Promise.reject(fault());
        }
        return bound(...args);
      };
    },
  });
  const ports: PipelinePorts = target === 'store'
    ? { ...aws.ports, store: wrap(aws.ports.store) as TapeStore }
    : { ...aws.ports, results: wrap(aws.ports.results) as ResultsPort };
  return { ports, calls: () => calls };
}

async function artifactsLeft(tapeId: string): Promise<number> {
  const out = await aws.clients.s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: artifactKeys(tapeId).prefix }));
  return (out.Contents ?? []).length;
}

const FAULTS: ReadonlyArray<['store' | 'results', StoreMethod | ResultsMethod]> = [
  ['store', 'open'], ['store', 'createWriter'], ['store', 'putJson'], ['store', 'getJson'], ['store', 'readLines'],
  ['results', 'setStatus'], ['results', 'claimContent'], ['results', 'publishScored'], ['results', 'recordDealTape'],
];

describe('fault injection', () => {
  it.each(FAULTS)('%s.%s failing once: retried, the tape is SCORED', async (target, method) => {
    const { ports, calls } = faulty(target, method, 1);
    const { outcome, state } = await runPipeline(await upload(), ports, { runId: `once-${method}`, sleep: async () => {} });
    expect(calls()).toBeGreaterThan(1);
    expect(outcome).toBe('scored');
    expect((await aws.results.getTape(state.tapeId!))?.status).toBe('SCORED');
  });

  it.each(FAULTS.filter(([, m]) => m !== 'recordDealTape'))('%s.%s failing always: FAILED with a reason, nothing half-written', async (target, method) => {
    const { ports } = faulty(target, method, Number.POSITIVE_INFINITY);
    const { outcome, state } = await runPipeline(await upload(), ports, { runId: `always-${method}`, sleep: async () => {} });
    expect(outcome).toBe('failed');
    const tape = await aws.results.getTape(state.tapeId!);
    expect(tape).toMatchObject({ status: 'FAILED', failure: { code: 'INTERNAL', userError: false } });
    expect(tape!.failure!.message).toMatch(/always-/); // the run id, as a reference for the operators
    expect(tape!.summary).toBeUndefined();
    expect(await artifactsLeft(state.tapeId!)).toBe(0);
  });
});

describe('throttled step invocations (Lambda.TooManyRequestsException at the step port)', () => {
  it('are retried apart from the step\'s own policy: more throttles than it allows other errors, still SCORED', async () => {
    const throttles = THROTTLING_RETRY.maxAttempts;
    expect(throttles).toBeGreaterThan(Math.max(...PIPELINE_STEPS.map((s) => s.retry.maxAttempts)));
    const invoke = throttleFirstCalls(throttles);
    const waits: number[] = [];
    const { outcome, state } = await runPipeline(await upload(), aws.ports, { runId: 'throttled', invoke, sleep: async (ms) => void waits.push(ms) });
    expect(outcome).toBe('scored');
    expect(invoke.throttled).toBe(throttles);
    expect(waits).toHaveLength(throttles);
    expect(Math.max(...waits)).toBeLessThanOrEqual(THROTTLING_RETRY.maxDelaySeconds! * 1000);
    expect((await aws.results.getTape(state.tapeId!))?.status).toBe('SCORED');
  });

  it('beyond THROTTLING_RETRY\'s attempts: FAILED with an internal reason (the failure handler is not throttled)', async () => {
    const invoke = throttleFirstCalls(THROTTLING_RETRY.maxAttempts + 1);
    const { outcome, state } = await runPipeline(await upload(), aws.ports, { runId: 'throttled-out', invoke, sleep: async () => {} });
    expect(outcome).toBe('failed');
    expect(await aws.results.getTape(state.tapeId!)).toMatchObject({ status: 'FAILED', failure: { code: 'INTERNAL', userError: false } });
  });
});

/** An event bus that refuses every event while `down`, and keeps those it takes. */
function downBus() {
  const bus = {
    down: true,
    delivered: [] as PipelineEvent[],
    publish: async (e: PipelineEvent) => {
      if (bus.down) throw Object.assign(new Error('injected: EventBridge unavailable'), { name: 'InternalException' });
      bus.delivered.push(e);
    },
  };
  return bus;
}

describe('no lost events (the tape\'s outbox and its sweep)', () => {
  it('a TapeScored the bus refuses through every retry is published later by the sweep, exactly once', async () => {
    const bus = downBus();
    const { delivered } = bus;
    const ports: PipelinePorts = { ...aws.ports, events: bus };
    const { state } = await runPipeline(await upload(), ports, { runId: 'bus-down', sleep: async () => {} });
    const tapeId = state.tapeId!;
    // Results visible and never taken back: the failure handler leaves a SCORED tape alone.
    expect((await aws.results.getTape(tapeId))?.status).toBe('SCORED');
    expect(delivered).toEqual([]);
    const owed = await aws.results.pendingEvents({ scoredBefore: new Date(Date.now() + 1000).toISOString() });
    expect(owed.map((p) => [p.tapeId, p.event.type])).toContainEqual([tapeId, 'TapeScored']);

    expect(await sweepEventOutbox({ ...ports }, { graceSeconds: 0 })).toMatchObject({ published: 0, error: expect.stringMatching(/unavailable/) });
    // Within the grace period the sweep leaves the event to the run that may still be sending it.
    bus.down = false;
    expect(await sweepEventOutbox(ports)).toEqual({ published: 0 });
    expect((await sweepEventOutbox(ports, { graceSeconds: 0 })).published).toBeGreaterThanOrEqual(1);
    expect(await sweepEventOutbox(ports, { graceSeconds: 0 })).toEqual({ published: 0 });
    const mine = delivered.filter((e) => e.detail.tapeId === tapeId);
    // The tape's watchlist is not empty: its LoansWatchlisted waited in the same outbox and followed, once.
    expect(mine.map((e) => e.type)).toEqual(['TapeScored', 'LoansWatchlisted']);
    expect(mine[0]!.detail).toMatchObject({ tapeId, schemaVersion: 'dmbs-tape-scored/1', score: { points: (await aws.results.getTape(tapeId))!.summary!.scorePoints } });
  });

  it('a TapeFailed the bus refuses is kept in the outbox and published later by the sweep, exactly once', async () => {
    const bus = downBus();
    const { delivered } = bus;
    const ports: PipelinePorts = { ...aws.ports, events: bus };
    const object = await aws.upload(`incoming/faults/deal-${++n}/empty.csv`, '');
    // The failure handler itself ends in error (its publish): the tape is FAILED all the same, its event owed.
    await expect(runPipeline(object, ports, { runId: 'bus-down-failed', sleep: async () => {} })).rejects.toThrow(/EventBridge unavailable/);
    const tapeId = tapeIdFor(object);
    expect(await aws.results.getTape(tapeId)).toMatchObject({ status: 'FAILED', failure: { code: 'TAPE_EMPTY' } });
    const owed = await aws.results.pendingEvents({ scoredBefore: new Date(Date.now() + 1000).toISOString() });
    expect(owed.map((p) => [p.tapeId, p.event.type])).toContainEqual([tapeId, 'TapeFailed']);
    bus.down = false;
    expect((await sweepEventOutbox(ports, { graceSeconds: 0 })).published).toBeGreaterThanOrEqual(1);
    expect(await sweepEventOutbox(ports, { graceSeconds: 0 })).toEqual({ published: 0 });
    expect(delivered.filter((e) => e.detail.tapeId === tapeId).map((e) => [e.type, (e.detail as { code?: string }).code])).toEqual([['TapeFailed', 'TAPE_EMPTY']]);
    // Out of the outbox, the tape is listed among the failed ones again.
    expect((await aws.results.pendingEvents({ scoredBefore: new Date(Date.now() + 1000).toISOString() })).map((p) => p.tapeId)).not.toContain(tapeId);
  });

  it('a run that gets its event out leaves nothing owed', async () => {
    const { state } = await runPipeline(await upload(), aws.ports, { runId: 'bus-up', sleep: async () => {} });
    expect(aws.events.events.filter((e) => e.detail.tapeId === state.tapeId).map((e) => e.type)).toEqual(['TapeScored', 'LoansWatchlisted']);
    const owed = await aws.results.pendingEvents({ scoredBefore: new Date(Date.now() + 1000).toISOString() });
    expect(owed.map((p) => p.tapeId)).not.toContain(state.tapeId);
  });
});
