import { describe, expect, it } from 'vitest';
import { POOL, expectNotApplicable, testOf } from './pool.ts';

describe('C07 share not OPERATIONAL <= 0.20', () => {
  it('passes exactly 0.20 (loan C under construction) with headroom 0', () => {
    expect(testOf('C07')).toMatchObject({ actual: '0.200000', limit: '0.200000', pass: true, headroom: '0.000000', top: [{ key: 'F-2', share: '0.200000' }] });
  });
  it('fails when a second facility is commissioning: 0.24', () => {
    const loans = POOL.map((l) => (l.loanId === 'E' ? { ...l, constructionStatus: 'COMMISSIONING' as const, expectedCompletionDate: '2027-01-15' } : l));
    expect(testOf('C07', undefined, loans)).toMatchObject({
      actual: '0.240000', pass: false, headroom: '-0.040000', top: [{ key: 'F-2', share: '0.200000' }, { key: 'F-4', share: '0.040000' }],
    });
  });
  it('does not apply when switched off or without an eligible pool', () => expectNotApplicable('C07'));
});
