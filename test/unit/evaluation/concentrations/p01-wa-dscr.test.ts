import { describe, expect, it } from 'vitest';
import { expectNotApplicable, testOf } from './pool.ts';

describe('P01 balance-weighted average DSCR >= 1.40', () => {
  it('passes 0.4·1.6 + 0.3·1.4 + 0.2·1.3 + 0.06·2.0 + 0.04·1.5 = 1.50 by 0.10', () => {
    expect(testOf('P01')).toMatchObject({ actual: '1.500000', limit: '1.400000', limitType: 'min', unit: 'ratio', pass: true, headroom: '0.100000' });
    expect(testOf('P01')?.top[0]).toEqual({ key: 'A', share: '0.400000' });
  });
  it('fails a deal minimum of 1.55 by 0.05', () => {
    expect(testOf('P01', { concentrations: { P01: { min: 1.55 } } })).toMatchObject({ pass: false, headroom: '-0.050000' });
  });
  it('does not apply when switched off or without an eligible pool', () => expectNotApplicable('P01'));
});
