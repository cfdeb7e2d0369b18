import { describe, expect, it } from 'vitest';
import { e02 } from '../../../../functions/core/evaluation/criteria/e02-payment-status.ts';
import { loadCriteria } from '../../../../functions/core/evaluation/criteria.ts';
import { loan } from '../loans.ts';
import { expectFailure, expectSwitchedOff, outcome } from './check.ts';

describe('E02 paymentStatus = CURRENT', () => {
  it('passes a current loan', () => expect(outcome(e02, loan())).toEqual({ status: 'pass' }));
  it('fails a delinquent loan', () => expectFailure(e02, loan({ paymentStatus: 'DPD_30' }), 'paymentStatus DPD_30 is not CURRENT'));
  it('follows the deal\'s list of statuses', () => {
    const deal = loadCriteria({ eligibility: { E02: { paymentStatuses: ['CURRENT', 'DPD_30'] } } });
    expect(outcome(e02, loan({ paymentStatus: 'DPD_30' }), deal)).toEqual({ status: 'pass' });
    expectFailure(e02, loan({ paymentStatus: 'DEFAULT' }), 'paymentStatus DEFAULT is not one of CURRENT, DPD_30', deal);
  });
  it('does not apply when switched off', () => expectSwitchedOff(e02, loan({ paymentStatus: 'DEFAULT' })));
});
