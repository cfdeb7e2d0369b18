// C02 top-3 tenant groups share (all groups when there are fewer); contributors: tenant groups.
import { shareOf } from '../pool-metrics.ts';
import type { ConcentrationTest } from './concentration-test.ts';

export const c02: ConcentrationTest<'C02'> = {
  id: 'C02',
  actual: (pool) => shareOf(pool.tenantGroups.slice(0, 3).reduce((sum, g) => sum + g.cents, 0n), pool),
  contributors: (pool) => pool.tenantGroups,
};
