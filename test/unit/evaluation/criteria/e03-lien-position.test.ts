import { describe, expect, it } from 'vitest';
import { e03 } from '../../../../functions/core/evaluation/criteria/e03-lien-position.ts';
import { loan } from '../loans.ts';
import { expectFailure, expectSwitchedOff, outcome } from './check.ts';

describe('E03 lienPosition = FIRST', () => {
  it('passes a first lien', () => expect(outcome(e03, loan())).toEqual({ status: 'pass' }));
  it('fails a mezzanine loan', () => expectFailure(e03, loan({ lienPosition: 'MEZZANINE' }), 'lienPosition MEZZANINE is not FIRST'));
  it('does not apply when switched off', () => expectSwitchedOff(e03, loan({ lienPosition: 'SECOND' })));
});
