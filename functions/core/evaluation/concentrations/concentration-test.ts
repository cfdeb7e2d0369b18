/**
 * The shape of one concentration or pool test (one file each beside this one, listed in index.ts):
 * its exact actual figure on a non-empty eligible pool and its contributors. Limits, direction
 * (`max` or `min`) and wording live in schemas/.
 */
import type { Decimal } from 'decimal.js';
import type { ConcentrationTestId } from '../criteria.ts';
import { byBalanceThenKey, type GroupTotal, type PoolAggregate } from '../pool-accumulator.ts';
import type { PoolMetrics } from '../pool-metrics.ts';
import type { PoolPart } from '../pool-parts.ts';

export interface ConcentrationTest<Id extends ConcentrationTestId = ConcentrationTestId> {
  readonly id: Id;
  /** The exact figure; called only when the pool's balance is positive. */
  actual(pool: PoolAggregate, metrics: PoolMetrics): Decimal;
  /** Who contributes, with the eligible balance each contributes, largest first then key (the report keeps 5). */
  contributors(pool: PoolAggregate): readonly GroupTotal[];
  /** A sum the test needs beyond the accumulator's own: the accumulator keeps it as `pool.parts` under the test's id (pool-parts.ts). */
  readonly part?: PoolPart;
}

/** The part `pick` selects of each group, without the groups it leaves at 0, largest first then key. */
export function partOf<T extends GroupTotal>(groups: readonly T[], pick: (group: T) => bigint): GroupTotal[] {
  const out: GroupTotal[] = [];
  for (const g of groups) {
    const cents = pick(g);
    if (cents > 0n) out.push({ key: g.key, cents });
  }
  return out.sort(byBalanceThenKey);
}
