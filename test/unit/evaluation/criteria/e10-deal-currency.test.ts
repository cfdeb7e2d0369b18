import { describe, expect, it } from 'vitest';
import { e10 } from '../../../../functions/core/evaluation/criteria/e10-deal-currency.ts';
import { loadCriteria } from '../../../../functions/core/evaluation/criteria.ts';
import { loan } from '../loans.ts';
import { expectFailure, expectSwitchedOff, outcome } from './check.ts';

describe('E10 currency = deal currency', () => {
  it('passes USD in a USD deal (the default)', () => expect(outcome(e10, loan())).toEqual({ status: 'pass' }));
  it('fails EUR in a USD deal', () => expectFailure(e10, loan({ currency: 'EUR' }), 'currency EUR ≠ deal currency USD'));
  it('follows the deal\'s currency', () => {
    const eur = loadCriteria({ dealCurrency: 'EUR' });
    expect(outcome(e10, loan({ currency: 'EUR' }), eur)).toEqual({ status: 'pass' });
    expectFailure(e10, loan(), 'currency USD ≠ deal currency EUR', eur);
  });
  it('does not apply when switched off', () => expectSwitchedOff(e10, loan({ currency: 'GBP' })));
});
