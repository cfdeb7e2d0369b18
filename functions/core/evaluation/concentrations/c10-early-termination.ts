// C10 share whose largest tenant holds an early termination right (earlyTerminationRight true; a
// no-data code or blank is not a right); contributors: tenant groups, by that balance. Not in the
// DMBS standard, so off by default. Its sum is its own `part`: the accumulator keeps it (pool-parts.ts).
import { shareOf } from '../pool-metrics.ts';
import { partTotal } from '../pool-parts.ts';
import type { ConcentrationTest } from './concentration-test.ts';

export const c10: ConcentrationTest<'C10'> = {
  id: 'C10',
  part: { counts: () => (loan) => loan.earlyTerminationRight === true, groupBy: 'tenantGroups' },
  actual: (pool) => shareOf(partTotal(pool.parts, 'C10').cents, pool),
  contributors: (pool) => partTotal(pool.parts, 'C10').groups,
};
