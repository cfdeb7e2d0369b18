/**
 * Reading an NDJSON line that is a flat JSON object without JSON.parse (the largest cost
 * of checking an NDJSON tape): its members as spans of the line, which the validator
 * reads in place as it reads CSV cells (coerceSpan). Like the loanId pre-pass (ndjson-id-scan.ts), it answers only where the
 * answer is certainly JSON.parse's; for anything else it says "unsure" (false) and the caller
 * parses the line. Unsure, here:
 *
 * - any backslash in the line (so every `"` delimits a string and a string's text is its span);
 * - any raw character below U+0020 anywhere (JSON.parse rejects one inside a string; a tab or CR
 *   between tokens would be valid, but is rare enough to leave to JSON.parse);
 * - nesting: a value that is an object or an array;
 * - anything that is not exactly `{` members `}` with spaces between tokens: a line that is not an
 *   object, text after the closing brace, a missing or extra comma or colon, a bad literal, a
 *   number outside JSON's grammar (`01`, `.5`, `1.`, `+1`, `1e`), an unterminated string —
 *   every malformed line goes to JSON.parse, which gives the MALFORMED_ROW message.
 *
 * What the validator adds (tape-validator.ts `ndjsonLine`): every key must already be known to it
 * (seen on an earlier, parsed line, so the UNKNOWN_COLUMN findings and the key order of its map are
 * JSON.parse's), and no field may come twice: not one key twice (JSON.parse keeps the last value)
 * nor two keys on one field (the COLUMN_DUPLICATE error). An ignored key may come twice (ignored
 * either way). With known keys on distinct fields the order of the members does not matter (an
 * integer-like key, which Object.keys would list first, changes nothing).
 *
 * Values: a string is its span (untrimmed; the validator trims it, or coerceSpan reads it in place,
 * as ndjsonText's String.prototype.trim does); `true`, `false`, `null` are kinds. A number is its
 * span only when the span is exactly the text numberToText(JSON.parse(span)) gives (canonical:
 * no exponent, no trailing zero after the point, not negative zero, at most 15 significant digits);
 * any other number in JSON's grammar is kind NumberOther and its text is computed, as ndjsonText does.
 */
import { numberToText } from './number-text.ts';

/** How a member's value is read (see {@link memberText}). */
export const ValueKind = { String: 0, Number: 1, NumberOther: 2, True: 3, False: 4, Null: 5 } as const;
export type ValueKind = (typeof ValueKind)[keyof typeof ValueKind];

/**
 * The members of one scanned line, in line order: key `j` is `text.slice(keyStarts[j], keyEnds[j])`,
 * value `j` is `text.slice(valueStarts[j], valueEnds[j])` read as `kinds[j]` (a string's span excludes
 * its quotes). Reused for the next line.
 */
export interface NdjsonMembers {
  text: string;
  count: number;
  keyStarts: Int32Array;
  keyEnds: Int32Array;
  valueStarts: Int32Array;
  valueEnds: Int32Array;
  kinds: Uint8Array;
}

/** Empty members, with room for `capacity` (grown as needed). */
export function ndjsonMembers(capacity = 64): NdjsonMembers {
  return {
    text: '',
    count: 0,
    keyStarts: new Int32Array(capacity),
    keyEnds: new Int32Array(capacity),
    valueStarts: new Int32Array(capacity),
    valueEnds: new Int32Array(capacity),
    kinds: new Uint8Array(capacity),
  };
}

/** A backslash or a raw control character: the line is left to JSON.parse (one regular-expression pass: faster than a loop over the characters). */
const UNSURE = /[\u0000-\u001f\\]/;

/**
 * Scans `text` (a trimmed NDJSON line) as a flat JSON object into `out`: true when certain (see the
 * module comment), false when unsure — then `out` is meaningless and the line must be parsed.
 * @example scanFlatObject('{"loanId":"L-1","n":2}', m) // true; m.count 2, m.kinds [String, Number]
 */
