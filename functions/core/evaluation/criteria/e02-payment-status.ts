// E02 paymentStatus is one of the allowed statuses (default CURRENT; limits: schemas/default-criteria.json)
import { PASS, allowedList, fail, type Criterion } from './criterion.ts';

export const e02: Criterion<'E02'> = {
  id: 'E02',
  check: (loan, limits) => ((limits.paymentStatuses as readonly string[]).includes(loan.paymentStatus)
    ? PASS
    : fail(`paymentStatus ${loan.paymentStatus} is not ${allowedList(limits.paymentStatuses)}`)),
};
