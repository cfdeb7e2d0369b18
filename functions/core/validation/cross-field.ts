/**
 * The cross-field rules of one row, evaluated from a schema's `x-cross-field-rules` (the DMBS
 * standard "Cross-field rules"): each rule with a `check` is one comparison of the row's values,
 * its message a template over them. Applied only to values that passed coercion and the schema.
 * A rule without a check is enforced elsewhere (`enforcedBy`: the schema's if/then, or the
 * cross-row rules). Ratio checks are warnings (RECOMPUTE_MISMATCH); the rest are errors (CROSS_FIELD).
 */
import { Decimal } from 'decimal.js';
import { finding, type Finding } from './findings.ts';

/** One comparison: `field relation other`, or `field` within `tolerance` of `numerator / denominator`. */
export type CrossFieldCheck =
  | { readonly field: string; readonly relation: '>' | '<=' | 'regionOf'; readonly other: string; readonly format?: 'money'; readonly when?: CrossFieldCondition }
  | { readonly field: string; readonly relation: 'ratioWithin'; readonly numerator: string; readonly denominator: string; readonly tolerance: number };

/** The rule applies only to rows whose `field` holds `equals` (e.g. energised is true). */
export interface CrossFieldCondition {
  readonly field: string;
  readonly equals: string | number | boolean;
}

/** A cross-field rule as the schema declares it (`x-cross-field-rules`). */
export interface CrossFieldRule {
  readonly id: string;
  readonly fields: readonly string[];
  readonly severity: 'error' | 'warning';
  readonly description: string;
  readonly check?: CrossFieldCheck;
  /** `{name}`: the value of field `name` (in the check's format); `{ratio}`: a ratio check's recomputed value. */
  readonly message?: string;
  readonly enforcedBy?: 'schema' | 'cross-row';
}

/** The row's cross-field rules: pushes findings, returns the fields that hold an error. `columnOf` names a field's header. */
export type CrossFieldCheckFn = (values: Record<string, unknown>, row: number, out: Finding[], columnOf: (field: string) => string | undefined) => string[];

/**
 * True when `reported` is within `tolerance` (relative) of `numerator / denominator`. Decided in
 * floating point, and again in exact decimal when the float answer is within 1e-9 of the boundary.
 */
export function withinTolerance(reported: number, numerator: number, denominator: number, tolerance: number): boolean {
  if (denominator === 0) return true; // nothing to recompute against; schema ranges already apply
  const recomputed = numerator / denominator;
  const slack = tolerance * Math.abs(recomputed) - Math.abs(reported - recomputed);
  if (Math.abs(slack) > 1e-9 * Math.max(1, Math.abs(recomputed))) return slack >= 0;
  const exact = new Decimal(numerator).div(denominator);
  return new Decimal(reported).minus(exact).abs().lte(exact.abs().times(tolerance));
}

/** region starts with `${country}-` (without building that string for every row). */
function isRegionOf(region: string, country: string): boolean {
  return region.length > country.length && region.charCodeAt(country.length) === 45 && region.startsWith(country);
}

/** Money as written on a tape (2 decimals; exact for the ≤ 15-digit values coercion admits). */
const money = (x: number) => x.toFixed(2);

function ratio(n: number, d: number): string {
  return new Decimal(n).div(d).toDecimalPlaces(4).toString();
}

/** No field in error (shared; never mutated). */
const NONE: string[] = [];

/** A rule compiled: pushes its finding when the row breaks it; true when that is an error. */
type Compiled = (values: Record<string, unknown>, row: number, out: Finding[], columnOf: (field: string) => string | undefined) => boolean;

/** Fills a message template: `{name}` from `fill(name)`. */
function template(message: string, fill: (name: string) => string): string {
  return message.replace(/\{([A-Za-z0-9]+)\}/g, (_, name: string) => fill(name));
}

function compile(rule: CrossFieldRule): Compiled {
  const check = rule.check!;
  const message = rule.message ?? rule.description;
  const { field } = check;
  if (check.relation === 'ratioWithin') {
    const { numerator, denominator, tolerance } = check;
    return (v, row, out, columnOf) => {
      const reported = v[field] as number | undefined, n = v[numerator] as number | undefined, d = v[denominator] as number | undefined;
      if (reported === undefined || n === undefined || d === undefined || withinTolerance(reported, n, d, tolerance)) return false;
      const text = template(message, (name) => (name === 'ratio' ? ratio(n, d) : String(v[name])));
      out.push(finding('RECOMPUTE_MISMATCH', row, field, String(reported), text, columnOf(field), rule.severity));
      return rule.severity === 'error';
    };
  }
  const { other, relation } = check;
  const show = check.format === 'money' ? (x: unknown) => money(x as number) : (x: unknown) => String(x);
  const holds = relation === '>' ? (a: number | string, b: number | string) => a > b
    : relation === '<=' ? (a: number | string, b: number | string) => !(a > b)
    : (a: number | string, b: number | string) => isRegionOf(a as string, b as string);
  const when = check.when;
  return (v, row, out, columnOf) => {
    if (when !== undefined && v[when.field] !== when.equals) return false;
    const a = v[field] as number | string | undefined, b = v[other] as number | string | undefined;
    if (a === undefined || b === undefined || holds(a, b)) return false;
    out.push(finding('CROSS_FIELD', row, field, show(a), template(message, (name) => show(v[name])), columnOf(field), rule.severity));
    return rule.severity === 'error';
  };
}

/** The row-level check of a schema's cross-field rules (those with a `check`), in the schema's order. */
export function compileCrossFieldRules(rules: readonly CrossFieldRule[]): CrossFieldCheckFn {
  const compiled = rules.filter((r) => r.check !== undefined).map((r) => ({ field: r.check!.field, run: compile(r) }));
  return (values, row, out, columnOf) => {
    let bad: string[] = NONE;
    for (const c of compiled) {
      if (!c.run(values, row, out, columnOf)) continue;
      if (bad === NONE) bad = [];
      bad.push(c.field);
    }
    return bad;
  };
}
