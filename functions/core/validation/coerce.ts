/**
 * Turns one trimmed cell's text into the typed value the schema validates (DMBS-STANDARD
 * "Conventions"): ND codes, strict ISO dates, exact decimal text for money and ratios, booleans,
 * codes matched ignoring case (with a warning). Pure and allocation-light: it runs on every cell.
 * Money and decimals stay JSON numbers, limited to 15 significant digits so that the number's
 * shortest round-trip text is exactly the decimal the issuer wrote (no precision is lost).
 */
import { Decimal } from 'decimal.js';
import type { ColumnOptions, DatePattern } from '../mapping/column-mapping.ts';
import type { FieldSpec } from '../schema/loan-tape-schema.ts';
import { formatIsoDate, isCalendarDate, parseIsoDate } from './calendar.ts';

/** A cell that could not be coerced: a finding code and the rule in words ("is not a date; use YYYY-MM-DD"). */
export interface CoerceProblem {
  readonly code: 'TYPE' | 'FORMAT' | 'ENUM' | 'ND_NOT_ALLOWED';
  readonly rule: string;
}

/** Outcome of coercing one cell. */
export type Coerced =
  | { readonly kind: 'blank' }
  | { readonly kind: 'nd'; readonly code: string; readonly caseNormalised: boolean }
  | { readonly kind: 'value'; readonly value: string | number | boolean; readonly caseNormalised: boolean }
  | { readonly kind: 'problem'; readonly problem: CoerceProblem };

const ND_RE = /^nd([1-5])(-\d{4}-\d{2}-\d{2})?$/i;
const INTEGER_RE = /^[+-]?\d+$/;
const MAX_SIGNIFICANT_DIGITS = 15;
// A Map, not an object literal: a cell reading `__proto__` must not find Object.prototype.
const BOOLEANS: ReadonlyMap<string, boolean> = new Map([['true', true], ['false', false], ['yes', true], ['no', false], ['1', true], ['0', false]]);

/** Outcomes of {@link coerceInto}; the value or problem is left in the scratch object. */
export const Outcome = { Blank: 0, Value: 1, ValueCaseNormalised: 2, NoData: 3, NoDataCaseNormalised: 4, Problem: 5 } as const;
export type Outcome = (typeof Outcome)[keyof typeof Outcome];

/** Where {@link coerceInto} leaves its result; one per validator, reused for every cell (no per-cell allocation). */
export interface CoerceScratch {
  value: string | number | boolean;
  ndCode: string;
  problem: CoerceProblem | undefined;
}

/** A fresh scratch object. */
export function coerceScratch(): CoerceScratch {
  return { value: '', ndCode: '', problem: undefined };
}

function fail(out: CoerceScratch, code: CoerceProblem['code'], rule: string): Outcome {
  out.problem = { code, rule };
  return Outcome.Problem;
}

function ok(out: CoerceScratch, v: string | number | boolean, caseNormalised = false): Outcome {
  out.value = v;
  return caseNormalised ? Outcome.ValueCaseNormalised : Outcome.Value;
}

/** Significant digits of plain decimal text (sign and dot excluded, leading zeros not counted). */
export function significantDigits(text: string): number {
  let count = 0;
  let leading = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) continue;
    if (leading && c === 48) continue;
    leading = false;
    count++;
  }
  return count;
}

/**
 * One pass over decimal text `[+-]?(digits[.digits]|.digits)` with `sep` as the decimal mark:
 * -1 when malformed, else significant digits * 64 + decimals (both small).
 */
function scanDecimal(text: string, sep: number): number {
  let i = 0;
  const n = text.length;
  const first = text.charCodeAt(0);
  if (first === 43 || first === 45) i = 1;
  let digits = 0;
  let significant = 0;
  let decimals = -1;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      digits++;
      if (significant > 0 || c !== 48) significant++;
      if (decimals >= 0) decimals++;
    } else if (c === sep && decimals < 0) decimals = 0;
    else return -1;
  }
  if (digits === 0) return -1;
  return significant * 64 + (decimals < 0 ? 0 : decimals);
}

function toNumber(text: string): number {
  const n = Number(text);
  return n === 0 ? 0 : n; // -0 is read as 0
}

function coerceDecimal(spec: FieldSpec, raw: string, options: ColumnOptions, out: CoerceScratch): Outcome {
  const scan = scanDecimal(raw, options.decimalComma ? 44 : 46);
  if (scan < 0) {
    const example = spec.kind === 'money' ? '1250000.00' : spec.kind === 'fraction' ? '0.0525' : '1.35';
    return fail(out, 'TYPE', `is not a decimal number; write plain decimal text such as ${example} (no thousands separators, currency signs or exponents)`);
  }
  if (scan >> 6 > MAX_SIGNIFICANT_DIGITS) return fail(out, 'FORMAT', `has more than ${MAX_SIGNIFICANT_DIGITS} significant digits; round it`);
  if (spec.kind === 'money' && (scan & 63) > 2) return fail(out, 'FORMAT', 'has more than 2 decimals; money is written with at most 2 (cents)');
  const text = options.decimalComma ? raw.replace(',', '.') : raw;
  if (options.percent) return ok(out, new Decimal(text).div(100).toNumber());
  return ok(out, toNumber(text));
}

