// P03 balance-weighted average remaining lease term in months (whole months per loan, as E07);
// contributors: the largest loans, the heaviest weights of the average.
import type { ConcentrationTest } from './concentration-test.ts';

export const p03: ConcentrationTest<'P03'> = {
  id: 'P03',
  actual: (_pool, metrics) => metrics.waRemainingLeaseTermMonths,
  contributors: (pool) => pool.largestLoans,
};
