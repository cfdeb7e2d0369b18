// E09 largestTenantRating is not an excluded rating (default D, C, CC; limits: schemas/default-criteria.json).
import { PASS, fail, type Criterion } from './criterion.ts';

export const e09: Criterion<'E09'> = {
  id: 'E09',
  check: (loan, limits) => ((limits.excludedRatings as readonly string[]).includes(loan.largestTenantRating)
    ? fail(`largestTenantRating ${loan.largestTenantRating} is excluded (${limits.excludedRatings.join(', ')})`)
    : PASS),
};
