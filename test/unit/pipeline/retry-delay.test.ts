/** The waits between a step's retries: backoff, its cap, full jitter (the local runner's copy of the state machine's retriers). */
import { describe, expect, it } from 'vitest';
import { retryDelayMs } from '../../../functions/pipeline/run-pipeline.ts';
import { isThrottling, throttleFirstCalls, throttlingError } from '../../../functions/pipeline/step-invoker.ts';
import { NON_RETRYABLE_ERRORS, THROTTLING_ERRORS, THROTTLING_RETRY, type RetryPolicy } from '../../../functions/pipeline/steps.ts';

describe('retryDelayMs', () => {
  const plain: RetryPolicy = { maxAttempts: 3, intervalSeconds: 2, backoffRate: 2 };

  it('doubles from the interval without jitter or cap', () => {
    expect([0, 1, 2].map((n) => retryDelayMs(plain, n))).toEqual([2000, 4000, 8000]);
  });

  it('caps each wait at maxDelaySeconds and draws it below the backoff with full jitter', () => {
    const waits = Array.from({ length: THROTTLING_RETRY.maxAttempts }, (_, n) => retryDelayMs(THROTTLING_RETRY, n, () => 1));
    expect(waits[0]).toBe(THROTTLING_RETRY.intervalSeconds * 1000);
    expect(waits.at(-1)).toBe(THROTTLING_RETRY.maxDelaySeconds! * 1000);
    expect(retryDelayMs(THROTTLING_RETRY, 3, () => 0.25)).toBe(THROTTLING_RETRY.intervalSeconds * 1000 * 2 ** 3 * 0.25);
    expect(retryDelayMs(THROTTLING_RETRY, 9, () => 0)).toBe(0);
  });
});

describe('throttling errors', () => {
  it('are named as Step Functions names Lambda throttling, and none is a non-retryable error', () => {
    expect(throttlingError('validate').name).toBe('Lambda.TooManyRequestsException');
    expect(THROTTLING_ERRORS.every((n) => isThrottling(Object.assign(new Error('x'), { name: n })))).toBe(true);
    expect(isThrottling(new Error('Rate Exceeded.'))).toBe(false);
    expect(THROTTLING_ERRORS.filter((n) => (NON_RETRYABLE_ERRORS as readonly string[]).includes(n))).toEqual([]);
  });

  it('throttleFirstCalls refuses exactly the first n calls without running the step', async () => {
    const invoke = throttleFirstCalls(2);
    let ran = 0;
    const call = async () => ++ran;
    const outcomes = await Promise.allSettled([invoke('validate', call), invoke('validate', call), invoke('evaluate', call)]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
    expect(ran).toBe(1);
    expect(invoke.throttled).toBe(2);
  });
});
