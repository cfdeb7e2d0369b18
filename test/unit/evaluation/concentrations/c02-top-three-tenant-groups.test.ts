import { describe, expect, it } from 'vitest';
import { expectNotApplicable, testOf } from './pool.ts';

describe('C02 top-3 tenant groups share <= 0.60', () => {
  it('fails 0.70 + 0.20 + 0.06 = 0.96 with headroom -0.36', () => {
    expect(testOf('C02')).toMatchObject({ actual: '0.960000', limit: '0.600000', pass: false, headroom: '-0.360000' });
    expect(testOf('C02')?.top.map((t) => t.key)).toEqual(['Microsoft Corporation', 'OpenAI', 'CoreWeave', 'Oracle Corporation']);
  });
  it('passes under a deal limit of 0.97', () => {
    expect(testOf('C02', { concentrations: { C02: { max: 0.97 } } })).toMatchObject({ pass: true, headroom: '0.010000' });
  });
  it('does not apply when switched off or without an eligible pool', () => expectNotApplicable('C02'));
});
