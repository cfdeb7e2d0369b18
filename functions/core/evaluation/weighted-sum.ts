/**
 * An exact Σ weightᵢ × valueᵢ for integer weights (cents) and decimal values read from the tape:
 * each value is split into an integer mantissa and a decimal scale (its shortest round-trip text,
 * the same digits `new Decimal(value)` takes), and the products are summed as bigint per scale.
 * Why not a Decimal per loan: in a CPU profile of bench/evaluation.ts (100k loans) decimal.js
 * construction and arithmetic were ~35 % of the stage; bigint products are ~5× faster, equally exact.
 */
import type { Decimal } from 'decimal.js';
import { Exact, ZERO } from './exact.ts';

/** Mantissa and scale of a finite number's shortest decimal text: 1.25 -> [125n, 2], 1e-7 -> [1n, 7], 1.5e21 -> [15n * 10n ** 20n, 0]. */
export function decimalParts(value: number): [bigint, number] {
  if (Number.isInteger(value) && Math.abs(value) <= Number.MAX_SAFE_INTEGER) return [BigInt(value), 0];
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  const text = String(value);
  const e = text.indexOf('e');
  const digits = e < 0 ? text : text.slice(0, e);
  const exponent = e < 0 ? 0 : Number(text.slice(e + 1));
  const dot = digits.indexOf('.');
  const fraction = dot < 0 ? 0 : digits.length - dot - 1;
  const mantissa = BigInt(dot < 0 ? digits : digits.slice(0, dot) + digits.slice(dot + 1));
  const scale = fraction - exponent;
  return scale >= 0 ? [mantissa, scale] : [mantissa * 10n ** BigInt(-scale), 0];
}

export class WeightedSum {
  /** scale -> Σ weight × mantissa of the values with that many decimals */
  readonly #byScale = new Map<number, bigint>();

  add(weight: bigint, value: number): void {
    const [mantissa, scale] = decimalParts(value);
    this.#byScale.set(scale, (this.#byScale.get(scale) ?? 0n) + weight * mantissa);
  }

  merge(other: WeightedSum): void {
    for (const [scale, sum] of other.#byScale) this.#byScale.set(scale, (this.#byScale.get(scale) ?? 0n) + sum);
  }

  /** The exact sum. */
  value(): Decimal {
    let total = ZERO;
    for (const [scale, sum] of this.#byScale) total = total.plus(new Exact(sum.toString()).div(new Exact(10).pow(scale)));
    return total;
  }

  /** [scale, sum] pairs as text, for serialising. */
  toJSON(): Array<[number, string]> {
    return [...this.#byScale].map(([scale, sum]) => [scale, sum.toString()]);
  }

  static fromJSON(state: ReadonlyArray<readonly [number, string]>): WeightedSum {
    const sum = new WeightedSum();
    for (const [scale, text] of state) sum.#byScale.set(scale, BigInt(text));
    return sum;
  }
}
