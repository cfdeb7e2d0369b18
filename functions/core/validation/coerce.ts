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

const BLANK: Coerced = { kind: 'blank' };
const ND_RE = /^nd([1-5])(-\d{4}-\d{2}-\d{2})?$/i;
const DECIMAL_RE = /^[+-]?(\d+\.?\d*|\.\d+)$/;
const INTEGER_RE = /^[+-]?\d+$/;
const MAX_SIGNIFICANT_DIGITS = 15;
// A Map, not an object literal: a cell reading `__proto__` must not find Object.prototype.
const BOOLEANS: ReadonlyMap<string, boolean> = new Map([['true', true], ['false', false], ['yes', true], ['no', false], ['1', true], ['0', false]]);

function problem(code: CoerceProblem['code'], rule: string): Coerced {
  return { kind: 'problem', problem: { code, rule } };
}

function value(v: string | number | boolean, caseNormalised = false): Coerced {
  return { kind: 'value', value: v, caseNormalised };
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

function decimalsOf(text: string): number {
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}

function toNumber(text: string): number {
  const n = Number(text);
  return n === 0 ? 0 : n; // -0 is read as 0
}

function coerceDecimal(spec: FieldSpec, raw: string, options: ColumnOptions): Coerced {
  const text = options.decimalComma ? raw.replace(',', '.') : raw;
  if (!DECIMAL_RE.test(text)) {
    const example = spec.kind === 'money' ? '1250000.00' : spec.kind === 'fraction' ? '0.0525' : '1.35';
    return problem('TYPE', `is not a decimal number; write plain decimal text such as ${example} (no thousands separators, currency signs or exponents)`);
  }
  if (significantDigits(text) > MAX_SIGNIFICANT_DIGITS) {
    return problem('FORMAT', `has more than ${MAX_SIGNIFICANT_DIGITS} significant digits; round it`);
  }
  if (spec.kind === 'money' && decimalsOf(text) > 2) {
    return problem('FORMAT', 'has more than 2 decimals; money is written with at most 2 (cents)');
  }
  if (options.percent) return value(new Decimal(text).div(100).toNumber());
  return value(toNumber(text));
}

function coerceDate(raw: string, pattern: DatePattern | undefined): Coerced {
  if (!pattern) {
    return parseIsoDate(raw) ? value(raw) : problem('FORMAT', 'is not a date; use YYYY-MM-DD');
  }
  const m = pattern.regex.exec(raw);
  if (m) {
    const parts: Record<'Y' | 'M' | 'D', number> = { Y: 0, M: 0, D: 0 };
    pattern.order.forEach((part, i) => (parts[part] = Number(m[i + 1])));
    if (isCalendarDate(parts.Y, parts.M, parts.D)) return value(formatIsoDate(parts.Y, parts.M, parts.D));
  }
  return problem('FORMAT', `is not a date in the declared pattern ${pattern.pattern}`);
}

function coerceCode(spec: FieldSpec, raw: string, options: ColumnOptions): Coerced {
  let text = raw;
  const mapped = options.values?.get(raw.toUpperCase());
  if (mapped !== undefined) text = mapped;
  const allowed = spec.enumValues;
  if (allowed) {
    if (allowed.includes(text)) return value(text);
    const upper = text.toUpperCase();
    if (allowed.includes(upper)) return value(upper, true);
    return problem('ENUM', `is not one of ${allowed.join(', ')}`);
  }
  const upper = text.toUpperCase();
  return value(upper, upper !== text);
}

/**
 * Coerces one trimmed cell for `spec`.
 * @example coerceCell(fieldSpec('currentBalance'), '1250000.50', PLAIN) // { kind: 'value', value: 1250000.5 }
 */
export function coerceCell(spec: FieldSpec, text: string, options: ColumnOptions): Coerced {
  if (text === '') return BLANK;
  const c0 = text.charCodeAt(0);
  if ((c0 === 78 || c0 === 110) && text.length >= 3) {
    const nd = ND_RE.exec(text);
    if (nd) {
      const code = `ND${nd[1]}`;
      if (nd[2] !== undefined && nd[1] !== '4') return problem('FORMAT', 'only ND4 carries a date (ND4-YYYY-MM-DD)');
      if (!spec.ndAllowed) return problem('ND_NOT_ALLOWED', `is a no-data code, not allowed on required field ${spec.name}; supply the value`);
      return { kind: 'nd', code, caseNormalised: text[0] === 'n' || text[1] === 'd' };
    }
  }
  switch (spec.kind) {
    case 'string':
      return value(text);
    case 'code':
      return coerceCode(spec, text, options);
    case 'date':
      return coerceDate(text, options.datePattern);
    case 'money':
    case 'decimal':
    case 'fraction':
      return coerceDecimal(spec, text, options);
    case 'integer': {
      if (!INTEGER_RE.test(text)) return problem('TYPE', 'is not a whole number');
      const n = toNumber(text);
      return Number.isSafeInteger(n) ? value(n) : problem('TYPE', 'is too large for a whole number');
    }
    case 'boolean': {
      const b = BOOLEANS.get(text.toLowerCase());
      return b === undefined ? problem('TYPE', 'is not a boolean; use true/false, yes/no or 1/0') : value(b);
    }
  }
}
