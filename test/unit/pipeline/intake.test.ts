/** The intake's starter: runs started up to the cap, the rest left queued, redeliveries start nothing twice. */
import { describe, expect, it } from 'vitest';
import { runFor, startRuns, type IntakeMessage, type RunStarter } from '../../../functions/pipeline/intake.ts';
import { INTAKE } from '../../../functions/pipeline/steps.ts';

/** A fake Step Functions: runs by name, some already running. */
function fakeStarter(runningBefore: number, failOn?: string) {
  const runs = new Map<string, string>();
  const starter: RunStarter = {
    running: async (atMost) => Math.min(runningBefore + runs.size, atMost),
    start: async (name, input) => {
      if (name === failOn) throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
      if (runs.has(name)) return 'exists';
      runs.set(name, input);
      return 'started';
    },
  };
  return { starter, runs };
}

const message = (n: number): IntakeMessage => ({
  messageId: `m-${n}`,
  body: JSON.stringify({ eventId: `0b5e1c2a-0000-4000-8000-${String(n).padStart(12, '0')}`, object: { bucket: 'tapes', key: `incoming/acme/deal-1/t${n}.csv`, versionId: `v${n}` } }),
});

describe('intake starter', () => {
  it('starts one run per upload while under the cap, named after the event, with the state machine\'s input', async () => {
    const { starter, runs } = fakeStarter(0);
    const out = await startRuns([message(1), message(2)], starter, 10);
    expect(out).toEqual({ started: 2, alreadyStarted: 0, deferred: [], failed: [] });
    expect(JSON.parse(runs.get('0b5e1c2a-0000-4000-8000-000000000001')!)).toEqual({ object: { bucket: 'tapes', key: 'incoming/acme/deal-1/t1.csv', versionId: 'v1' } });
  });

  it('a 2,000-upload burst: every upload starts exactly once, never more than the cap in flight', async () => {
    // runs in flight = started - finished; the queue hands deferred messages out again later
    const started: string[] = [];
    let finished = 0;
    let peak = 0;
    const starter: RunStarter = {
      running: async (atMost) => Math.min(started.length - finished, atMost),
      start: async (name) => {
        if (started.includes(name)) return 'exists';
        started.push(name);
        peak = Math.max(peak, started.length - finished);
        return 'started';
      },
    };
    let queue = Array.from({ length: 2000 }, (_, i) => message(i));
    let rounds = 0;
    while (queue.length > 0 && rounds++ < 10_000) {
      const batch = queue.slice(0, INTAKE.batchSize);
      const out = await startRuns(batch, starter, INTAKE.maxRunningExecutions);
      queue = [...queue.slice(INTAKE.batchSize), ...batch.filter((m) => out.deferred.includes(m.messageId))];
      // some runs end between batches (fewer than start: the backlog builds up, then drains)
      finished = Math.min(started.length, finished + 3);
    }
    expect(queue).toEqual([]);
    expect(new Set(started).size).toBe(2000);
    expect(started).toHaveLength(2000);
    expect(peak).toBe(INTAKE.maxRunningExecutions);
  });

  it('starts only the free slots of a batch and defers the rest, in order', async () => {
    const { starter } = fakeStarter(8);
    const out = await startRuns([message(1), message(2), message(3), message(4)], starter, 10);
    expect(out).toMatchObject({ started: 2, deferred: ['m-3', 'm-4'] });
  });

  it('a message delivered again starts nothing new', async () => {
    const { starter, runs } = fakeStarter(0);
    await startRuns([message(1)], starter, 10);
    expect(await startRuns([message(1)], starter, 10)).toEqual({ started: 0, alreadyStarted: 1, deferred: [], failed: [] });
    expect(runs.size).toBe(1);
  });

  it('a message that cannot be started stays queued with its reason; the others of the batch start', async () => {
    const { starter } = fakeStarter(0, '0b5e1c2a-0000-4000-8000-000000000002');
    const out = await startRuns([message(1), message(2), { messageId: 'm-bad', body: 'not json' }, message(3)], starter, 10);
    expect(out.started).toBe(2);
    expect(out.failed.map((f) => f.messageId)).toEqual(['m-2', 'm-bad']);
    expect(out.failed[0]!.error).toMatch(/ThrottlingException/);
    expect(out.failed[1]!.error).toMatch(/not JSON/);
  });

  it('names the run after the message id when the event id is unusable', () => {
    expect(runFor({ messageId: 'abc-1', body: JSON.stringify({ eventId: 'bad name!', object: { bucket: 'b', key: 'k' } }) }).name).toBe('abc-1');
    expect(() => runFor({ messageId: 'abc-2', body: JSON.stringify({ eventId: 'e' }) })).toThrow(/no object bucket and key/);
  });
});
