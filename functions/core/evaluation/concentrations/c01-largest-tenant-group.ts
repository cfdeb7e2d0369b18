// C01 largest tenant group share; contributors: tenant groups (parent if it holds a value, else tenant).
import { shareOf } from '../pool-metrics.ts';
import type { ConcentrationTest } from './concentration-test.ts';

export const c01: ConcentrationTest<'C01'> = {
  id: 'C01',
  actual: (pool) => shareOf(pool.tenantGroups[0]?.cents ?? 0n, pool),
  contributors: (pool) => pool.tenantGroups,
};
