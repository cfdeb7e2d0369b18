import { describe, expect, it } from 'vitest';
import { e07 } from '../../../../functions/core/evaluation/criteria/e07-remaining-lease-term.ts';
import { loan } from '../loans.ts';
import { expectFailure, expectSwitchedOff, outcome } from './check.ts';

describe('E07 remaining lease term >= 36 whole months', () => {
  it('passes exactly 36 months (2026-10-31 to 2029-10-31)', () => {
    expect(outcome(e07, loan({ leaseExpiryDate: '2029-10-31' }))).toEqual({ status: 'pass' });
  });
  it('fails 35 months: 2029-10-30 is one day short (the DMBS standard, example)', () => {
    expectFailure(e07, loan({ leaseExpiryDate: '2029-10-30' }), 'remaining lease term 35 months < 36 (leaseExpiryDate 2029-10-30)');
  });
  it('counts an expired lease as negative months', () => {
    expectFailure(e07, loan({ leaseExpiryDate: '2026-09-30' }), 'remaining lease term -2 months < 36 (leaseExpiryDate 2026-09-30)');
  });
  it('counts from a month end to a shorter month end as one month short (no clamping in the count)', () => {
    // 2026-10-31 -> 2029-11-30: 37 months minus 1 because 30 < 31 = 36
    expect(outcome(e07, loan({ leaseExpiryDate: '2029-11-30' }))).toEqual({ status: 'pass' });
  });
  it('counts from a leap day: 2028-02-29 to 2031-02-28 is 35 months, to 2031-03-01 is 36', () => {
    expectFailure(e07, loan({ reportingDate: '2028-02-29', leaseExpiryDate: '2031-02-28' }), 'remaining lease term 35 months < 36 (leaseExpiryDate 2031-02-28)');
    expect(outcome(e07, loan({ reportingDate: '2028-02-29', leaseExpiryDate: '2031-03-01' }))).toEqual({ status: 'pass' });
  });
  it('does not apply when switched off', () => expectSwitchedOff(e07, loan({ leaseExpiryDate: '2027-01-01' })));
});
