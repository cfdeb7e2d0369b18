/**
 * The valid loans of generated rows, validated as a tape (header, then each row) by the loan
 * tape's validator: what benches and tests that time or check evaluation start from.
 */
import type { DmbsLoan } from '../functions/core/generated/loan-tape.ts';
import { LOAN_TAPE_VALIDATION } from '../functions/core/kinds/loan-tape/validation.ts';
import { TapeValidator, type ValidationSummary } from '../functions/core/validation/tape-validator.ts';
import { GENERATED_FIELDS, type GeneratedRow } from './tape-generator.ts';

/** The valid loans in row order (a duplicated id's rows included: `summary.duplicateLoanIds` names them), and the validation summary. */
export function validLoans(rows: readonly GeneratedRow[]): { loans: DmbsLoan[]; summary: ValidationSummary } {
  const validator = new TapeValidator(LOAN_TAPE_VALIDATION);
  validator.header([...GENERATED_FIELDS]);
  const loans: DmbsLoan[] = [];
  rows.forEach((r, i) => {
    const result = validator.record(i + 2, GENERATED_FIELDS.map((f) => r[f] ?? ''));
    if (result.valid && result.loan) loans.push(result.loan);
  });
  return { loans, summary: validator.finish() };
}
