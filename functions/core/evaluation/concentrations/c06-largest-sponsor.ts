// C06 largest single sponsor share; contributors: sponsors.
import { shareOf } from '../pool-metrics.ts';
import type { ConcentrationTest } from './concentration-test.ts';

export const c06: ConcentrationTest<'C06'> = {
  id: 'C06',
  actual: (pool) => shareOf(pool.sponsors[0]?.cents ?? 0n, pool),
  contributors: (pool) => pool.sponsors,
};
