/**
 * The stored pool state does not change: for the same loans, `toJSON()` gives the same text (keys,
 * key order, values) as the golden written before the accumulator's sums were declared as data,
 * serially, merged from chunks, and after a trip through `fromJSON` or the worker transfer form.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PoolAccumulator, type PoolAccumulatorState } from '../../../functions/core/evaluation/pool-accumulator.ts';
import { GOLDEN_PATH, poolStateCases, type PoolStateCase } from './pool-state-cases.ts';

const golden = JSON.parse(readFileSync(GOLDEN_PATH, 'utf8')) as Record<string, PoolAccumulatorState>;

function accumulate(c: PoolStateCase, from = 0, to = c.loans.length): PoolAccumulator {
  const acc = new PoolAccumulator(c.criteria);
  for (let i = from; i < to; i++) acc.add(c.loans[i]!);
  return acc;
}

/** The loans in three chunks, in tape order. */
function chunks(c: PoolStateCase): PoolAccumulator[] {
  const a = Math.floor(c.loans.length / 3);
  const b = Math.floor((2 * c.loans.length) / 3);
  return [accumulate(c, 0, a), accumulate(c, a, b), accumulate(c, b)];
}

describe.each(poolStateCases())('the stored pool state of $name', (c) => {
  const expected = JSON.stringify(golden[c.name]);

  it('is the golden, byte for byte', () => {
    expect(golden[c.name]).toBeDefined();
    expect(JSON.stringify(accumulate(c).toJSON())).toBe(expected);
  });

  it('is the golden when chunks are merged', () => {
    const [first, ...rest] = chunks(c);
    for (const next of rest) first!.merge(next);
    expect(JSON.stringify(first!.toJSON())).toBe(expected);
  });

  it('loads and stores again unchanged', () => {
    const loaded = PoolAccumulator.fromJSON(JSON.parse(expected), c.criteria);
    expect(JSON.stringify(loaded.toJSON())).toBe(expected);
  });

  it('is the golden after the worker transfer form', () => {
    const [first, ...rest] = chunks(c).map((acc) => structuredClone(acc.toTransfer()));
    const acc = PoolAccumulator.fromTransfer(first!, c.criteria);
    for (const next of rest) acc.mergeTransfer(next);
    expect(JSON.stringify(acc.toJSON())).toBe(expected);
  });
});
