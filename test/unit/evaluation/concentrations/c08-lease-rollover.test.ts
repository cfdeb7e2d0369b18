import { describe, expect, it } from 'vitest';
import { loan } from '../loans.ts';
import { expectNotApplicable, testOf } from './pool.ts';
import { rollingOverLoans } from '../../../../functions/core/evaluation/concentrations/c08-lease-rollover.ts';
import { loadCriteria } from '../../../../functions/core/evaluation/criteria.ts';

describe('C08 share with leases expiring by reportingDate + 60 months <= 0.20', () => {
  it('counts a lease expiring exactly 2031-10-31 and not one expiring 2031-11-01: 0.34 fails', () => {
    expect(testOf('C08')).toMatchObject({
      actual: '0.340000', limit: '0.200000', pass: false, headroom: '-0.140000',
      top: [{ key: 'Microsoft Corporation', share: '0.300000' }, { key: 'Oracle Corporation', share: '0.040000' }],
    });
  });
  it('follows the deal\'s window: 36 months keeps only the lease expiring 2029-10-31', () => {
    expect(testOf('C08', { concentrations: { C08: { windowMonths: 36 } } })).toMatchObject({
      description: 'share with leaseExpiryDate <= reportingDate + 36 months (lease rollover)', actual: '0.040000', pass: true, headroom: '0.160000',
    });
  });
  it('clamps the window to the month end: from 2026-08-31, + 6 months is 2027-02-28', () => {
    const at = (expiry: string) => loan({ loanId: expiry, reportingDate: '2026-08-31', leaseExpiryDate: expiry });
    const deal = { eligibility: { E07: { enabled: false } }, concentrations: { C08: { windowMonths: 6 } } };
    expect(testOf('C08', deal, [at('2027-02-28'), at('2027-03-01')])).toMatchObject({ actual: '0.500000' });
  });
  it('does not apply when switched off or without an eligible pool', () => expectNotApplicable('C08'));
});

describe('rollingOverLoans: the loans C08 counts, as the accumulator asks', () => {
  it('takes a lease expiring on the window\'s last day, not the day after, from the tape\'s reportingDate', () => {
    const counts = rollingOverLoans(loadCriteria({ concentrations: { C08: { windowMonths: 12 } } }), '2026-10-31');
    expect(counts(loan({ leaseExpiryDate: '2027-10-31' }))).toBe(true);
    expect(counts(loan({ leaseExpiryDate: '2027-11-01' }))).toBe(false);
  });
});
