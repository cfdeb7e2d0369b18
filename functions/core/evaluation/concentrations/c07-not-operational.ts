// C07 share not OPERATIONAL; contributors: facilities, by their balance not operational.
import { partOf, type ConcentrationTest } from './concentration-test.ts';

export const c07: ConcentrationTest<'C07'> = {
  id: 'C07',
  actual: (_pool, metrics) => metrics.notOperationalShare,
  // the report keeps the first 5 (concentration.ts)
  contributors: (pool) => pool.largestFacilities?.('notOperationalCents', 5) ?? partOf(pool.facilities, (f) => f.notOperationalCents),
};
