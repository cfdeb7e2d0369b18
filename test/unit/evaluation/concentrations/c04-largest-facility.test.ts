import { describe, expect, it } from 'vitest';
import { expectNotApplicable, testOf } from './pool.ts';

describe('C04 largest single facility share <= 0.15', () => {
  it('treats F-1 and f-1 as one facility: 0.70 fails by 0.55', () => {
    expect(testOf('C04')).toMatchObject({
      actual: '0.700000', limit: '0.150000', pass: false, headroom: '-0.550000',
      top: [{ key: 'F-1', share: '0.700000' }, { key: 'F-2', share: '0.200000' }, { key: 'F-3', share: '0.060000' }, { key: 'F-4', share: '0.040000' }],
    });
  });
  it('passes under a deal limit of 0.75', () => {
    expect(testOf('C04', { concentrations: { C04: { max: 0.75 } } })).toMatchObject({ pass: true, headroom: '0.050000' });
  });
  it('does not apply when switched off or without an eligible pool', () => expectNotApplicable('C04'));
});
