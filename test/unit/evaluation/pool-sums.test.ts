import { describe, expect, it } from 'vitest';
import { loadCriteria } from '../../../functions/core/evaluation/criteria.ts';
import { GroupTotals } from '../../../functions/core/evaluation/group-totals.ts';
import { PoolAccumulator } from '../../../functions/core/evaluation/pool-accumulator.ts';
import { POOL_SUMS } from '../../../functions/core/evaluation/pool-sums.ts';
import { POOL } from './concentrations/pool.ts';

function accumulated(): PoolAccumulator {
  const acc = new PoolAccumulator(loadCriteria());
  for (const l of POOL) acc.add(l);
  return acc;
}

describe('the declared pool sums', () => {
  it('are stored under their keys, in the table order, between the counts and the groupings', () => {
    const keys = Object.keys(accumulated().toJSON());
    const from = keys.indexOf('failures') + 1;
    expect(keys.slice(from, from + POOL_SUMS.length)).toEqual(POOL_SUMS.map((d) => d.key));
    expect(keys[from + POOL_SUMS.length]).toBe('names');
  });

  it('are in the result under their keys, the same figures as the named fields', () => {
    const r = accumulated().result();
    expect(r.sums).toBeDefined();
    const sums = r.sums!;
    expect([sums.balance, sums.squares, sums.leaseMonths, sums.loanMonths, sums.notOperational]).toEqual([
      r.balanceCents, r.sumOfSquaredCents, r.weighted.remainingLeaseTermMonths, r.weighted.remainingLoanTermMonths, r.notOperationalCents,
    ]);
    expect([sums.dscr, sums.ltv, sums.rate].map(String)).toEqual([r.weighted.dscr, r.weighted.ltv, r.weighted.interestRate].map(String));
    expect(sums.byRating).toEqual(r.balanceByRating);
    expect(sums.balance).toBeGreaterThan(0n);
  });

  it('load as 0 when a stored state lacks one (stored before that sum existed)', () => {
    const acc = accumulated();
    const { notOperational: _dropped, ...older } = JSON.parse(JSON.stringify(acc.toJSON()));
    expect(acc.result().notOperationalCents).toBeGreaterThan(0n);
    const loaded = PoolAccumulator.fromJSON(older, acc.criteria).result();
    expect(loaded.notOperationalCents).toBe(0n);
    expect(loaded.balanceCents).toBe(acc.result().balanceCents);
    expect(loaded.weighted.dscr.toString()).toBe(acc.result().weighted.dscr.toString());
  });
});

describe('GroupTotals.from', () => {
  it('reads a column a stored row lacks (stored before the column existed) as 0', () => {
    const groups = GroupTotals.from(2, [['a', 'A']], [['a', ['500']]]);
    expect([groups.sum(0, 0), groups.sum(0, 1), groups.name(0)]).toEqual([500n, 0n, 'A']);
  });
});
