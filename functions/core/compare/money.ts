/**
 * Money as integer cents for comparing tapes: the canonical loans hold currentBalance as a number
 * (at most 2 decimals, so its shortest text is the issuer's decimal) or, in old artifacts, text.
 */
import { Decimal } from 'decimal.js';

/** Cents of a balance; same rounding as the evaluation (functions/core/evaluation/exact.ts). Anything else (an ND code) counts as 0. */
export function toCents(amount: unknown): bigint {
  if (typeof amount === 'number' && Number.isFinite(amount)) return BigInt(Math.round(amount * 100));
  if (typeof amount === 'string' && /^-?\d+(\.\d{1,2})?$/.test(amount)) return BigInt(new Decimal(amount).times(100).toFixed(0));
  return 0n;
}

/** Cents as decimal text with 2 places: -123456n -> '-1234.56'. */
export function money(cents: bigint): string {
  const sign = cents < 0n ? '-' : '';
  const a = cents < 0n ? -cents : cents;
  return `${sign}${a / 100n}.${String(a % 100n).padStart(2, '0')}`;
}
