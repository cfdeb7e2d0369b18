import { describe, expect, it } from 'vitest';
import { loan } from '../loans.ts';
import { expectNotApplicable, testOf } from './pool.ts';

describe('C09 effective number of loans >= 10', () => {
  it('fails 1 / (0.4² + 0.3² + 0.2² + 0.06² + 0.04²) = 1 / 0.2952 = 3.387534', () => {
    expect(testOf('C09')).toMatchObject({
      description: 'effective number of loans, 1 / sum((balance / total)^2)', unit: 'loans', limitType: 'min',
      actual: '3.387534', limit: '10.000000', pass: false, headroom: '-6.612466',
      top: [{ key: 'A', share: '0.400000' }, { key: 'B', share: '0.300000' }, { key: 'C', share: '0.200000' }, { key: 'D', share: '0.060000' }, { key: 'E', share: '0.040000' }],
    });
  });
  it('passes exactly 10 equal loans, reporting the 5 largest, ties by loanId', () => {
    const loans = Array.from({ length: 10 }, (_, i) => loan({ loanId: `L-${9 - i}`, currentBalance: 1000000 }));
    expect(testOf('C09', undefined, loans)).toMatchObject({
      actual: '10.000000', pass: true, headroom: '0.000000',
      top: ['L-0', 'L-1', 'L-2', 'L-3', 'L-4'].map((key) => ({ key, share: '0.100000' })),
    });
  });
  it('does not apply when switched off or without an eligible pool', () => expectNotApplicable('C09'));
});