export function scanFlatObject(text: string, out: NdjsonMembers): boolean {
  const n = text.length;
  if (n < 2 || text.charCodeAt(0) !== 0x7b /* { */ || UNSURE.test(text)) return false;
  out.text = text;
  out.count = 0;
  let i = skipSpaces(text, 1);
  if (text.charCodeAt(i) === 0x7d /* } */) return skipSpaces(text, i + 1) === n;
  for (;;) {
    // key
    if (text.charCodeAt(i) !== 0x22 /* " */) return false;
    const keyEnd = text.indexOf('"', i + 1); // no backslash: the next quote ends the string
    if (keyEnd < 0) return false;
    const keyStart = i + 1;
    i = keyEnd + 1;
    if (text.charCodeAt(i) === 0x20) i = skipSpaces(text, i); // (checked before the call: most lines have no spaces)
    if (text.charCodeAt(i) !== 0x3a /* : */) return false;
    i++;
    if (text.charCodeAt(i) === 0x20) i = skipSpaces(text, i);
    // value
    const c = text.charCodeAt(i);
    let kind: ValueKind;
    let valueStart = i;
    let valueEnd: number;
    if (c === 0x22) {
      valueStart = i + 1;
      valueEnd = text.indexOf('"', valueStart);
      if (valueEnd < 0) return false;
      kind = ValueKind.String;
      i = valueEnd + 1;
    } else if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) {
      valueEnd = scanNumber(text, i);
      if (valueEnd < 0) return false;
      kind = numberWasCanonical ? ValueKind.Number : ValueKind.NumberOther;
      i = valueEnd;
    } else if (c === 0x74 /* t */ && text.startsWith('true', i)) {
      valueEnd = i + 4;
      kind = ValueKind.True;
      i = valueEnd;
    } else if (c === 0x66 /* f */ && text.startsWith('false', i)) {
      valueEnd = i + 5;
      kind = ValueKind.False;
      i = valueEnd;
    } else if (c === 0x6e /* n */ && text.startsWith('null', i)) {
      valueEnd = i + 4;
      kind = ValueKind.Null;
      i = valueEnd;
    } else return false; // nesting, or not JSON
    add(out, keyStart, keyEnd, valueStart, valueEnd, kind);
    if (text.charCodeAt(i) === 0x20) i = skipSpaces(text, i);
    const next = text.charCodeAt(i);
    if (next === 0x2c /* , */) {
      i++;
      if (text.charCodeAt(i) === 0x20) i = skipSpaces(text, i);
    }
    else if (next === 0x7d) return skipSpaces(text, i + 1) === n;
    else return false;
  }
}

/**
 * The text ndjsonText (tape-validator.ts) gives member `j`'s value: a string trimmed, a number as
 * numberToText, 'true'/'false', '' for null.
 */
export function memberText(m: NdjsonMembers, j: number): string {
  switch (m.kinds[j]) {
    case ValueKind.String: return m.text.slice(m.valueStarts[j]!, m.valueEnds[j]!).trim();
    case ValueKind.Number: return m.text.slice(m.valueStarts[j]!, m.valueEnds[j]!);
    case ValueKind.NumberOther: return jsonNumberText(m.text.slice(m.valueStarts[j]!, m.valueEnds[j]!));
    case ValueKind.True: return 'true';
    case ValueKind.False: return 'false';
    default: return '';
  }
}

function add(out: NdjsonMembers, keyStart: number, keyEnd: number, valueStart: number, valueEnd: number, kind: ValueKind): void {
  const j = out.count;
  if (j === out.kinds.length) {
    const grown = ndjsonMembers(j * 2);
    grown.keyStarts.set(out.keyStarts);
    grown.keyEnds.set(out.keyEnds);
    grown.valueStarts.set(out.valueStarts);
    grown.valueEnds.set(out.valueEnds);
    grown.kinds.set(out.kinds);
    out.keyStarts = grown.keyStarts;
    out.keyEnds = grown.keyEnds;
    out.valueStarts = grown.valueStarts;
    out.valueEnds = grown.valueEnds;
    out.kinds = grown.kinds;
  }
  out.keyStarts[j] = keyStart;
  out.keyEnds[j] = keyEnd;
  out.valueStarts[j] = valueStart;
  out.valueEnds[j] = valueEnd;
  out.kinds[j] = kind;
  out.count = j + 1;
}

