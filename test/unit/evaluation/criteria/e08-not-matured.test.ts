import { describe, expect, it } from 'vitest';
import { e08 } from '../../../../functions/core/evaluation/criteria/e08-not-matured.ts';
import { loan } from '../loans.ts';
import { expectFailure, expectSwitchedOff, outcome } from './check.ts';

describe('E08 maturityDate > reportingDate', () => {
  it('passes a loan maturing the day after the cut-off', () => expect(outcome(e08, loan({ maturityDate: '2026-11-01' }))).toEqual({ status: 'pass' }));
  it('fails a loan maturing on the cut-off', () => {
    expectFailure(e08, loan({ maturityDate: '2026-10-31' }), 'maturityDate 2026-10-31 ≤ reportingDate 2026-10-31');
  });
  it('does not apply when switched off', () => expectSwitchedOff(e08, loan({ maturityDate: '2026-01-31' })));
});
