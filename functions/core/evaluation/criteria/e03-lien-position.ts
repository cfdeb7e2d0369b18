// E03 lienPosition is one of the allowed positions (default FIRST; limits: schemas/default-criteria.json)
import { PASS, allowedList, fail, type Criterion } from './criterion.ts';

export const e03: Criterion<'E03'> = {
  id: 'E03',
  check: (loan, limits) => ((limits.lienPositions as readonly string[]).includes(loan.lienPosition)
    ? PASS
    : fail(`lienPosition ${loan.lienPosition} is not ${allowedList(limits.lienPositions)}`)),
};
