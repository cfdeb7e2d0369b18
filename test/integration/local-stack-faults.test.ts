/**
 * Faults injected through the local stack's adapters (LocalStackOptions.wrapPorts): a transient
 * S3 failure is retried by the step's policy and the tape is SCORED; a write that keeps failing
 * ends the tape FAILED with a reason and nothing of its results visible.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelinePorts } from '../../functions/pipeline/ports.ts';
import { generateTape, toCsv } from '../../bench/tape-generator.ts';
import { startTestStack, type TestStack } from './support/local-stack-harness.ts';

/** Keys whose next put fails once; tapes whose final write always fails. */
const failPutOnce = new Set<string>();
const failPublish = new Set<string>();
/** Tapes whose TapeScored the event log refuses (the bus is down for them). */
const failEvents = new Set<string>();

/** `target` with some methods replaced; the others called on `target` itself (the adapters keep #private state). */
function withOverrides<T extends object>(target: T, overrides: Partial<T>): T {
  return new Proxy(target, {
    get(obj, name) {
      if (name in overrides) return overrides[name as keyof T];
      const value = Reflect.get(obj, name, obj) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(obj) : value;
    },
  });
}

const inject = (ports: PipelinePorts): PipelinePorts => ({
  ...ports,
  store: withOverrides(ports.store, {
    putJson: async (key: string, value: unknown) => {
      if ([...failPutOnce].some((k) => key.endsWith(k))) {
        failPutOnce.clear();
        throw Object.assign(new Error('injected: S3 is unavailable'), { name: 'ServiceUnavailable' });
      }
      return ports.store.putJson(key, value);
    },
  }),
  events: {
    publish: async (event) => {
      if (event.type === 'TapeScored' && failEvents.has(event.detail.tapeId)) throw Object.assign(new Error('injected: event bus unavailable'), { name: 'InternalException' });
      return ports.events.publish(event);
    },
  },
  results: withOverrides(ports.results, {
    publishScored: async (...args: Parameters<PipelinePorts['results']['publishScored']>) => {
      if (failPublish.has(args[0])) throw Object.assign(new Error('injected: DynamoDB write failed'), { name: 'InternalServerError' });
      return ports.results.publishScored(...args);
    },
  }),
});

let t: TestStack;
beforeAll(async () => {
  t = await startTestStack({ wrapPorts: inject });
});
afterAll(async () => {
  await t?.stop();
});

describe('local stack faults', () => {
  it('retries a transient S3 failure and scores the tape', async () => {
    failPutOnce.add('/validation.json');
    const { tapeId } = await t.upload('incoming/demo/deal-fault/a.csv', toCsv(generateTape({ rows: 40, seed: 1, dealId: 'deal-fault' }).rows));
    expect((await t.waitForFinal(tapeId)).status).toBe('SCORED');
    expect(failPutOnce.size).toBe(0); // the fault did happen
  });

  it('ends a tape whose final write keeps failing FAILED with a reason, nothing visible', async () => {
    const body = toCsv(generateTape({ rows: 40, seed: 2, dealId: 'deal-fault' }).rows);
    const key = 'incoming/demo/deal-fault/b.csv';
    // The tape id is known once the upload returns; its final write comes steps later.
    const { tapeId } = await t.upload(key, body);
    failPublish.add(tapeId);
    const result = await t.waitForFinal(tapeId);
    expect(result.status).toBe('FAILED');
    expect(result.failure?.code).toBe('INTERNAL');
    expect(result.failure?.message).toMatch(/internal error.*reference/i);
    expect(result.summary).toBeNull();
    expect((await t.api(`/v1/tapes/${tapeId}/report`)).status).toBe(409);
  });

  it('publishes a TapeScored the bus refused later, from the outbox, exactly once', async () => {
    const { tapeId } = await t.upload('incoming/demo/deal-fault/c.csv', toCsv(generateTape({ rows: 40, seed: 3, dealId: 'deal-fault' }).rows));
    failEvents.add(tapeId);
    expect((await t.waitForFinal(tapeId)).status).toBe('SCORED');
    await t.stack.runner.whenIdle();
    expect(await scoredEvents(t.stack.eventsFile, tapeId)).toHaveLength(0);

    failEvents.delete(tapeId); // the bus is back
    expect((await t.stack.sweepEvents({ graceSeconds: 0 })).published).toBe(1);
    expect(await t.stack.sweepEvents({ graceSeconds: 0 })).toEqual({ published: 0 });
    expect(await scoredEvents(t.stack.eventsFile, tapeId)).toHaveLength(1);
  });

  it('publishes an event an earlier process owed when the stack starts again', async () => {
    let busDown = true;
    const first = await startTestStack({
      wrapPorts: (ports) => ({ ...ports, events: { publish: async (e) => {
        if (busDown && e.type === 'TapeScored') throw Object.assign(new Error('injected: event bus unavailable'), { name: 'InternalException' });
        return ports.events.publish(e);
      } } }),
    });
    const { tapeId } = await first.upload('incoming/demo/deal-owed/a.csv', toCsv(generateTape({ rows: 30, seed: 4, dealId: 'deal-owed' }).rows));
    expect((await first.waitForFinal(tapeId)).status).toBe('SCORED');
    await first.stack.runner.whenIdle();
    await first.stop({ keepDataDir: true });
    expect(await scoredEvents(first.stack.eventsFile, tapeId)).toHaveLength(0);

    busDown = false;
    const second = await startTestStack({ dataDir: first.dataDir, tokens: { reviewer: first.reviewerToken, issuer: first.issuerToken } });
    try {
      expect(await scoredEvents(second.stack.eventsFile, tapeId)).toHaveLength(1);
    } finally {
      await second.stop();
    }
  });
});

/** The TapeScored lines of one tape in the stack's events file. */
async function scoredEvents(eventsFile: string, tapeId: string): Promise<unknown[]> {
  return (await readFile(eventsFile, 'utf8').catch(() => '')).split('\n').filter(Boolean)
    .map((l) => JSON.parse(l) as { 'detail-type': string; detail: { tapeId: string } })
    .filter((e) => e['detail-type'] === 'TapeScored' && e.detail.tapeId === tapeId);
}
