// C05 largest single market share; contributors: markets.
import { shareOf } from '../pool-metrics.ts';
import type { ConcentrationTest } from './concentration-test.ts';

export const c05: ConcentrationTest<'C05'> = {
  id: 'C05',
  actual: (pool) => shareOf(pool.markets[0]?.cents ?? 0n, pool),
  contributors: (pool) => pool.markets,
};
