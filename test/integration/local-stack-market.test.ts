/**
 * `npm start`'s market view: tapes uploaded to the local stack reach the analytical dataset, the
 * latest-tape index and DuckDB, and the market service answers from them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTape, toCsv } from '../../bench/tape-generator.ts';
import { startTestStack, type TestStack } from './support/local-stack-harness.ts';

let t: TestStack;
beforeAll(async () => {
  t = await startTestStack();
});
afterAll(async () => {
  await t?.stop();
});

const cents = (money: string | null | undefined) => BigInt((money ?? '0.00').replace('.', ''));

describe('the local stack\'s market view', () => {
  it('answers exposures and fixes a DMBX series over the deals uploaded', async () => {
    const a = await t.upload('incoming/demo-issuer/mkt-a/t.csv', toCsv(generateTape({ rows: 120, seed: 21 }).rows));
    const b = await t.upload('incoming/demo-issuer/mkt-b/t.csv', toCsv(generateTape({ rows: 80, seed: 22 }).rows));
    const tapes = [await t.waitForFinal(a.tapeId), await t.waitForFinal(b.tapeId)];
    expect(tapes.map((x) => x.status)).toEqual(['SCORED', 'SCORED']);
    // The index is written just after the tape shows SCORED: wait for the runs to end.
    await t.stack.runner.whenIdle();
    const total = tapes.reduce((sum, x) => sum + cents(x.summary!.eligibleBalance ?? '0.00'), 0n);

    const page = await t.stack.market.exposures({ by: 'sponsor', limit: 1000 });
    expect(page.dealCount).toBe(2);
    expect(cents(page.totalBalance)).toBe(total);
    expect(page.items.reduce((sum, i) => sum + cents(i.balance), 0n)).toBe(total);

    const rulebook = { minEligibleBalance: 0, minEligibleLoans: 1, minDataQuality: 0, maxTapeAgeMonths: 1200 };
    const series = await t.stack.market.createSeries({ name: 'local-1', asOf: '2026-12-31', rulebook });
    expect(series.deals.map((d) => d.tapeId).sort()).toEqual([a.tapeId, b.tapeId].sort());
    expect(await t.stack.market.getSeries('local-1')).toEqual(series);
    await expect(t.stack.market.createSeries({ name: 'local-1', asOf: '2026-12-31' })).rejects.toMatchObject({ code: 'DMBX_SERIES_EXISTS' });
  });
});
