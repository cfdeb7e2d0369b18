// C04 largest single facility share (facilityId, case-insensitive); contributors: facilities.
import { shareOf } from '../pool-metrics.ts';
import type { ConcentrationTest } from './concentration-test.ts';

export const c04: ConcentrationTest<'C04'> = {
  id: 'C04',
  actual: (pool) => shareOf(pool.facilities[0]?.cents ?? 0n, pool),
  contributors: (pool) => pool.facilities,
};
