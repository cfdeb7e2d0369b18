/**
 * The published residual-value curve of compute equipment (schemas/compute-residual-curve.json): the
 * share of a lot's cost left after whole months in service, linear between points, flat after the
 * last; a model's curve replaces the default. Exact: the share is read as a quotient, never rounded.
 */
import type { Decimal } from 'decimal.js';
import curveSchemaDefaults from '../../../../schemas/compute-residual-curve.json' with { type: 'json' };
import { ConfigError } from '../../errors.ts';
import { Exact } from '../../evaluation/exact.ts';
import validateResidualCurve from '../../generated/validators/compute-residual-curve.ts';
import { checkedDocument, deepFreeze, deepMerge } from '../../schema/config-document.ts';
import { rationalOf, type Rational } from './fixed-point.ts';

/** A curve as published: [months, share] points, months strictly increasing from 0. */
export type CurvePoints = ReadonlyArray<readonly [number, number]>;

/** A curve's value at a point, as numerator / denominator (both exact), so callers divide once. */
export interface CurveValue {
  readonly numerator: Decimal;
  readonly denominator: number;
}

/** The loaded curves: the default and those by model. */
export interface ResidualCurve {
  readonly version: string;
  readonly default: CurvePoints;
  readonly byModel: Readonly<Record<string, CurvePoints>>;
}

/**
 * The value of piecewise-linear points at `x`: y₀ before the first point, linear between points,
 * the last y after the last; as a quotient (y_i·span + Δy·(x − x_i)) / span, exact.
 * @example linearAt([[0, 1], [12, 0.62]], 2) // { numerator: 11.24, denominator: 12 } (= 281/300)
 */
export function linearAt(points: ReadonlyArray<readonly [number, number]>, x: Decimal | number): CurveValue {
  const at = new Exact(x);
  const first = points[0]!;
  if (at.lte(first[0])) return { numerator: new Exact(first[1]), denominator: 1 };
  for (let i = 1; i < points.length; i++) {
    const [x1, y1] = points[i]!;
    if (at.lte(x1)) {
      const [x0, y0] = points[i - 1]!;
      const span = x1 - x0;
      return { numerator: new Exact(y0).times(span).plus(new Exact(y1).minus(y0).times(at.minus(x0))), denominator: span };
    }
  }
  return { numerator: new Exact(points[points.length - 1]![1]), denominator: 1 };
}

/** The curve of a model: its own, else the default. */
export function curveOf(curve: ResidualCurve, gpuModel: string): CurvePoints {
  return curve.byModel[gpuModel] ?? curve.default;
}

/** Shares by curve, model and age: a tape has few distinct pairs. */
const SHARES = new WeakMap<ResidualCurve, Map<string, Rational>>();

/**
 * The share of cost left at `ageMonths` (whole months) for a model, as an exact rational:
 * (y₀·span + (y₁ − y₀)·(age − x₀)) / span between the points around the age, y of the last after it.
 */
export function residualShareRational(curve: ResidualCurve, gpuModel: string, ageMonths: number): Rational {
  let shares = SHARES.get(curve);
  if (!shares) SHARES.set(curve, (shares = new Map()));
  const key = `${gpuModel}|${ageMonths}`;
  let share = shares.get(key);
  if (share === undefined) {
    share = shareAt(curveOf(curve, gpuModel), ageMonths);
    if (shares.size < 100_000) shares.set(key, share);
  }
  return share;
}

function shareAt(points: CurvePoints, age: number): Rational {
  const i = points.findIndex(([x]) => x >= age);
  if (i === 0) return rationalOf(points[0]![1]);
  if (i < 0) return rationalOf(points[points.length - 1]![1]);
  const [x0, y0] = points[i - 1]!;
  const [x1, y1] = points[i]!;
  const a = rationalOf(y0);
  const b = rationalOf(y1);
  const den = a.den > b.den ? a.den : b.den; // powers of 10: the larger is a multiple of the other
  const lo = a.num * (den / a.den);
  const hi = b.num * (den / b.den);
  const span = BigInt(x1 - x0);
  return { num: lo * span + (hi - lo) * BigInt(age - x0), den: den * span };
}

/** The share of cost left at `ageMonths` (whole months) for a model, as a Decimal (exact to 200 digits). */
export function residualShare(curve: ResidualCurve, gpuModel: string, ageMonths: number): Decimal {
  const share = residualShareRational(curve, gpuModel, ageMonths);
  return new Exact(share.num.toString()).div(share.den.toString());
}

let defaults: ResidualCurve | undefined;

/**
 * The deal's residual curves: `doc` (a parsed curve document; absent = the published curve) merged
 * over the published one (byModel key by key; the default curve replaced as a whole).
 * @throws ConfigError `RESIDUAL_CURVE_INVALID` naming the path of every bad value, or the curve whose months do not start at 0 and increase.
 */
export function loadResidualCurve(doc?: unknown, source = 'residual curve'): ResidualCurve {
  defaults ??= checkedCurve(curveSchemaDefaults, 'schemas/compute-residual-curve.json');
  if (doc === undefined) return defaults;
  checkedDocument(validateResidualCurve, doc, source, 'RESIDUAL_CURVE_INVALID');
  return checkedCurve(deepMerge(defaults, doc), source);
}

function checkedCurve(doc: unknown, source: string): ResidualCurve {
  const curve = checkedDocument<ResidualCurve>(validateResidualCurve, doc, source, 'RESIDUAL_CURVE_INVALID');
  const problems: string[] = [];
  const named: Array<[string, CurvePoints]> = [['/default', curve.default], ...Object.entries(curve.byModel ?? {}).map(([m, c]): [string, CurvePoints] => [`/byModel/${m}`, c])];
  for (const [path, points] of named) {
    if (points === undefined) problems.push(`${path}: is missing`);
    else if (points[0]![0] !== 0) problems.push(`${path}/0/0: the first point must be at 0 months`);
    else {
      const bad = points.findIndex((p, i) => i > 0 && p[0] <= points[i - 1]![0]);
      if (bad > 0) problems.push(`${path}/${bad}/0: months must increase (${points[bad]![0]} after ${points[bad - 1]![0]})`);
    }
  }
  if (problems.length) throw new ConfigError('RESIDUAL_CURVE_INVALID', `${source}: ${problems.join('; ')}`);
  return deepFreeze({ version: (curve as { version?: string }).version ?? 'dmbs-compute-residual/1', default: curve.default, byModel: curve.byModel ?? {} });
}
