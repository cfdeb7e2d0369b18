// E06 ltv <= maxLtv (limit: schemas/default-criteria.json); exact comparison as in E05.
import { formatForReason } from '../exact.ts';
import { PASS, fail, type Criterion } from './criterion.ts';

export const e06: Criterion<'E06'> = {
  id: 'E06',
  check: (loan, limits) => (loan.ltv <= limits.maxLtv ? PASS : fail(`ltv ${formatForReason(loan.ltv)} > ${formatForReason(limits.maxLtv)}`)),
};
