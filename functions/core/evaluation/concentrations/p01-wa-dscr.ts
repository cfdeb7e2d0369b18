// P01 balance-weighted average DSCR; contributors: the largest loans, the heaviest weights of the average.
import type { ConcentrationTest } from './concentration-test.ts';

export const p01: ConcentrationTest<'P01'> = {
  id: 'P01',
  actual: (_pool, metrics) => metrics.waDscr,
  contributors: (pool) => pool.largestLoans,
};
