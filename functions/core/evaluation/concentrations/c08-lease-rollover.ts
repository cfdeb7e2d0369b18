// C08 share with leaseExpiryDate <= reportingDate + windowMonths (calendar addition, clamped);
// contributors: tenant groups, by their balance with leases rolling within the window.
import { addMonths } from '../../validation/calendar.ts';
import type { DealCriteria } from '../criteria.ts';
import type { EvaluatedLoan } from '../evaluated-loan.ts';
import { shareOf } from '../pool-metrics.ts';
import { partTotal } from '../pool-parts.ts';
import type { ConcentrationTest } from './concentration-test.ts';

export const c08: ConcentrationTest<'C08'> = {
  id: 'C08',
  part: { counts: (criteria, reportingDate) => rollingOverLoans(criteria, reportingDate), groupBy: 'tenantGroups' },
  actual: (pool) => shareOf(partTotal(pool.parts, 'C08').cents, pool),
  contributors: (pool) => partTotal(pool.parts, 'C08').groups,
};

/** The eligible loans C08 counts on a tape of `reportingDate` (its part: the accumulator sums their balance, per tenant group too). */
export function rollingOverLoans(criteria: DealCriteria, reportingDate: string): (loan: EvaluatedLoan) => boolean {
  const deadline = addMonths(reportingDate, criteria.concentrations.C08.windowMonths);
  return (loan) => loan.leaseExpiryDate <= deadline;
}
