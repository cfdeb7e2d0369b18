// C03 share whose largest tenant is rated below BBB- or NR (the ratings counted: C03.ratings in
// schemas/default-criteria.json); contributors: tenant groups, by their low-rated balance.
import type { DealCriteria } from '../criteria.ts';
import type { EvaluatedLoan } from '../evaluated-loan.ts';
import { shareOf } from '../pool-metrics.ts';
import { partTotal } from '../pool-parts.ts';
import type { ConcentrationTest } from './concentration-test.ts';

export const c03: ConcentrationTest<'C03'> = {
  id: 'C03',
  part: { counts: (criteria) => lowRatedLoans(criteria), groupBy: 'tenantGroups' },
  actual: (pool) => shareOf(partTotal(pool.parts, 'C03').cents, pool),
  contributors: (pool) => partTotal(pool.parts, 'C03').groups,
};

/** The eligible loans C03 counts (its part: the accumulator sums their balance, per tenant group too). */
export function lowRatedLoans(criteria: DealCriteria): (loan: EvaluatedLoan) => boolean {
  const ratings: ReadonlySet<string> = new Set(criteria.concentrations.C03.ratings);
  return (loan) => ratings.has(loan.largestTenantRating);
}
