/**
 * Fixed-point cents for the compute kind's quotients: an exact rational rounded once, half-even,
 * to FIXED_PLACES decimals of a cent and held as a bigint (value × 10^FIXED_PLACES). Sums of them
 * are exact bigint sums, so pools merge in any order into the same figures, and fast.
 */
import type { Decimal } from 'decimal.js';
import { Exact } from '../../evaluation/exact.ts';

/**
 * Decimals of a cent kept of every quotient (residual, straight-line balance, present value): far
 * beyond the 34 significant digits that suffice, each the exact rational rounded once.
 */
export const FIXED_PLACES = 60;
const SCALE = 10n ** BigInt(FIXED_PLACES);
const SCALE_DECIMAL = new Exact(10).pow(FIXED_PLACES);

/** A rational number: numerator / denominator, denominator > 0. */
export interface Rational {
  readonly num: bigint;
  readonly den: bigint;
}

/** num / den rounded half-even to an integer (den > 0). */
export function divideHalfEven(num: bigint, den: bigint): bigint {
  const q = num / den;
  const r = num - q * den;
  if (r === 0n) return q;
  const twice = 2n * (r < 0n ? -r : r);
  const away = r < 0n ? q - 1n : q + 1n;
  if (twice > den) return away;
  if (twice < den) return q;
  return q % 2n === 0n ? q : away;
}

/** `cents × fraction` as fixed-point cents: one rounding, half-even. */
export function fixedCents(cents: bigint, fraction: Rational): bigint {
  return divideHalfEven(cents * fraction.num * SCALE, fraction.den);
}

/** Fixed-point cents as an exact Decimal number of cents (≤ 75 significant digits: exact in Exact). */
export function fixedToDecimal(fixed: bigint): Decimal {
  return new Exact(fixed.toString()).div(SCALE_DECIMAL);
}

/**
 * The exact rational of a number as its shortest decimal text reads (0.62 → 62/100).
 * @example rationalOf(0.1) // { num: 1n, den: 10n }
 */
export function rationalOf(value: number): Rational {
  const text = new Exact(value).toFixed();
  const negative = text.startsWith('-');
  const [whole, fraction = ''] = (negative ? text.slice(1) : text).split('.');
  const num = BigInt(whole! + fraction);
  return { num: negative ? -num : num, den: 10n ** BigInt(fraction.length) };
}
