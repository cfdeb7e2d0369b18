import { describe, expect, it } from 'vitest';
import { e09 } from '../../../../functions/core/evaluation/criteria/e09-tenant-not-defaulted.ts';
import { loan } from '../loans.ts';
import { expectFailure, expectSwitchedOff, outcome } from './check.ts';

describe('E09 largestTenantRating is not D, C or CC', () => {
  it('passes CCC- and NR', () => {
    expect(outcome(e09, loan({ largestTenantRating: 'CCC-' }))).toEqual({ status: 'pass' });
    expect(outcome(e09, loan({ largestTenantRating: 'NR' }))).toEqual({ status: 'pass' });
  });
  it('fails D, C and CC', () => {
    expectFailure(e09, loan({ largestTenantRating: 'D' }), 'largestTenantRating D is excluded (D, C, CC)');
    expectFailure(e09, loan({ largestTenantRating: 'CC' }), 'largestTenantRating CC is excluded (D, C, CC)');
  });
  it('does not apply when switched off', () => expectSwitchedOff(e09, loan({ largestTenantRating: 'D' })));
});
