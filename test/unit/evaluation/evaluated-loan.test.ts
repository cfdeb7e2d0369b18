/**
 * Evaluation reads only EVALUATED_FIELDS (the type checker holds evaluation code to them; this
 * checks the values): each valid loan of a generated tape, cut down to those fields, gets the same
 * eligibility and the same pool as the whole loan — and the second-read coercion (loanOfRecord)
 * gives exactly those fields of the loan validation kept.
 */
import { describe, expect, it } from 'vitest';
import { generateTape, GENERATED_FIELDS } from '../../../bench/tape-generator.ts';
import { loadCriteria } from '../../../functions/core/evaluation/criteria.ts';
import { evaluateLoan } from '../../../functions/core/evaluation/eligibility.ts';
import { EVALUATED_FIELDS, EVALUATED_FIELD_INDEXES } from '../../../functions/core/evaluation/evaluated-loan.ts';
import { buildEvaluationSections } from '../../../functions/core/evaluation/evaluation-sections.ts';
import { PoolAccumulator } from '../../../functions/core/evaluation/pool-accumulator.ts';
import type { DmbsLoan } from '../../../functions/core/generated/loan-tape.ts';
import { FIELDS, fieldSpec } from '../../../functions/core/schema/loan-tape-schema.ts';
import { TapeValidator } from '../../../functions/core/validation/tape-validator.ts';
import { LOAN_TAPE_VALIDATION } from '../../../functions/core/kinds/loan-tape/validation.ts';

const criteria = loadCriteria();

function validLoans(): Array<{ loan: DmbsLoan; cells: string[] }> {
  // Mixed statuses, off-balance-sheet loans and broken rows: every criterion and every pool part is exercised.
  const { rows } = generateTape({ rows: 3000, seed: 7, brokenShare: 0.05 });
  const validator = new TapeValidator(LOAN_TAPE_VALIDATION);
  validator.header([...GENERATED_FIELDS]);
  const out: Array<{ loan: DmbsLoan; cells: string[] }> = [];
  rows.forEach((r, i) => {
    const cells = GENERATED_FIELDS.map((f) => r[f] ?? '');
    const result = validator.record(i + 2, cells);
    if (result.valid && result.loan) out.push({ loan: structuredClone(result.loan), cells });
  });
  return out;
}

function pick(loan: DmbsLoan): Record<string, unknown> {
  return Object.fromEntries(EVALUATED_FIELDS.map((f) => [f, loan[f]]));
}

describe('EVALUATED_FIELDS', () => {
  const loans = validLoans();

  it('are field names of the schema, indexed in order', () => {
    expect(EVALUATED_FIELD_INDEXES).toEqual(EVALUATED_FIELDS.map((f) => fieldSpec(f).index).sort((a, b) => a - b));
    expect(EVALUATED_FIELD_INDEXES.length).toBeLessThan(FIELDS.length);
  });

  it('give each loan the same eligibility as the whole loan', () => {
    expect(loans.length).toBeGreaterThan(2500);
    let ineligible = 0;
    for (const { loan } of loans) {
      const whole = evaluateLoan(loan, criteria);
      if (!whole.eligible) ineligible++;
      expect(evaluateLoan(pick(loan) as unknown as DmbsLoan, criteria)).toEqual(whole);
    }
    expect(ineligible).toBeGreaterThan(100);
  });

  it('give the same pool as the whole loans', () => {
    const whole = new PoolAccumulator(criteria);
    const cut = new PoolAccumulator(criteria);
    for (const { loan } of loans) {
      whole.add(loan);
      cut.add(pick(loan) as unknown as DmbsLoan);
    }
    expect(whole.result().balanceSheetTransition.length).toBeGreaterThan(0);
    // (JSON: the aggregate holds Decimals, whose internals may differ for equal values)
    const json = (p: PoolAccumulator) => JSON.stringify(p.result(), (_, v) => (typeof v === 'bigint' ? `${v}n` : v instanceof Map ? [...v] : v));
    expect(json(cut)).toEqual(json(whole));
    expect(buildEvaluationSections(cut, criteria, '90.00')).toEqual(buildEvaluationSections(whole, criteria, '90.00'));
  });

  it('are exactly what a second read coerces (loanOfRecord), equal to the validated loan', () => {
    const validator = new TapeValidator(LOAN_TAPE_VALIDATION);
    validator.header([...GENERATED_FIELDS]);
    for (const { loan, cells } of loans.slice(0, 500)) {
      const again = validator.loanOfRecord(cells) as unknown as Record<string, unknown>;
      const defined = Object.fromEntries(Object.entries(again).filter(([, v]) => v !== undefined));
      expect(defined).toEqual(Object.fromEntries(Object.entries(pick(loan)).filter(([, v]) => v !== undefined)));
    }
  });
});
