// E04 OPERATIONAL, or a qualifying construction status with completion within N months of reportingDate
// (calendar addition, clamped) and leasedMw / itCapacityMw at least the minimum. Limits: schemas/default-criteria.json.
import { addMonths } from '../../validation/calendar.ts';
import { Exact, formatForReason } from '../exact.ts';
import { PASS, allowedList, fail, notApplicable, type Criterion } from './criterion.ts';

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
    const leased = new Exact(loan.leasedMw);
    if (leased.lt(new Exact(limits.minLeasedShare).times(loan.itCapacityMw))) {
      problems.push(`leasedMw / itCapacityMw ${formatForReason(leased.div(loan.itCapacityMw))} < ${formatForReason(limits.minLeasedShare)}`);
    }
    return problems.length ? fail(problems.join('; ')) : PASS;
  },
};
