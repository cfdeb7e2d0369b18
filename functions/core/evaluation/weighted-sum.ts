/**
 * An exact Σ weightᵢ × valueᵢ for integer weights (cents) and decimal values read from the tape:
 * each value is split into an integer mantissa and a decimal scale (its shortest round-trip text,
 * the same digits `new Decimal(value)` takes), and the products are summed as bigint per scale.
 * Why not a Decimal per loan: decimal.js construction and arithmetic dominated the evaluation's
 * profile; bigint products are several times faster, equally exact.
 * Faster still, equally exact: the mantissa is found without formatting the number (see
 * decimalParts), and products that are safe integers are summed as doubles (exact below 2^53),
 * spilled into the bigint before they could round.
 */
import type { Decimal } from 'decimal.js';
import { Exact, ZERO } from './exact.ts';

/** Mantissa and scale of a finite number's shortest decimal text: 1.25 -> [125n, 2], 1e-7 -> [1n, 7], 1.5e21 -> [15n * 10n ** 20n, 0]. */
export function decimalParts(value: number): [bigint, number] {
  const scale = fastScale(value);
  if (scale >= 0) return [BigInt(Math.round(value * POW10[scale]!)), scale];
  return textParts(value);
}

const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i); // exact doubles up to 1e22
/** Mantissas below this are found exactly by fastScale (|mantissa × (1 ± 2^-52)| stays within 0.5 of it). */
const FAST_MANTISSA = 2 ** 51;

/**
 * The scale of `value`'s shortest decimal text, found by arithmetic: the first s where
 * m = round(value × 10^s) gives back value as m / 10^s (both operations exact or correctly
 * rounded for s ≤ 22, |m| < 2^51). A smaller s that round-trips would be a shorter text than the
 * shortest, so the first hit is the shortest text's scale and m its digits. -1: not found that way
 * (more digits, or a magnitude far out of range): use the text.
 */
function fastScale(value: number): number {
  for (let s = 0; s < POW10.length; s++) {
    const p = POW10[s]!;
    const m = Math.round(value * p);
    if (Math.abs(m) >= FAST_MANTISSA) return -1;
    if (m / p === value) return s;
  }
  return -1;
}

function textParts(value: number): [bigint, number] {
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

/** Safe-integer partial sums are spilled into the bigint before they could leave ±2^53. */
const SPILL = 2 ** 52;

export class WeightedSum {
  /** scale -> Σ weight × mantissa of the values with that many decimals (bigint part) */
  readonly #byScale = new Map<number, bigint>();
  /** scale -> the part still summed as a double (a safe integer, exact) */
  readonly #small = new Float64Array(POW10.length);

  add(weight: bigint, value: number): void {
    this.addSafe(Number(weight), value, weight);
  }

  /**
   * add() for a weight that is a number: exact when it is a safe integer (cents always are);
   * `big`, when given, is the same weight as a bigint (used when the number is not exact).
   */
  addSafe(w: number, value: number, big?: bigint): void {
    const scale = fastScale(value);
    if (scale >= 0) {
      const mantissa = Math.round(value * POW10[scale]!);
      const product = w * mantissa;
      // Exact when |product| < 2^53 (then the double product is the integer product; larger true
      // products give doubles ≥ 2^52 as rounding is monotonic) and the weight was a safe integer.
      if (Math.abs(product) < SPILL && Math.abs(w) <= Number.MAX_SAFE_INTEGER) {
        if (!this.#byScale.has(scale)) this.#byScale.set(scale, 0n);
        const small = this.#small[scale]! + product;
        if (Math.abs(small) < SPILL) this.#small[scale] = small;
        else {
          this.#byScale.set(scale, this.#byScale.get(scale)! + BigInt(this.#small[scale]!) + BigInt(product));
          this.#small[scale] = 0;
        }
        return;
      }
      this.#byScale.set(scale, (this.#byScale.get(scale) ?? 0n) + (big ?? BigInt(w)) * BigInt(mantissa));
      return;
    }
    const [m, s] = textParts(value);
    this.#byScale.set(s, (this.#byScale.get(s) ?? 0n) + (big ?? BigInt(w)) * m);
  }

  merge(other: WeightedSum): void {
    for (const [scale, sum] of other.#totals()) this.#byScale.set(scale, (this.#byScale.get(scale) ?? 0n) + sum);
  }

  /** The exact sum. */
  value(): Decimal {
    let total = ZERO;
    for (const [scale, sum] of this.#totals()) total = total.plus(new Exact(sum.toString()).div(new Exact(10).pow(scale)));
    return total;
  }

  /** [scale, sum] pairs as text, for serialising. */
  toJSON(): Array<[number, string]> {
    return [...this.#totals()].map(([scale, sum]) => [scale, sum.toString()]);
  }

  /** scale -> exact sum (bigint and double parts together), in order of first use. */
  *#totals(): Generator<[number, bigint]> {
    for (const [scale, sum] of this.#byScale) yield [scale, scale < this.#small.length ? sum + BigInt(this.#small[scale]!) : sum];
  }

  static fromJSON(state: ReadonlyArray<readonly [number, string]>): WeightedSum {
    const sum = new WeightedSum();
    for (const [scale, text] of state) sum.#byScale.set(scale, BigInt(text));
    return sum;
  }
}
