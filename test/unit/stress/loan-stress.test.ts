/**
 * loanStress computes each loan's figures as exact integer ratios rounded once; here against the
 * definitions computed in 200-digit decimals, over generated loans and models with odd decimals.
 */
import { describe, expect, it } from 'vitest';
import { Decimal } from 'decimal.js';
import { generateTape } from '../../../bench/tape-generator.ts';
import type { DmbsLoan } from '../../../functions/core/generated/loan-tape.ts';
import { loadStressModel, loanCapRate, loanHaircut, loanStress, type StressModel } from '../../../functions/core/stress/index.ts';
import { validLoans } from '../../../bench/valid-loans.ts';

const D = Decimal.clone({ precision: 200, rounding: Decimal.ROUND_HALF_EVEN });
const money = (d: Decimal) => d.toFixed(2, Decimal.ROUND_HALF_EVEN).replace(/^-0\.00$/, '0.00');
const micros = (d: Decimal) => d.toFixed(6, Decimal.ROUND_HALF_EVEN).replace(/^-0\.0+$/, '0.000000');

function reference(loan: DmbsLoan, model: StressModel) {
  const ncf = new D(loan.underwrittenNcf.toFixed(2));
  const sncf = ncf.isNegative() ? ncf : ncf.times(new D(1).minus(loanHaircut(loan, model).toString()));
  const sv = (sncf.isNegative() ? new D(0) : sncf).div(loanCapRate(loan, model).toString());
  const ds = new D(loan.annualDebtService.toFixed(2));
  return {
    stressedNcf: money(sncf),
    stressedValue: money(sv),
    stressedLtv: sv.isZero() ? null : micros(new D(loan.currentBalance.toFixed(2)).div(sv)),
    stressedDscr: ds.isZero() ? null : micros(sncf.div(ds)),
  };
}

const { loans } = validLoans(generateTape({ rows: 1500, seed: 13 }).rows);
// a few loans at the edges: negative and zero NCF, no debt service
loans.push({ ...loans[0]!, underwrittenNcf: -1234567.89 }, { ...loans[1]!, underwrittenNcf: 0 }, { ...loans[2]!, annualDebtService: 0 });

describe('loanStress', () => {
  it.each([
    ['the defaults', undefined],
    ['odd decimals and market add-ons', { ncfHaircut: { base: 0.137, addIfNotOperational: 0.0333, max: 0.41 }, capRate: { base: 0.0777, marketAdd: { Dallas: 0.0123, 'northern virginia': 0.00049 } } }],
    ['a haircut of 1', { ncfHaircut: { base: 1, max: 1 } }],
  ])('gives the definitions\' figures exactly under %s', (_name, doc) => {
    const model = loadStressModel(doc);
    expect(loans.length).toBeGreaterThan(1000);
    for (const loan of loans) expect(loanStress(loan, model), loan.loanId).toEqual(reference(loan, model));
  });
});
