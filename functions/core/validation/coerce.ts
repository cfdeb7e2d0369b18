/**
 * Turns one trimmed cell's text into the typed value the schema validates (the DMBS standard
 * "Conventions"): ND codes, strict ISO dates, exact decimal text for money and ratios, booleans,
 * codes matched ignoring case (with a warning). Pure and allocation-light: it runs on every cell.
 * Money and decimals stay JSON numbers, limited to 15 significant digits so that the number's
 * shortest round-trip text is exactly the decimal the issuer wrote (no precision is lost).
 */
import { Decimal } from 'decimal.js';
import { PLAIN, type ColumnOptions, type DatePattern } from '../mapping/column-mapping.ts';
import type { FieldSpec } from '../schema/field-specs.ts';
import { detached } from '../readers/text-decoding.ts';
import { daysInMonth, formatIsoDate, isCalendarDate, parseIsoDate } from './calendar.ts';

/**
 * A cell that could not be coerced: a finding code and the rule in words ("is not a date; use
 * YYYY-MM-DD"); or, with Outcome.ValueRounded, the PRECISION warning of a number read rounded.
 */
export interface CoerceProblem {
  readonly code: 'TYPE' | 'FORMAT' | 'ENUM' | 'ND_NOT_ALLOWED' | 'PRECISION';
  readonly rule: string;
}

/** Outcome of coercing one cell. */
export type Coerced =
  | { readonly kind: 'blank' }
  | { readonly kind: 'nd'; readonly code: string; readonly caseNormalised: boolean }
  | { readonly kind: 'value'; readonly value: string | number | boolean; readonly caseNormalised: boolean; readonly rounded?: CoerceProblem }
  | { readonly kind: 'problem'; readonly problem: CoerceProblem };

const ND_RE = /^nd([1-5])(-\d{4}-\d{2}-\d{2})?$/i;
const MAX_SIGNIFICANT_DIGITS = 15;
// A Map, not an object literal: a cell reading `__proto__` must not find Object.prototype.
const BOOLEANS: ReadonlyMap<string, boolean> = new Map([['true', true], ['false', false], ['yes', true], ['no', false], ['1', true], ['0', false]]);

/**
 * Outcomes of {@link coerceInto}; the value or problem is left in the scratch object. ValueRounded:
 * a number read rounded (more than 15 significant digits, or money with more than 2 decimals), the
 * value in `value` and the PRECISION warning in `problem`.
 */
export const Outcome = { Blank: 0, Value: 1, ValueCaseNormalised: 2, NoData: 3, NoDataCaseNormalised: 4, Problem: 5, ValueRounded: 6 } as const;
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

/** Exact doubles 10^0 .. 10^22: a mantissa below 2^53 divided by one of them is correctly rounded. */
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

/** Where {@link scanDecimal} leaves what it read. */
const scanned = { significant: 0, decimals: 0, value: 0 };

/**
 * One pass over decimal text `[+-]?(digits[.digits]|.digits)` with `sep` as the decimal mark: false
 * when malformed, else `scanned` holds the significant digits, the decimals and the value. The value
 * is exactly `Number(text)` (with `.` as the mark): digits ≤ 15 make an exact integer mantissa and
 * mantissa / 10^decimals is correctly rounded (IEEE division of exact operands), as Number() rounds
 * the decimal; otherwise Number() itself is used. About 5× faster than Number() on the hot path.
 */
function scanDecimal(text: string, sep: number): boolean {
  return scanSpan(text, 0, text.length, sep);
}

