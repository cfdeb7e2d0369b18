/**
 * What one tape may cost on the local stack: its XLSX shared strings are bounded by the memory
 * budget per tape (DMBS_TAPE_MEMORY_MB), so a small workbook that inflates to a huge string table
 * ends FAILED with a reason the issuer can act on, and the stack goes on with the next tape.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeXlsx } from '../../bench/xlsx-writer.ts';
import { generateTape, toCsv } from '../../bench/tape-generator.ts';
import { startTestStack, type TestStack } from './support/local-stack-harness.ts';

let t: TestStack;
// 1 MB per tape: 419,430 characters of shared strings (2.5 bytes each).
beforeAll(async () => void (t = await startTestStack({ tapeMemoryMb: 1 })), 30_000);
afterAll(async () => t?.stop());

describe('the memory budget per tape', () => {
  it('fails a workbook whose shared strings exceed the budget (a user error, with the reason) and still scores the next tape', async () => {
    // 50 strings of 10,000 characters: each far under the field limit, together over the budget.
    const bomb = writeXlsx([['loanId', ...Array.from({ length: 50 }, (_, i) => `c${i}`)], ['L1', ...Array.from({ length: 50 }, (_, i) => `${i}`.padEnd(10_000, 'x'))]]);
    const { tapeId } = await t.upload('incoming/demo/deal-b/bomb.xlsx', bomb);
    const failed = await t.waitForFinal(tapeId);
    expect(failed.status).toBe('FAILED');
    expect(failed.failure).toMatchObject({ code: 'TAPE_LIMIT_EXCEEDED', userError: true });
    expect(failed.failure?.message).toMatch(/shared strings hold more than 419430 characters/);

    const next = await t.upload('incoming/demo/deal-b/tape.csv', toCsv(generateTape({ rows: 20, seed: 5, dealId: 'deal-b' }).rows));
    expect((await t.waitForFinal(next.tapeId)).status).toBe('SCORED');
  });
});
