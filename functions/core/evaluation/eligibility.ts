/**
 * Eligibility of one loan (the DMBS standard, "Eligibility criteria"): every enabled criterion is
 * checked and every failure kept with its reason. Only valid loans are evaluated. Pure.
 */
import type { EvaluatedLoan } from './evaluated-loan.ts';
import { CRITERIA } from './criteria/index.ts';
import type { CriterionId, DealCriteria } from './criteria.ts';

/** One failed criterion of a loan, e.g. `{ criterion: 'E05', reason: 'dscr 1.15 < 1.20' }`. */
export interface CriterionFailure {
  readonly criterion: CriterionId;
  readonly reason: string;
}

/** The loan-level result (one NDJSON line of `--loans-out`). */
export interface LoanEvaluation {
  readonly loanId: string;
  readonly eligible: boolean;
  /** Failed criteria in id order; empty when eligible. */
  readonly failures: CriterionFailure[];
}

/**
 * Checks a valid loan against the deal's enabled criteria.
 * @example evaluateLoan(loan, loadCriteria()) // { loanId: 'L-1', eligible: false, failures: [{ criterion: 'E05', reason: 'dscr 1.15 < 1.20' }] }
 */
export function evaluateLoan(loan: EvaluatedLoan, criteria: DealCriteria): LoanEvaluation {
  const failures: CriterionFailure[] = [];
  for (const criterion of CRITERIA) {
    const limits = criteria.eligibility[criterion.id];
    if (!limits.enabled) continue;
    const outcome = criterion.check(loan, limits, criteria);
    if (outcome.status === 'fail') failures.push({ criterion: criterion.id, reason: outcome.reason });
  }
  return { loanId: loan.loanId, eligible: failures.length === 0, failures };
}