/** {@link scanDecimal} over `text[start, end)`. */
function scanSpan(text: string, start: number, n: number, sep: number): boolean {
  let i = start;
  const first = text.charCodeAt(start);
  const negative = first === 45;
  if (first === 43 || first === 45) i = start + 1;
  let digits = 0;
  let significant = 0;
  let decimals = -1;
  let mantissa = 0;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      digits++;
      if (significant > 0 || c !== 48) significant++;
      if (decimals >= 0) decimals++;
      mantissa = mantissa * 10 + (c - 48);
    } else if (c === sep && decimals < 0) decimals = 0;
    else return false;
  }
  if (digits === 0) return false;
  if (decimals < 0) decimals = 0;
  scanned.significant = significant;
  scanned.decimals = decimals;
  let value: number;
  if (significant <= MAX_SIGNIFICANT_DIGITS && decimals < POW10.length) value = decimals === 0 ? mantissa : mantissa / POW10[decimals]!;
  else {
    const raw = start === 0 && n === text.length ? text : text.slice(start, n);
    value = Number(sep === 46 ? raw : raw.replace(String.fromCharCode(sep), '.'));
  }
  scanned.value = value === 0 ? 0 : negative ? -value : value; // -0 is read as 0
  return true;
}

function toNumber(text: string): number {
  const n = Number(text);
  return n === 0 ? 0 : n; // -0 is read as 0
}

function coerceDecimal(spec: FieldSpec, raw: string, options: ColumnOptions, out: CoerceScratch): Outcome {
  if (!scanDecimal(raw, options.decimalComma ? 44 : 46)) return fail(out, 'TYPE', notDecimal(spec, raw));
  const money = spec.kind === 'money';
  if (scanned.significant <= MAX_SIGNIFICANT_DIGITS && !(money && scanned.decimals > 2) && !options.percent) {
    // Nonzero digits read as 0: only past 22 decimals (Number() read them), below a double's smallest.
    return scanned.value === 0 && scanned.significant > 0 ? fail(out, 'TYPE', UNDERFLOW) : ok(out, scanned.value);
  }
  return coerceRounded(money, new Decimal(options.decimalComma ? raw.replace(',', '.') : raw), options.percent, out);
}

const UNDERFLOW = 'is too close to 0 to be held as a number (it would read as 0); write 0 or fewer decimals';
const OVERFLOW = 'is too large to be held as a number; check the value';

/**
 * Issuers' tools write numbers with more digits than the standard keeps (pandas, computed cells:
 * `0.7999999999999999`): read half-even rounded to 15 significant digits, money to cents first,
 * with a PRECISION warning when the rounding changed the value (`1.50000000000000000` loses nothing
 * and is read without one). The rounded decimal has ≤ 15 significant digits, so the number's
 * shortest text is exactly it, as for any other value.
 */
function coerceRounded(money: boolean, exact: Decimal, percent: boolean, out: CoerceScratch): Outcome {
  let d = exact;
  const why: string[] = [];
  if (money && d.decimalPlaces() > 2) {
    d = d.toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN);
    if (!d.eq(exact)) why.push('more than 2 decimals');
  }
  if (d.precision() > MAX_SIGNIFICANT_DIGITS) {
    const before = d;
    d = d.toSignificantDigits(MAX_SIGNIFICANT_DIGITS, Decimal.ROUND_HALF_EVEN);
    if (!d.eq(before)) why.push(`more than ${MAX_SIGNIFICANT_DIGITS} significant digits`);
  }
  const n = (percent ? d.div(100) : d).toNumber();
  if (!Number.isFinite(n)) return fail(out, 'TYPE', OVERFLOW);
  if (n === 0 && !d.isZero()) return fail(out, 'TYPE', UNDERFLOW);
  out.value = n === 0 ? 0 : n; // -0 is read as 0
  if (why.length === 0) return Outcome.Value;
  out.problem = {
    code: 'PRECISION',
    rule: `has ${why.join(' and ')}; read as ${money ? d.toFixed(2) : d.toFixed()} (rounded half-even${money ? ', money to cents' : ''}); write at most ${money ? '2 decimals and ' : ''}${MAX_SIGNIFICANT_DIGITS} significant digits`,
  };
  return Outcome.ValueRounded;
}

