import { describe, expect, it } from 'vitest';
import { expectNotApplicable, testOf } from './pool.ts';

describe('P02 balance-weighted average LTV <= 0.70', () => {
  it('passes 0.4·0.60 + 0.3·0.70 + 0.2·0.75 + 0.06·0.50 + 0.04·0.65 = 0.656 by 0.044', () => {
    expect(testOf('P02')).toMatchObject({ actual: '0.656000', limit: '0.700000', limitType: 'max', pass: true, headroom: '0.044000' });
  });
  it('fails a deal maximum of 0.65', () => {
    expect(testOf('P02', { concentrations: { P02: { max: 0.65 } } })).toMatchObject({ pass: false, headroom: '-0.006000' });
  });
  it('does not apply when switched off or without an eligible pool', () => expectNotApplicable('P02'));
});
