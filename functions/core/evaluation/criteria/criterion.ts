/**
 * The shape of one eligibility criterion (one file each beside this one, listed in index.ts):
 * a pure check of one loan against the criterion's limits from the deal's criteria.
 */
import type { EvaluatedLoan } from '../evaluated-loan.ts';
import type { CriterionId, DealCriteria, EligibilityLimits } from '../criteria.ts';

/** What a criterion says about one loan; a failure says why, with the values ("dscr 1.15 < 1.20"). */
export type CriterionOutcome =
  | { readonly status: 'pass' }
  | { readonly status: 'fail'; readonly reason: string }
  | { readonly status: 'n/a'; readonly reason: string };

export interface Criterion<Id extends CriterionId = CriterionId> {
  readonly id: Id;
  /** Checks one valid loan. `criteria` gives deal-wide settings (dealCurrency). */
  check(loan: EvaluatedLoan, limits: EligibilityLimits[Id], criteria: DealCriteria): CriterionOutcome;
}

export const PASS: CriterionOutcome = Object.freeze({ status: 'pass' });

export function fail(reason: string): CriterionOutcome {
  return { status: 'fail', reason };
}

export function notApplicable(reason: string): CriterionOutcome {
  return { status: 'n/a', reason };
}

/** "X" for one allowed value, "one of X, Y" for several. */
export function allowedList(values: readonly string[]): string {
  return values.length === 1 ? values[0]! : `one of ${values.join(', ')}`;
}
