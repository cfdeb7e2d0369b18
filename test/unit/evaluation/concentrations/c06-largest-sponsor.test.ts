import { describe, expect, it } from 'vitest';
import { expectNotApplicable, testOf } from './pool.ts';

describe('C06 largest single sponsor share <= 0.40', () => {
  it('fails Vantage at 0.60 by 0.20', () => {
    expect(testOf('C06')).toMatchObject({
      actual: '0.600000', limit: '0.400000', pass: false, headroom: '-0.200000',
      top: [{ key: 'Vantage', share: '0.600000' }, { key: 'QTS', share: '0.300000' }, { key: 'Stack', share: '0.100000' }],
    });
  });
  it('passes at exactly a deal limit of 0.60', () => {
    expect(testOf('C06', { concentrations: { C06: { max: 0.6 } } })).toMatchObject({ pass: true, headroom: '0.000000' });
  });
  it('does not apply when switched off or without an eligible pool', () => expectNotApplicable('C06'));
});
