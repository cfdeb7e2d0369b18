import { describe, expect, it } from 'vitest';
import { loadCriteria } from '../../../functions/core/evaluation/criteria.ts';
import { CRITERIA } from '../../../functions/core/evaluation/criteria/index.ts';
import { evaluateLoan } from '../../../functions/core/evaluation/eligibility.ts';
import { TapeValidator } from '../../../functions/core/validation/tape-validator.ts';
import { LOAN_TAPE_VALIDATION } from '../../../functions/core/kinds/loan-tape/validation.ts';
import { asRecords, validRow } from '../../support/rows.ts';
import { BASE_LOAN, loan } from './loans.ts';

describe('evaluateLoan', () => {
  it('uses as its base loan exactly what the validator makes of validRow()', () => {
    const recs = asRecords([validRow()]);
    const v = new TapeValidator(LOAN_TAPE_VALIDATION);
    v.header(recs.header);
    expect(v.record(2, recs.cells[0]!).loan).toEqual(BASE_LOAN);
  });

  it('lists every criterion E01..E10 once, in order', () => {
    expect(CRITERIA.map((c) => c.id)).toEqual(['E01', 'E02', 'E03', 'E04', 'E05', 'E06', 'E07', 'E08', 'E09', 'E10']);
  });

  it('finds an eligible loan eligible', () => {
    expect(evaluateLoan(BASE_LOAN, loadCriteria())).toEqual({ loanId: 'L-1', eligible: true, failures: [] });
  });

  it('keeps every failing criterion with its reason, in id order', () => {
    const l = loan({ loanId: 'L-9', paymentStatus: 'DPD_60', dscr: 1.15, ltv: 0.85, leaseExpiryDate: '2029-10-30', currency: 'EUR' });
    expect(evaluateLoan(l, loadCriteria())).toEqual({
      loanId: 'L-9',
      eligible: false,
      failures: [
        { criterion: 'E02', reason: 'paymentStatus DPD_60 is not CURRENT' },
        { criterion: 'E05', reason: 'dscr 1.15 < 1.20' },
        { criterion: 'E06', reason: 'ltv 0.85 > 0.80' },
        { criterion: 'E07', reason: 'remaining lease term 35 months < 36 (leaseExpiryDate 2029-10-30)' },
        { criterion: 'E10', reason: 'currency EUR ≠ deal currency USD' },
      ],
    });
  });

  it('skips criteria the deal switches off', () => {
    const deal = loadCriteria({ eligibility: { E05: { enabled: false }, E06: { enabled: false } } });
    expect(evaluateLoan(loan({ dscr: 1.0, ltv: 0.9 }), deal).eligible).toBe(true);
  });
});
