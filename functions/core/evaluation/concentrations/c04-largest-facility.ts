// C04 largest single facility share (facilityId, case-insensitive); contributors: facilities.
import { shareOf } from '../pool-metrics.ts';
import type { ConcentrationTest } from './concentration-test.ts';

export const c04: ConcentrationTest<'C04'> = {
  id: 'C04',
  actual: (pool) => shareOf((pool.largestFacilities?.('cents', 1) ?? pool.facilities)[0]?.cents ?? 0n, pool),
  // the report keeps the first 5 (concentration.ts)
  contributors: (pool) => pool.largestFacilities?.('cents', 5) ?? pool.facilities,
};
