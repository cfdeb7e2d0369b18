import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WeightedSum, decimalParts } from '../../../functions/core/evaluation/weighted-sum.ts';

describe('decimalParts', () => {
  it('splits a number into the digits of its shortest decimal text', () => {
    expect(decimalParts(1.25)).toEqual([125n, 2]);
    expect(decimalParts(-0.4)).toEqual([-4n, 1]);
    expect(decimalParts(12)).toEqual([12n, 0]);
    expect(decimalParts(1e-7)).toEqual([1n, 7]);
    expect(decimalParts(1.5e-9)).toEqual([15n, 10]);
    expect(decimalParts(1.5e21)).toEqual([1500000000000000000000n, 0]);
    expect(decimalParts(0.1 + 0.2)).toEqual([30000000000000004n, 17]); // the double's own shortest text, as new Decimal(x) reads it
  });
  it('refuses NaN and infinities', () => expect(() => decimalParts(Number.NaN)).toThrow(RangeError));
});

describe('WeightedSum', () => {
  it('equals a plain Decimal sum, merged or not', () => {
    const D = Decimal.clone({ precision: 1000 });
    fc.assert(fc.property(
      fc.array(fc.tuple(fc.bigInt({ min: 0n, max: 10n ** 15n }), fc.double({ min: -1e6, max: 1e6, noNaN: true }).filter((x) => x === 0 || Math.abs(x) > 1e-12)), { maxLength: 30 }),
      fc.nat(),
      (terms, cut) => {
        const whole = new WeightedSum();
        const [a, b] = [new WeightedSum(), new WeightedSum()];
        let expected = new D(0);
        terms.forEach(([w, v], i) => {
          whole.add(w, v);
          (i < cut % (terms.length + 1) ? a : b).add(w, v);
          expected = expected.plus(new D(w.toString()).times(v));
        });
        a.merge(WeightedSum.fromJSON(JSON.parse(JSON.stringify(b))));
        expect(whole.value().toFixed()).toBe(expected.toFixed());
        expect(a.value().toFixed()).toBe(expected.toFixed());
      },
    ), { numRuns: 300 });
  });
});
