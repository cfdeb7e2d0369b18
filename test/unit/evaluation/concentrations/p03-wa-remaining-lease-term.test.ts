import { describe, expect, it } from 'vitest';
import { expectNotApplicable, testOf } from './pool.ts';

describe('P03 balance-weighted average remaining lease term >= 84 months', () => {
  it('passes 0.4·115 + 0.3·60 + 0.2·120 + 0.06·60 + 0.04·36 = 93.04 by 9.04', () => {
    expect(testOf('P03')).toMatchObject({ actual: '93.040000', limit: '84.000000', unit: 'months', pass: true, headroom: '9.040000' });
  });
  it('fails a deal minimum of 96 months', () => {
    expect(testOf('P03', { concentrations: { P03: { min: 96 } } })).toMatchObject({ pass: false, headroom: '-2.960000' });
  });
  it('does not apply when switched off or without an eligible pool', () => expectNotApplicable('P03'));
});
