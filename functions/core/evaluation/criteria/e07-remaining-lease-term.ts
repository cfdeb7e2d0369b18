// E07 remaining lease term >= N months: whole months from reportingDate to leaseExpiryDate,
// 12·(y₂−y₁) + (m₂−m₁) − (d₂ < d₁ ? 1 : 0) (the DMBS standard, "Definitions pinned"). Limit: schemas/default-criteria.json.
import { wholeMonthsBetween } from '../../validation/calendar.ts';
import { PASS, fail, type Criterion } from './criterion.ts';

export const e07: Criterion<'E07'> = {
  id: 'E07',
  check: (loan, limits) => {
    const months = wholeMonthsBetween(loan.reportingDate, loan.leaseExpiryDate);
    return months >= limits.minRemainingLeaseTermMonths
      ? PASS
      : fail(`remaining lease term ${months} months < ${limits.minRemainingLeaseTermMonths} (leaseExpiryDate ${loan.leaseExpiryDate})`);
  },
};
