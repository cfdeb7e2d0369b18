// E08 maturityDate > reportingDate (ISO dates compare as text).
import { PASS, fail, type Criterion } from './criterion.ts';

export const e08: Criterion<'E08'> = {
  id: 'E08',
  check: (loan) => (loan.maturityDate > loan.reportingDate
    ? PASS
    : fail(`maturityDate ${loan.maturityDate} ≤ reportingDate ${loan.reportingDate}`)),
};
