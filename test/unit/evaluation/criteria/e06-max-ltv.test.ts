import { describe, expect, it } from 'vitest';
import { e06 } from '../../../../functions/core/evaluation/criteria/e06-max-ltv.ts';
import { loan } from '../loans.ts';
import { expectFailure, expectSwitchedOff, outcome } from './check.ts';

describe('E06 ltv <= 0.80', () => {
  it('passes exactly 0.80', () => expect(outcome(e06, loan({ ltv: 0.8 }))).toEqual({ status: 'pass' }));
  it('fails 0.8001 saying why', () => expectFailure(e06, loan({ ltv: 0.8001 }), 'ltv 0.8001 > 0.80'));
  it('rounds a long value half-even to 6 decimals in the reason', () => expectFailure(e06, loan({ ltv: 1.0000005 }), 'ltv 1.000000 > 0.80'));
  it('does not apply when switched off', () => expectSwitchedOff(e06, loan({ ltv: 1.1 })));
});
