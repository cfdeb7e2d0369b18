/**
 * The fields of a loan that evaluation reads (eligibility criteria, the pool accumulator, group
 * keys, the balance-sheet transition, the stress lens). Evaluation code takes an {@link EvaluatedLoan}, so the type
 * checker rejects a read of any other field: a second read of a tape (evaluating again without
 * duplicated loanIds) coerces only these cells (about a third) and gets the same evaluation.
 */
import type { DmbsLoan } from '../generated/loan-tape.ts';
import { fieldSpec } from '../schema/loan-tape-schema.ts';

export const EVALUATED_FIELDS = [
  'loanId', 'reportingDate', 'currentBalance', 'currency', 'interestRate', 'maturityDate', 'lienPosition', 'paymentStatus',
  'offBalanceSheet', 'facilityId', 'market', 'sponsor', 'constructionStatus', 'expectedCompletionDate', 'itCapacityMw',
  'leasedMw', 'dscr', 'ltv', 'largestTenant', 'largestTenantParent', 'largestTenantRating', 'leaseExpiryDate',
  // the stress lens (core/stress)
  'underwrittenNcf', 'appraisedValue', 'annualDebtService', 'earlyTerminationRight',
] as const satisfies ReadonlyArray<keyof DmbsLoan>;

/** A loan as evaluation sees it: only the fields it reads. */
export type EvaluatedLoan = Pick<DmbsLoan, (typeof EVALUATED_FIELDS)[number]>;

/** Field indexes (loan-tape-schema.ts FIELDS) of {@link EVALUATED_FIELDS}, ascending. */
export const EVALUATED_FIELD_INDEXES: readonly number[] = EVALUATED_FIELDS.map((name) => fieldSpec(name).index).sort((a, b) => a - b);
