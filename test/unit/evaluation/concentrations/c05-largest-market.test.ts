import { describe, expect, it } from 'vitest';
import { expectNotApplicable, testOf } from './pool.ts';

describe('C05 largest single market share <= 0.35', () => {
  it('treats "northern virginia" as Northern Virginia: 0.70 fails by 0.35', () => {
    expect(testOf('C05')).toMatchObject({
      actual: '0.700000', limit: '0.350000', pass: false, headroom: '-0.350000',
      top: [{ key: 'Northern Virginia', share: '0.700000' }, { key: 'Dallas', share: '0.240000' }, { key: 'Phoenix', share: '0.060000' }],
    });
  });
  it('passes under a deal limit of 0.80', () => {
    expect(testOf('C05', { concentrations: { C05: { max: 0.8 } } })).toMatchObject({ pass: true, headroom: '0.100000' });
  });
  it('does not apply when switched off or without an eligible pool', () => expectNotApplicable('C05'));
});