/** The TYPE rule of text that is not plain decimal text; exponent text beyond a double's range says so. */
function notDecimal(spec: FieldSpec, raw: string): string {
  if (EXPONENT_RE.test(raw)) {
    const n = Number(raw);
    if (!Number.isFinite(n)) return OVERFLOW;
    if (n === 0 && /[1-9]/.test(raw.slice(0, raw.search(/[eE]/)))) return UNDERFLOW;
  }
  const example = spec.kind === 'money' ? '1250000.00' : spec.kind === 'fraction' ? '0.0525' : '1.35';
  return `is not a decimal number; write plain decimal text such as ${example} (no thousands separators, currency signs or exponents)`;
}
const EXPONENT_RE = /^[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+$/;

function coerceDate(raw: string, pattern: DatePattern | undefined, out: CoerceScratch): Outcome {
  if (!pattern) {
    if (parseIsoDate(raw)) return ok(out, raw);
    const m = ISO_SHAPE.exec(raw);
    return fail(out, 'FORMAT', m ? notCalendarDate(Number(m[1]), Number(m[2]), Number(m[3])) : 'is not a date; use YYYY-MM-DD');
  }
  const m = pattern.regex.exec(raw);
  if (m) {
    const parts: Record<'Y' | 'M' | 'D', number> = { Y: 0, M: 0, D: 0 };
    pattern.order.forEach((part, i) => (parts[part] = Number(m[i + 1])));
    if (isCalendarDate(parts.Y, parts.M, parts.D)) return ok(out, formatIsoDate(parts.Y, parts.M, parts.D));
    return fail(out, 'FORMAT', notCalendarDate(parts.Y, parts.M, parts.D));
  }
  return fail(out, 'FORMAT', `is not a date in the declared pattern ${pattern.pattern}`);
}

const ISO_SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * Why a date of the right shape is not a real one ("there is no month 13"), not "use YYYY-MM-DD":
 * the issuer did write the form, and needs to know which part is impossible.
 */
export function notCalendarDate(year: number, month: number, day: number): string {
  const why = year < 1 ? 'there is no year 0'
    : month < 1 || month > 12 ? `there is no month ${month}`
    : day < 1 ? 'there is no day 0'
    : `there is no day ${day} in ${MONTHS[month - 1]} ${year}${month === 2 && day === 29 ? ` (${year} is not a leap year)` : ` (it has ${daysInMonth(year, month)} days)`}`;
  return `is not a calendar date: ${why}; check the date`;
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
      // [+-]?digits, read as scanDecimal reads it (exact up to 15 digits; Number() beyond)
      if (!scanDecimal(text, -1)) return fail(out, 'TYPE', 'is not a whole number');
      const n = scanned.significant <= MAX_SIGNIFICANT_DIGITS ? scanned.value : toNumber(text);
      return Number.isSafeInteger(n) ? ok(out, n) : fail(out, 'TYPE', 'is too large for a whole number');
    }
    case 'boolean': {
      const b = BOOLEANS.get(text.toLowerCase());
      return b === undefined ? fail(out, 'TYPE', 'is not a boolean; use true/false, yes/no or 1/0') : ok(out, b);
    }
  }
}

/**
 * {@link coerceInto} for the cell `text[start, end)` (untrimmed), reading it in place: the common
 * cases — plain decimals and whole numbers, ISO dates, exact codes and booleans, text without
 * surrounding spaces — without slicing the cell out; anything else (spaces to trim, non-ASCII ends,
 * no-data codes, mapped columns, problems) is handed to coerceInto with the trimmed text, so the
 * outcome is always exactly coerceInto's.
 */
