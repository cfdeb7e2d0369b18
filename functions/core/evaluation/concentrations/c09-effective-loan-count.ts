// C09 effective number of loans, 1 / Σ(balanceᵢ / total)²; contributors: the largest loans (key = loanId).
import type { ConcentrationTest } from './concentration-test.ts';

export const c09: ConcentrationTest<'C09'> = {
  id: 'C09',
  actual: (_pool, metrics) => metrics.effectiveLoanCount,
  contributors: (pool) => pool.largestLoans,
};
