// E05 dscr >= minDscr (limit: schemas/default-criteria.json). Tape numbers are doubles read from
// decimal text; comparing two of them is exact (rounding to double is monotonic and injective).
import { formatForReason } from '../exact.ts';
import { PASS, fail, type Criterion } from './criterion.ts';

export const e05: Criterion<'E05'> = {
  id: 'E05',
  check: (loan, limits) => (loan.dscr >= limits.minDscr ? PASS : fail(`dscr ${formatForReason(loan.dscr)} < ${formatForReason(limits.minDscr)}`)),
};
