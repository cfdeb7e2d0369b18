import { describe, expect, it } from 'vitest';
import { e01 } from '../../../../functions/core/evaluation/criteria/e01-positive-balance.ts';
import { loan } from '../loans.ts';
import { expectFailure, expectSwitchedOff, outcome } from './check.ts';

describe('E01 currentBalance > 0', () => {
  it('passes a positive balance, down to one cent', () => {
    expect(outcome(e01, loan())).toEqual({ status: 'pass' });
    expect(outcome(e01, loan({ currentBalance: 0.01 }))).toEqual({ status: 'pass' });
  });
  it('fails a paid-down loan', () => expectFailure(e01, loan({ currentBalance: 0 }), 'currentBalance 0.00 ≤ 0'));
  it('does not apply when switched off', () => expectSwitchedOff(e01, loan({ currentBalance: 0 })));
});
