/**
 * What every kind's pool test decides, the same way: its limit (`max` or `min` in the deal's
 * criteria), pass on the exact actual, headroom in the limit's unit, and its largest
 * contributors. A test without an actual (an empty pool, a zero denominator) fails and has no
 * headroom.
 */
import type { Decimal } from 'decimal.js';
import { Exact } from './exact.ts';

/** How many contributors a test reports. */
export const TOP_CONTRIBUTORS = 5;

/** The exact outcome of one test. */
export interface TestOutcome<Id extends string> {
  readonly id: Id;
  readonly limitType: 'max' | 'min';
  readonly limit: Decimal;
  /** null when there is no figure (an empty pool, a zero denominator). */
  readonly actual: Decimal | null;
  readonly headroom: Decimal | null;
  readonly pass: boolean;
  readonly top: ReadonlyArray<{ readonly key: string; readonly share: Decimal }>;
}

/** A test's limit as its criteria write it (`{ enabled, max }` or `{ enabled, min }`). */
export function limitOf(limits: { readonly max?: number; readonly min?: number }): { limitType: 'max' | 'min'; limit: Decimal } {
  return { limitType: limits.max !== undefined ? 'max' : 'min', limit: new Exact((limits.max ?? limits.min)!) };
}

/** Pass and headroom of an actual against its limit. */
export function judge(actual: Decimal | null, limitType: 'max' | 'min', limit: Decimal): { pass: boolean; headroom: Decimal | null } {
  if (actual === null) return { pass: false, headroom: null };
  return limitType === 'max' ? { pass: actual.lte(limit), headroom: limit.minus(actual) } : { pass: actual.gte(limit), headroom: actual.minus(limit) };
}
