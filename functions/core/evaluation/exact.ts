/**
 * Exact arithmetic for evaluation: balances as integer cents (bigint), everything else as Decimal
 * with 200 significant digits, so sums of products of tape values are exact and merge in any order.
 * Rounding happens only here, when a figure is written (the DMBS standard, "Definitions pinned").
 */
import { Decimal } from 'decimal.js';

/**
 * Decimal with room for exact sums: a product of two tape values has at most ~40 significant
 * digits and a sum over millions of loans adds fewer than 10, so 200 never rounds a sum; quotients
 * are rounded at 200 digits, far below the 6 decimals written (no double-rounding error).
 */
export const Exact = Decimal.clone({ precision: 200, rounding: Decimal.ROUND_HALF_EVEN, toExpNeg: -1000, toExpPos: 1000 });

export const ZERO = new Exact(0);

/** Integer cents of a money value (≤ 2 decimals, ≤ 15 significant digits: exact). */
export function toCents(amount: number): bigint {
  return BigInt(Math.round(amount * 100));
}

/** Cents as an exact Decimal amount of cents. */
export function centsDecimal(cents: bigint): Decimal {
  return new Exact(cents.toString());
}

/** Money text with 2 decimals: 123456789n -> "1234567.89". */
export function formatMoney(cents: bigint): string {
  const negative = cents < 0n;
  const abs = negative ? -cents : cents;
  const text = `${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
  return negative ? `-${text}` : text;
}

/** A figure rounded half-even to 6 decimals ("0.183204"); never "-0.000000". */
export function formatFigure(value: Decimal): string {
  const text = value.toFixed(6, Decimal.ROUND_HALF_EVEN);
  return text.startsWith('-') && /^-0\.0+$/.test(text) ? text.slice(1) : text;
}

/** `formatFigure`, or null. */
export function formatFigureOrNull(value: Decimal | null): string | null {
  return value === null ? null : formatFigure(value);
}

/**
 * A value for a human reason: at least 2 decimals, at most 6 (half-even): 1.2 -> "1.20", 0.8123456789 -> "0.812346".
 * @example formatForReason(1.15) // "1.15"
 */
export function formatForReason(value: number | Decimal): string {
  if (typeof value === 'number' && value !== 0 && Number.isFinite(value)) {
    // Fast path (reasons are written for every failing loan): a number's Decimal is its shortest
    // text, so with 2 to 6 decimals the text is the answer; with fewer, zeros are added.
    const text = String(value);
    if (text.indexOf('e') < 0) {
      const dot = text.indexOf('.');
      const places = dot < 0 ? 0 : text.length - dot - 1;
      if (places >= 2 && places <= 6) return text;
      if (places < 2) return dot < 0 ? `${text}.00` : `${text}0`;
    }
  }
  const d = new Exact(value);
  const places = Math.min(Math.max(d.decimalPlaces(), 2), 6);
  return d.toFixed(places, Decimal.ROUND_HALF_EVEN);
}