export function coerceSpan(spec: FieldSpec, text: string, start: number, end: number, options: ColumnOptions, out: CoerceScratch): Outcome {
  if (start === end) return Outcome.Blank;
  const c0 = text.charCodeAt(start);
  const last = text.charCodeAt(end - 1);
  if ((options !== PLAIN && !isPlain(options)) || c0 <= 0x20 || c0 >= 0x7f || last <= 0x20 || last >= 0x7f) {
    return coerceInto(spec, text.slice(start, end).trim(), options, out);
  }
  if ((c0 === 78 || c0 === 110) && end - start >= 3 && (text.charCodeAt(start + 1) | 0x20) === 100) {
    // ND1 .. ND5 as written (the common case): what coerceInto says, without a slice and a regex.
    if (end - start === 3 && c0 === 78 && text.charCodeAt(start + 1) === 68 && last >= 49 && last <= 53 && spec.ndAllowed) {
      out.ndCode = ND_CODES[last - 49]!;
      return Outcome.NoData;
    }
    return coerceInto(spec, text.slice(start, end).trim(), options, out);
  }
  let fast = current;
  if (fast.fields[spec.index] !== spec) fast = fastPathOfSpec(spec);
  switch (fast.kinds[spec.index]) {
    case STRING:
      out.value = text.slice(start, end);
      return Outcome.Value;
    case DECIMAL:
      // (a value of 0 from nonzero digits underflowed: coerceInto says so)
      if (scanSpan(text, start, end, 46) && scanned.significant <= MAX_SIGNIFICANT_DIGITS && (scanned.value !== 0 || scanned.significant === 0)) {
        out.value = scanned.value;
        return Outcome.Value;
      }
      break;
    case MONEY:
      if (scanSpan(text, start, end, 46) && scanned.significant <= MAX_SIGNIFICANT_DIGITS && scanned.decimals <= 2) {
        out.value = scanned.value;
        return Outcome.Value;
      }
      break;
    case INTEGER:
      if (scanSpan(text, start, end, -1) && scanned.significant <= MAX_SIGNIFICANT_DIGITS) {
        out.value = scanned.value;
        return Outcome.Value;
      }
      break;
    case DATE:
      if (end - start === 10) {
        const date = isoDateAt(text, start);
        if (date !== undefined) {
          out.value = date;
          return Outcome.Value;
        }
      }
      break;
    case ENUM: {
      // The one member with this length, first and last character (usually one; else each compared).
      const candidates = fast.enumByShape[spec.index]!.get(shapeKey(end - start, c0, last));
      if (candidates === undefined) break;
      for (let j = 0; j < candidates.length; j++) {
        if (sameText(candidates[j]!, text, start, end)) {
          out.value = candidates[j]!;
          return Outcome.Value;
        }
      }
      break;
    }
    case CODE:
      if (!hasLowerCase(text, start, end)) {
        out.value = text.slice(start, end);
        return Outcome.Value;
      }
      break;
    case BOOLEAN:
      for (let j = 0; j < BOOLEAN_SPANS.length; j++) {
        if (sameText(BOOLEAN_SPANS[j]![0], text, start, end)) {
          out.value = BOOLEAN_SPANS[j]![1];
          return Outcome.Value;
        }
      }
      break;
  }
  return coerceInto(spec, text.slice(start, end).trim(), options, out);
}

function isPlain(options: ColumnOptions): boolean {
  return !options.percent && !options.decimalComma && options.datePattern === undefined && options.values === undefined;
}

/** How coerceSpan reads each field (by field index), decided once per kind from its field specs. */
const STRING = 1, DECIMAL = 2, MONEY = 3, INTEGER = 4, DATE = 5, ENUM = 6, CODE = 7, BOOLEAN = 8;

function fastKind(f: FieldSpec): number {
  switch (f.kind) {
    case 'string': return STRING;
    case 'money': return MONEY;
    case 'decimal':
    case 'fraction': return DECIMAL;
    case 'integer': return INTEGER;
    case 'date': return DATE;
    case 'code': return f.enumValues ? ENUM : CODE;
    case 'boolean': return BOOLEAN;
  }
}

const ND_CODES = ['ND1', 'ND2', 'ND3', 'ND4', 'ND5'];

/** A span's length, first and last character code units as one number (codes in the fast path are ASCII). */
function shapeKey(length: number, first: number, last: number): number {
  return length * 65536 + first * 256 + (last & 0xff);
}

/** A field's enum members by shapeKey (an empty map for a field without an enum). */
function enumByShape(f: FieldSpec): ReadonlyMap<number, readonly string[]> {
  const byShape = new Map<number, string[]>();
  for (const value of f.enumValues ?? []) {
    if (value.length === 0) continue;
    const key = shapeKey(value.length, value.charCodeAt(0), value.charCodeAt(value.length - 1));
    const list = byShape.get(key);
    if (list) list.push(value);
    else byShape.set(key, [value]);
  }
  return byShape;
}

/**
 * coerceSpan's tables of one kind, by field index: its specs (to tell whose tables these are), how
 * each is read and its enum members by shape. A field's index is its position in its own kind, so
 * the tables are per kind, never shared between kinds.
 */