function coerceDate(raw: string, pattern: DatePattern | undefined, out: CoerceScratch): Outcome {
  if (!pattern) return parseIsoDate(raw) ? ok(out, raw) : fail(out, 'FORMAT', 'is not a date; use YYYY-MM-DD');
  const m = pattern.regex.exec(raw);
  if (m) {
    const parts: Record<'Y' | 'M' | 'D', number> = { Y: 0, M: 0, D: 0 };
    pattern.order.forEach((part, i) => (parts[part] = Number(m[i + 1])));
    if (isCalendarDate(parts.Y, parts.M, parts.D)) return ok(out, formatIsoDate(parts.Y, parts.M, parts.D));
  }
  return fail(out, 'FORMAT', `is not a date in the declared pattern ${pattern.pattern}`);
}

function coerceCode(spec: FieldSpec, raw: string, options: ColumnOptions, out: CoerceScratch): Outcome {
  let text = raw;
  const mapped = options.values?.get(raw.toUpperCase());
  if (mapped !== undefined) text = mapped;
  const allowed = spec.enumValues;
  if (allowed) {
    if (allowed.includes(text)) return ok(out, text);
    const upper = text.toUpperCase();
    if (allowed.includes(upper)) return ok(out, upper, true);
    return fail(out, 'ENUM', `is not one of ${allowed.join(', ')}`);
  }
  const upper = text.toUpperCase();
  return ok(out, upper, upper !== text);
}

/**
 * Coerces one trimmed cell for `spec` into `out` and says what it found. The hot-path form of
 * {@link coerceCell}: no allocation unless the cell has a problem.
 */
export function coerceInto(spec: FieldSpec, text: string, options: ColumnOptions, out: CoerceScratch): Outcome {
  if (text === '') return Outcome.Blank;
  const c0 = text.charCodeAt(0);
  if ((c0 === 78 || c0 === 110) && text.length >= 3) {
    const nd = ND_RE.exec(text);
    if (nd) {
      if (nd[2] !== undefined && nd[1] !== '4') return fail(out, 'FORMAT', 'only ND4 carries a date (ND4-YYYY-MM-DD)');
      if (!spec.ndAllowed) return fail(out, 'ND_NOT_ALLOWED', `is a no-data code, not allowed on required field ${spec.name}; supply the value`);
      out.ndCode = `ND${nd[1]}`;
      return text[0] === 'n' || text[1] === 'd' ? Outcome.NoDataCaseNormalised : Outcome.NoData;
    }
  }
  switch (spec.kind) {
    case 'string':
      return ok(out, text);
    case 'code':
      return coerceCode(spec, text, options, out);
    case 'date':
      return coerceDate(text, options.datePattern, out);
    case 'money':
    case 'decimal':
    case 'fraction':
      return coerceDecimal(spec, text, options, out);
    case 'integer': {
      if (!INTEGER_RE.test(text)) return fail(out, 'TYPE', 'is not a whole number');
      const n = toNumber(text);
      return Number.isSafeInteger(n) ? ok(out, n) : fail(out, 'TYPE', 'is too large for a whole number');
    }
    case 'boolean': {
      const b = BOOLEANS.get(text.toLowerCase());
      return b === undefined ? fail(out, 'TYPE', 'is not a boolean; use true/false, yes/no or 1/0') : ok(out, b);
    }
  }
}

/**
 * Coerces one trimmed cell for `spec`.
 * @example coerceCell(fieldSpec('currentBalance'), '1250000.50', PLAIN) // { kind: 'value', value: 1250000.5, caseNormalised: false }
 */
export function coerceCell(spec: FieldSpec, text: string, options: ColumnOptions): Coerced {
  const out = coerceScratch();
  switch (coerceInto(spec, text, options, out)) {
    case Outcome.Blank: return { kind: 'blank' };
    case Outcome.Value: return { kind: 'value', value: out.value, caseNormalised: false };
    case Outcome.ValueCaseNormalised: return { kind: 'value', value: out.value, caseNormalised: true };
    case Outcome.NoData: return { kind: 'nd', code: out.ndCode, caseNormalised: false };
    case Outcome.NoDataCaseNormalised: return { kind: 'nd', code: out.ndCode, caseNormalised: true };
    default: return { kind: 'problem', problem: out.problem! };
  }
}
