import { describe, expect, it } from 'vitest';
import { printable } from '../../../functions/core/printable.ts';
import { decideUnhandled } from '../../../functions/local/process-guard.ts';
import { tapeBudget } from '../../../functions/local/local-stack.ts';

describe('printable', () => {
  it('keeps a key on one line and strips terminal escapes', () => {
    const forged = 'incoming/a/b/x.csv\n20:00:00 SCORED  incoming/victim/deal/ok.csv\u001b[2J\u009b31m\u2028\u202e';
    const out = printable(forged);
    expect(out).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u202e]/);
    expect(out).toContain('\\u000a20:00:00 SCORED');
    expect(out).toContain('\\u001b[2J');
    expect(printable('incoming/demo/deal-1/tape.csv')).toBe('incoming/demo/deal-1/tape.csv');
    // A backslash is doubled, so an escape in the output always came from a control character.
    expect(printable('a\\u000a')).toBe('a\\\\u000a');
    // JSON text keeps its own escapes; what JSON.stringify leaves raw (C1, separators, bidi) is escaped, still valid JSON.
    const json = printable(JSON.stringify({ key: 'a\nb\u009b\u2028"' }), { json: true });
    expect(json).toBe('{"key":"a\\nb\\u009b\\u2028\\""}');
    expect(JSON.parse(json)).toEqual({ key: 'a\nb\u009b\u2028"' });
  });
});

describe('the process guard', () => {
  it('keeps serving after a failed system call or an unawaited rejection, and stops on other faults', () => {
    const tooLong = Object.assign(new Error("ENAMETOOLONG: name too long, open '/x'"), { code: 'ENAMETOOLONG', syscall: 'open' });
    expect(decideUnhandled(tooLong, 'uncaughtException')).toBe('keep-serving');
    expect(decideUnhandled(new Error('boom'), 'unhandledRejection')).toBe('keep-serving');
    expect(decideUnhandled(new TypeError('x is undefined'), 'uncaughtException')).toBe('exit');
    expect(decideUnhandled(undefined, 'uncaughtException')).toBe('exit');
  });
});

describe('the local stack budget per tape', () => {
  it('runs no more tapes at once than the heap holds budgets of, and bounds the shared strings by the budget', () => {
    const mb = 1024 ** 2;
    expect(tapeBudget(256, 4, 4096 * mb).concurrency).toBe(4);
    expect(tapeBudget(256, 4, 512 * mb).concurrency).toBe(1);
    expect(tapeBudget(256, 4, 800 * mb).concurrency).toBe(2);
    expect(tapeBudget(256, 1, 4096 * mb).concurrency).toBe(1);
    expect(tapeBudget(100, 4, 4096 * mb).readerLimits.maxSharedStringChars).toBe(Math.floor((100 * mb) / 2.5));
  });
});
