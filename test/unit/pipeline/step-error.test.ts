/** How step errors travel to the failure handler, in AWS (Lambda error → Catch) and locally. */
import { describe, expect, it } from 'vitest';
import { TapeReadError } from '../../../functions/core/errors.ts';
import { failureFrom, isRetryable, runStep, toCaughtError, toStepError } from '../../../functions/pipeline/step-error.ts';
import type { PipelineState } from '../../../functions/pipeline/state.ts';
import { tapeIdFor } from '../../../functions/pipeline/tape-id.ts';

describe('step errors', () => {
  const user = new TapeReadError('TAPE_EMPTY', 'the file is empty; a tape needs a header row and one row per loan');

  it('a DmbsError leaves a step as DmbsUserError "CODE: message" and comes back as the same reason', () => {
    expect(toStepError(user)).toMatchObject({ name: 'DmbsUserError', message: 'TAPE_EMPTY: the file is empty; a tape needs a header row and one row per loan' });
    expect(failureFrom(toCaughtError(user), 'run-1')).toEqual({ code: 'TAPE_EMPTY', message: user.message, userError: true });
    expect(isRetryable(user)).toBe(false);
  });

  it('anything else is INTERNAL with a reference, and retryable', () => {
    const e = new Error('ECONNRESET at 10.0.0.1');
    const f = failureFrom(toCaughtError(e), 'exec-42');
    expect(f).toMatchObject({ code: 'INTERNAL', userError: false });
    expect(f.message).toContain('exec-42');
    expect(f.message).not.toContain('ECONNRESET');
    expect(isRetryable(e)).toBe(true);
  });

  it('time-outs and out-of-memory say what to do', () => {
    expect(failureFrom({ Error: 'Sandbox.Timedout', Cause: '' }, 'r', 900)).toMatchObject({ code: 'TIMEOUT', message: expect.stringMatching(/15 minutes.*Split it into smaller tapes/) });
    expect(failureFrom({ Error: 'Runtime.OutOfMemory' }, 'r')).toMatchObject({ code: 'OUT_OF_MEMORY' });
    expect(failureFrom(undefined, 'r')).toMatchObject({ code: 'INTERNAL' });
  });
});

describe('tapeIdFor', () => {
  it('is stable per object version and differs between versions', () => {
    const a = tapeIdFor({ bucket: 'b', key: 'incoming/a/d/t.csv', versionId: 'v1' });
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(tapeIdFor({ bucket: 'b', key: 'incoming/a/d/t.csv', versionId: 'v1', eTag: 'x' })).toBe(a);
    expect(tapeIdFor({ bucket: 'b', key: 'incoming/a/d/t.csv', versionId: 'v2' })).not.toBe(a);
    expect(tapeIdFor({ bucket: 'b', key: 'incoming/a/d/t.csv', eTag: '"e1"' })).toBe(tapeIdFor({ bucket: 'b', key: 'incoming/a/d/t.csv', eTag: 'e1' }));
  });
});

describe('runStep (the step contract, in AWS and locally)', () => {
  const user = new TapeReadError('TAPE_EMPTY', 'the file is empty; a tape needs a header row and one row per loan');

  it('runStep: a user error is the step\'s result (the input with error set), never a thrown Lambda error', async () => {
    const input: PipelineState = { object: { bucket: 'b', key: 'incoming/i/d/t.csv' }, runId: 'run-1' };
    const out = await runStep(input, async () => { throw user; });
    expect(out).toEqual({ ...input, error: toCaughtError(user) });
    expect(out.error).toMatchObject({ Error: 'DmbsUserError' });
    expect(failureFrom(out.error, 'run-1')).toEqual({ code: 'TAPE_EMPTY', message: user.message, userError: true });
  });

  it('runStep: a result passes through, and any other error is thrown (retried, then caught)', async () => {
    const input: PipelineState = { object: { bucket: 'b', key: 'k' }, runId: 'run-1' };
    expect(await runStep(input, async (s) => ({ ...s, tapeId: 't-1' }))).toEqual({ ...input, tapeId: 't-1' });
    const internal = new Error('socket hang up');
    await expect(runStep(input, async () => { throw internal; })).rejects.toBe(internal);
  });
});
