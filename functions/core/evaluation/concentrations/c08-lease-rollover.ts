// C08 share with leaseExpiryDate <= reportingDate + windowMonths (calendar addition, clamped);
// contributors: tenant groups, by their balance with leases rolling within the window.
import { shareOf } from '../pool-metrics.ts';
import { partOf, type ConcentrationTest } from './concentration-test.ts';

export const c08: ConcentrationTest<'C08'> = {
  id: 'C08',
  actual: (pool) => shareOf(pool.rolloverCents, pool),
  contributors: (pool) => partOf(pool.tenantGroups, (g) => g.rolloverCents),
};