/** Spaces only: every other JSON whitespace character is below U+0020, which makes a line unsure. */
function skipSpaces(text: string, i: number): number {
  while (text.charCodeAt(i) === 0x20) i++;
  return i;
}

/** Whether the number {@link scanNumber} read last is canonical (see the module comment). */
let numberWasCanonical = false;

/**
 * Reads a JSON number `-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?` at `start`; returns its end, or -1
 * when the text there is not one. Sets {@link numberWasCanonical}: no exponent, no trailing zero
 * after the point, not negative zero, at most 15 significant digits. Such a number's text is its
 * numberToText: a decimal of at most 15 significant digits is the only one of at most 15 digits
 * that reads as its double (DBL_DIG), so the shortest round-trip text has its digits, and
 * numberToText writes them without an exponent; with no leading zero (JSON) and no trailing zero
 * after the point there is one way to write them.
 */
function scanNumber(text: string, start: number): number {
  let i = start;
  const negative = text.charCodeAt(i) === 0x2d;
  if (negative) i++;
  let c = text.charCodeAt(i);
  let significant = 0;
  let nonZero = false;
  if (c === 0x30) i++;
  else if (c >= 0x31 && c <= 0x39) {
    for (; c >= 0x30 && c <= 0x39; c = text.charCodeAt(++i)) significant++;
    nonZero = true;
  } else return -1;
  let trailingZero = false;
  c = text.charCodeAt(i);
  if (c === 0x2e /* . */) {
    c = text.charCodeAt(++i);
    if (!(c >= 0x30 && c <= 0x39)) return -1;
    for (; c >= 0x30 && c <= 0x39; c = text.charCodeAt(++i)) {
      if (nonZero || c !== 0x30) {
        nonZero = true;
        significant++;
      }
      trailingZero = c === 0x30;
    }
  }
  let exponent = false;
  if (c === 0x65 || c === 0x45 /* e E */) {
    exponent = true;
    c = text.charCodeAt(++i);
    if (c === 0x2b || c === 0x2d) c = text.charCodeAt(++i);
    if (!(c >= 0x30 && c <= 0x39)) return -1;
    while (c >= 0x30 && c <= 0x39) c = text.charCodeAt(++i);
  }
  numberWasCanonical = !exponent && !trailingZero && significant <= 15 && !(negative && !nonZero);
  return i;
}

/**
 * The text a JSON number token is validated as: numberToText of its double, except a token beyond
 * a double's range — `1e-400` reads as 0, `1e400` as Infinity — which keeps its own text, so that
 * coercion reports it (a balance of 1e-400 must not pass as 0).
 */
export function jsonNumberText(token: string): string {
  const n = Number(token);
  if (Number.isFinite(n) && (n !== 0 || !/[1-9]/.test(mantissaOf(token)))) return numberToText(n);
  return token;
}

function mantissaOf(token: string): string {
  const e = token.search(/[eE]/);
  return e < 0 ? token : token.slice(0, e);
}

const NUMBER_TOKEN = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/**
 * The number tokens of a JSON object's members, by key (the last of a key given twice, as
 * JSON.parse keeps it), for a line JSON.parse has read: what a value that parsed as 0 or Infinity
 * was written as (jsonNumberText). Only asked for such lines; `text` must be valid JSON.
 */
export function memberNumberTokens(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let depth = 0;
  let key = '';
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      let j = i + 1;
      while (text.charCodeAt(j) !== 0x22) j += text.charCodeAt(j) === 0x5c ? 2 : 1;
      if (depth === 1 && expectKey) key = JSON.parse(text.slice(i, j + 1)) as string;
      i = j;
    } else if (c === 0x7b || c === 0x5b) {
      depth++;
      expectKey = c === 0x7b && depth === 1;
    } else if (c === 0x7d || c === 0x5d) depth--;
    else if (depth === 1 && c === 0x2c) expectKey = true;
    else if (depth === 1 && c === 0x3a) expectKey = false;
    else if (depth === 1 && !expectKey && (c === 0x2d || (c >= 0x30 && c <= 0x39))) {
      NUMBER_TOKEN.lastIndex = i;
      const m = NUMBER_TOKEN.exec(text)!;
      out.set(key, m[0]);
      i += m[0].length - 1;
    }
  }
  return out;
}