interface FastPath {
  readonly fields: ReadonlyArray<FieldSpec | undefined>;
  readonly kinds: Uint8Array;
  readonly enumByShape: ReadonlyArray<ReadonlyMap<number, readonly string[]> | undefined>;
}

function buildFastPath(fields: ReadonlyArray<FieldSpec | undefined>): FastPath {
  return {
    fields,
    kinds: Uint8Array.from(fields, (f) => (f ? fastKind(f) : 0)),
    enumByShape: fields.map((f) => (f ? enumByShape(f) : undefined)),
  };
}

/** Spec -> the tables of its kind (or of the spec alone, for a spec no kind registered). */
const FAST_PATHS = new WeakMap<FieldSpec, FastPath>();
/** The tables used last: one comparison per cell while a tape of one kind is read. */
let current: FastPath = buildFastPath([]);

/**
 * Builds coerceSpan's tables for a kind's field specs, once per kind (a validator calls it with its
 * kind's fields). Without it coerceSpan still reads exactly, through tables built per spec.
 */
export function prepareFastPath(fields: readonly FieldSpec[]): void {
  if (fields.length > 0 && FAST_PATHS.get(fields[0]!)?.fields === fields) return;
  const fast = buildFastPath(fields);
  for (const f of fields) FAST_PATHS.set(f, fast);
}

function fastPathOfSpec(spec: FieldSpec): FastPath {
  let fast = FAST_PATHS.get(spec);
  if (fast === undefined) {
    const alone = new Array<FieldSpec | undefined>(spec.index + 1);
    alone[spec.index] = spec;
    fast = buildFastPath(alone);
    FAST_PATHS.set(spec, fast);
  }
  return (current = fast);
}

const BOOLEAN_SPANS = [...BOOLEANS];

function sameText(expected: string, text: string, start: number, end: number): boolean {
  if (expected.length !== end - start) return false;
  for (let i = 0; i < expected.length; i++) if (expected.charCodeAt(i) !== text.charCodeAt(start + i)) return false;
  return true;
}

/** A lower-case letter or a non-ASCII character (either may change when upper-cased). */
function hasLowerCase(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 97 && c <= 122) || c >= 0x7f) return true;
  }
  return false;
}

/**
 * The text of `text[start, start + 10)` when it is a real YYYY-MM-DD date (parseIsoDate, in place),
 * else undefined: one string per date of 1900-2199 for the whole run — a tape repeats its dates
 * (one reportingDate, a few thousand others) on every row, and a fresh string per date cell was
 * several allocations per row. A date already cached was a real date: its digits are read once and
 * the calendar is not asked again (cheaper than checking, then looking up).
 */
function isoDateAt(text: string, start: number): string | undefined {
  if (text.charCodeAt(start + 4) !== 45 || text.charCodeAt(start + 7) !== 45) return undefined;
  const year = digitsAt(text, start, 4);
  const month = digitsAt(text, start + 5, 2);
  const day = digitsAt(text, start + 8, 2);
  if (year < 0 || month < 0 || day < 0) return undefined;
  if (year < 1900 || year > 2199 || month < 1 || month > 12 || day < 1 || day > 31) {
    return isCalendarDate(year, month, day) ? text.slice(start, start + 10) : undefined;
  }
  const index = (year - 1900) * 372 + (month - 1) * 31 + day - 1;
  const cached = DATES[index];
  if (cached !== undefined) return cached;
  if (!isCalendarDate(year, month, day)) return undefined;
  return (DATES[index] = detached(text.slice(start, start + 10)));
}
const DATES: Array<string | undefined> = new Array(300 * 372);


function digitsAt(text: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
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
    case Outcome.ValueRounded: return { kind: 'value', value: out.value, caseNormalised: false, rounded: out.problem! };
    case Outcome.NoData: return { kind: 'nd', code: out.ndCode, caseNormalised: false };
    case Outcome.NoDataCaseNormalised: return { kind: 'nd', code: out.ndCode, caseNormalised: true };
    default: return { kind: 'problem', problem: out.problem! };
  }
}
