/** Runs one criterion the way evaluateLoan does, for the per-criterion tests. */
import { expect } from 'vitest';
import type { Criterion, CriterionOutcome } from '../../../../functions/core/evaluation/criteria/index.ts';
import { loadCriteria, type DealCriteria } from '../../../../functions/core/evaluation/criteria.ts';
import { evaluateLoan } from '../../../../functions/core/evaluation/eligibility.ts';
import type { DmbsLoan } from '../../../../functions/core/generated/loan-tape.ts';

export function outcome(criterion: Criterion, loan: DmbsLoan, criteria: DealCriteria = loadCriteria()): CriterionOutcome {
  return criterion.check(loan, criteria.eligibility[criterion.id], criteria);
}

/** The loan fails only this criterion, with this reason (through evaluateLoan). */
export function expectFailure(criterion: Criterion, loan: DmbsLoan, reason: string, criteria: DealCriteria = loadCriteria()): void {
  expect(outcome(criterion, loan, criteria)).toEqual({ status: 'fail', reason });
  expect(evaluateLoan(loan, criteria)).toEqual({ loanId: loan.loanId, eligible: false, failures: [{ criterion: criterion.id, reason }] });
}

/** Switched off in the deal's criteria, the criterion does not apply: the same loan is eligible. */
export function expectSwitchedOff(criterion: Criterion, loan: DmbsLoan): void {
  const off = loadCriteria({ eligibility: { [criterion.id]: { enabled: false } } });
  expect(evaluateLoan(loan, off)).toEqual({ loanId: loan.loanId, eligible: true, failures: [] });
}
