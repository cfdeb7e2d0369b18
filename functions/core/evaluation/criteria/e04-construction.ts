// E04 OPERATIONAL, or a qualifying construction status with completion within N months of reportingDate
// (calendar addition, clamped) and leasedMw / itCapacityMw at least the minimum. Limits: schemas/default-criteria.json.
import { addMonths } from '../../validation/calendar.ts';
import { Exact, formatForReason } from '../exact.ts';
import { PASS, allowedList, fail, notApplicable, type Criterion } from './criterion.ts';

/**
 * For the reason's leasedMw / itCapacityMw only (shown to 6 decimals): 40 significant digits instead
 * of Exact's 200 — the same 6 decimals (a quotient of two 15-digit decimals is never within 1e-40 of
 * a rounding tie without being one), and much faster on the loans that fail E04.
 */
const Ratio = Exact.clone({ precision: 40 });

export const e04: Criterion<'E04'> = {
  id: 'E04',
  check: (loan, limits) => {
    if (loan.constructionStatus === 'OPERATIONAL') return notApplicable('facility is OPERATIONAL');
    const statuses = limits.constructionStatuses as readonly string[];
    if (!statuses.includes(loan.constructionStatus)) {
      return fail(`constructionStatus ${loan.constructionStatus} is not ${allowedList(['OPERATIONAL', ...statuses])}`);
    }
    const problems: string[] = [];
    const deadline = addMonths(loan.reportingDate, limits.maxMonthsToCompletion);
    if (loan.expectedCompletionDate === undefined) problems.push('expectedCompletionDate is missing');
    else if (loan.expectedCompletionDate > deadline) {
      problems.push(`expectedCompletionDate ${loan.expectedCompletionDate} > ${deadline} (reportingDate + ${limits.maxMonthsToCompletion} months)`);
    }
    // leasedMw / itCapacityMw >= min, compared as leasedMw >= min × itCapacityMw: exact, no division.
    if (leasedBelow(loan.leasedMw, limits.minLeasedShare, loan.itCapacityMw)) {
      const leased = new Ratio(loan.leasedMw);
      problems.push(`leasedMw / itCapacityMw ${formatForReason(leased.div(loan.itCapacityMw))} < ${formatForReason(limits.minLeasedShare)}`);
    }
    return problems.length ? fail(problems.join('; ')) : PASS;
  },
};

/**
 * leased < min × capacity in exact decimal (the numbers' decimal texts, as Decimal reads them).
 * Decided in floating point when the two sides differ by more than 1e-12 relative (the doubles
 * are within ~4e-16 of the decimals), else in Decimal: the same answer, without a Decimal per loan.
 */
function leasedBelow(leased: number, min: number, capacity: number): boolean {
  const product = min * capacity;
  const margin = Math.abs(product) * 1e-12;
  if (leased < product - margin) return true;
  if (leased > product + margin) return false;
  return new Exact(leased).lt(new Exact(min).times(capacity));
}
