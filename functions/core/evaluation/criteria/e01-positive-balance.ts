// E01 currentBalance > 0 (wording: schemas/dmbs-criteria.v1.schema.json)
import { PASS, fail, type Criterion } from './criterion.ts';

export const e01: Criterion<'E01'> = {
  id: 'E01',
  check: (loan) => (loan.currentBalance > 0 ? PASS : fail(`currentBalance ${loan.currentBalance.toFixed(2)} ≤ 0`)),
};
