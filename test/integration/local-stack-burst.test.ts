/**
 * A month-end burst on the local stack: many uploads at once while the step port throttles its
 * first calls the way Lambda does at its concurrency limit. The intake keeps at most `maxQueued`
 * uploads in memory (the rest wait in the version inbox), the runner retries throttling apart
 * from other errors, and every upload ends SCORED; the API answers meanwhile.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTape, toCsv } from '../../bench/tape-generator.ts';
import { throttleFirstCalls } from '../../functions/pipeline/step-invoker.ts';
import { THROTTLING_RETRY } from '../../functions/pipeline/steps.ts';
import { startTestStack, type TestStack } from './support/local-stack-harness.ts';

const TAPES = 40;
const CONCURRENCY = 4;
const MAX_QUEUED = 8;
// Runs start together and wait alike between retries, so they take turns at the throttled calls:
// each gets at most THROTTLED / CONCURRENCY of them, within THROTTLING_RETRY's attempts.
const THROTTLED = CONCURRENCY * (THROTTLING_RETRY.maxAttempts - 1);
const throttle = throttleFirstCalls(THROTTLED);

let t: TestStack;
beforeAll(async () => {
  t = await startTestStack({
    concurrency: CONCURRENCY, maxQueued: MAX_QUEUED, invokeStep: throttle, startRunner: false,
    // The policy's waits (seconds to minutes) shrunk to a constant: the test's only parameter of time.
    retrySleep: () => new Promise((resolve) => setTimeout(resolve, 2)),
  });
});
afterAll(async () => {
  await t?.stop();
});

describe('local stack under a burst with throttled steps', () => {
  it(`ends all ${TAPES} uploads SCORED, none FAILED for throttling, with a bounded queue`, async () => {
    const uploads = await Promise.all(Array.from({ length: TAPES }, (_, i) =>
      t.upload(`incoming/burst/deal-${i % 6}/tape-${i}.csv`, toCsv(generateTape({ rows: 20, seed: 500 + i, dealId: `deal-${i % 6}` }).rows))));
    // Every upload announced, at most MAX_QUEUED of them in memory: the rest wait in the inbox.
    expect(t.stack.runner.stats).toMatchObject({ queued: MAX_QUEUED, overflow: true, running: 0 });

    t.stack.runner.start();
    const idle = t.stack.runner.whenIdle();
    expect((await t.api('/health')).status).toBe(200); // the API answers while the burst is processed
    await idle;

    expect(throttle.throttled).toBe(THROTTLED);
    const statuses = await Promise.all(uploads.map(async ({ tapeId }) => (await t.stack.results.getTape(tapeId))?.status));
    expect(statuses.filter((s) => s === 'SCORED')).toHaveLength(TAPES);
    expect(t.runs.filter((r) => r.outcome === 'scored')).toHaveLength(TAPES);
    expect(t.runs.filter((r) => r.outcome === 'failed' || r.outcome === 'crashed')).toEqual([]);
  }, 120_000); // 40 throttled runs: twice the default timeout keeps a slow shared machine far from it
});
