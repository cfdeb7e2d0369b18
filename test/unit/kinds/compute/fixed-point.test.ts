// Fixed-point cents: one half-even rounding of an exact rational.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { divideHalfEven, fixedCents, fixedToDecimal, rationalOf } from '../../../../functions/core/kinds/compute/fixed-point.ts';

describe('fixed-point cents', () => {
  it('rounds half to even, below and above zero', () => {
    expect([5n, 15n, 25n, 7n, 13n].map((n) => divideHalfEven(n, 10n))).toEqual([0n, 2n, 2n, 1n, 1n]);
    expect([-5n, -15n, -25n, -7n, -13n].map((n) => divideHalfEven(n, 10n))).toEqual([0n, -2n, -2n, -1n, -1n]);
  });

  it('reads a number as the decimal it is written as', () => {
    expect(rationalOf(0.62)).toEqual({ num: 62n, den: 100n });
    expect(rationalOf(1)).toEqual({ num: 1n, den: 1n });
    expect(rationalOf(1e-7)).toEqual({ num: 1n, den: 10_000_000n });
  });

  it('keeps 60 decimals of a cent: 1/3 of a cent, and an exact share stays exact', () => {
    expect(fixedToDecimal(fixedCents(1n, { num: 1n, den: 3n })).toFixed()).toBe(`0.${'3'.repeat(60)}`);
    expect(fixedToDecimal(fixedCents(3_000_000_000n, rationalOf(0.81))).toFixed()).toBe('2430000000');
  });

  it('agrees with exact integer arithmetic for any fraction', () => {
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), fc.bigInt({ min: 1n, max: 10n ** 6n }), fc.bigInt({ min: 1n, max: 10n ** 6n }), (cents, num, den) => {
      const fixed = fixedCents(cents, { num, den });
      // |fixed − cents·num·10^60/den| ≤ 1/2 unit
      const error = 2n * (fixed * den - cents * num * 10n ** 60n);
      expect(error <= den && error >= -den).toBe(true);
    }), { numRuns: 200 });
  });
});
