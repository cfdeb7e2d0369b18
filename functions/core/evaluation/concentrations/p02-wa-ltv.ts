// P02 balance-weighted average LTV; contributors: the largest loans, the heaviest weights of the average.
import type { ConcentrationTest } from './concentration-test.ts';

export const p02: ConcentrationTest<'P02'> = {
  id: 'P02',
  actual: (_pool, metrics) => metrics.waLtv,
  contributors: (pool) => pool.largestLoans,
};
