import { describe, expect, it } from 'vitest';
import { e05 } from '../../../../functions/core/evaluation/criteria/e05-min-dscr.ts';
import { loadCriteria } from '../../../../functions/core/evaluation/criteria.ts';
import { loan } from '../loans.ts';
import { expectFailure, expectSwitchedOff, outcome } from './check.ts';

describe('E05 dscr >= 1.20', () => {
  it('passes exactly 1.20', () => expect(outcome(e05, loan({ dscr: 1.2 }))).toEqual({ status: 'pass' }));
  it('fails 1.15 saying why', () => expectFailure(e05, loan({ dscr: 1.15 }), 'dscr 1.15 < 1.20'));
  it('fails just below the limit and a negative coverage', () => {
    expectFailure(e05, loan({ dscr: 1.1999 }), 'dscr 1.1999 < 1.20');
    expectFailure(e05, loan({ dscr: -0.4 }), 'dscr -0.40 < 1.20');
  });
  it('uses the deal\'s limit', () => {
    expectFailure(e05, loan({ dscr: 1.2 }), 'dscr 1.20 < 1.25', loadCriteria({ eligibility: { E05: { minDscr: 1.25 } } }));
  });
  it('does not apply when switched off', () => expectSwitchedOff(e05, loan({ dscr: 0.9 })));
});
