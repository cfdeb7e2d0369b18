// E10 currency = the deal currency (dealCurrency in the deal's criteria, default USD).
import { PASS, fail, type Criterion } from './criterion.ts';

export const e10: Criterion<'E10'> = {
  id: 'E10',
  check: (loan, _limits, criteria) => (loan.currency === criteria.dealCurrency
    ? PASS
    : fail(`currency ${loan.currency} ≠ deal currency ${criteria.dealCurrency}`)),
};
