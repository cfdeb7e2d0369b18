import { describe, expect, it } from 'vitest';
import { expectNotApplicable, testOf } from './pool.ts';
import { loan } from '../loans.ts';
import { lowRatedLoans } from '../../../../functions/core/evaluation/concentrations/c03-low-rated-tenants.ts';
import { loadCriteria } from '../../../../functions/core/evaluation/criteria.ts';

describe('C03 share rated below BBB- or NR <= 0.25', () => {
  it('counts NR (20M) and B+ (6M) but not BBB: 0.26 fails by 0.01', () => {
    expect(testOf('C03')).toMatchObject({
      actual: '0.260000', limit: '0.250000', pass: false, headroom: '-0.010000',
      top: [{ key: 'OpenAI', share: '0.200000' }, { key: 'CoreWeave', share: '0.060000' }],
    });
  });
  it('follows the deal\'s list of counted ratings', () => {
    expect(testOf('C03', { concentrations: { C03: { ratings: ['B+', 'B', 'B-'] } } })).toMatchObject({
      actual: '0.060000', pass: true, headroom: '0.190000', top: [{ key: 'CoreWeave', share: '0.060000' }],
    });
  });
  it('does not apply when switched off or without an eligible pool', () => expectNotApplicable('C03'));
});

describe('lowRatedLoans: the loans C03 counts, as the accumulator asks', () => {
  it("counts the deal's ratings only: NR by default, BBB- once the deal lists it", () => {
    const byDefault = lowRatedLoans(loadCriteria());
    expect(byDefault(loan({ largestTenantRating: 'NR' }))).toBe(true);
    expect(byDefault(loan({ largestTenantRating: 'BBB-' }))).toBe(false);
    expect(lowRatedLoans(loadCriteria({ concentrations: { C03: { ratings: ['BBB-'] } } }))(loan({ largestTenantRating: 'BBB-' }))).toBe(true);
  });
});
