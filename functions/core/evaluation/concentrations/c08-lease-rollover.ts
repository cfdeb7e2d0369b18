// C08 share with leaseExpiryDate <= reportingDate + windowMonths (calendar addition, clamped);
// contributors: tenant groups, by their balance with leases rolling within the window.
import { addMonths } from '../../validation/calendar.ts';
import type { DealCriteria } from '../criteria.ts';
import type { EvaluatedLoan } from '../evaluated-loan.ts';
import { shareOf } from '../pool-metrics.ts';
import { partOf, type ConcentrationTest } from './concentration-test.ts';

export const c08: ConcentrationTest<'C08'> = {
  id: 'C08',
  actual: (pool) => shareOf(pool.rolloverCents, pool),
  contributors: (pool) => partOf(pool.tenantGroups, (g) => g.rolloverCents),
};

/** The eligible loans C08 counts on a tape of `reportingDate` (the pool accumulator sums their balance, per tenant group too). */
export function rollingOverLoans(criteria: DealCriteria, reportingDate: string): (loan: EvaluatedLoan) => boolean {
  const deadline = addMonths(reportingDate, criteria.concentrations.C08.windowMonths);
  return (loan) => loan.leaseExpiryDate <= deadline;
}
