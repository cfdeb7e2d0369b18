import { describe, expect, it } from 'vitest';
import { expectNotApplicable, testOf } from './pool.ts';

describe('C01 largest tenant group share <= 0.30', () => {
  it('groups by parent when it holds a value, ignoring case and spaces; fails 0.70 with headroom -0.40', () => {
    expect(testOf('C01')).toEqual({
      id: 'C01', description: 'largest tenant group share', actual: '0.700000', limit: '0.300000', limitType: 'max',
      unit: 'fraction of eligible balance', pass: false, headroom: '-0.400000',
      top: [
        { key: 'Microsoft Corporation', share: '0.700000' }, // A's spelling: seen first
        { key: 'OpenAI', share: '0.200000' }, // no parent: the tenant
        { key: 'CoreWeave', share: '0.060000' }, // blank parent: the tenant
        { key: 'Oracle Corporation', share: '0.040000' },
      ],
    });
  });
  it('passes at exactly the limit with headroom 0', () => {
    expect(testOf('C01', { concentrations: { C01: { max: 0.7 } } })).toMatchObject({ pass: true, headroom: '0.000000', limit: '0.700000' });
  });
  it('does not apply when switched off or without an eligible pool', () => expectNotApplicable('C01'));
});
