/**
 * How XLSX cell values become tape text: numbers as the shortest round-tripping decimal without
 * exponent, Excel date serials as ISO dates, date-format detection, XML text decoding.
 * Pure functions on strings; must not allocate per call beyond the result (they run per cell).
 */

/**
 * The shortest decimal that round-trips the double stored as `text`, written without exponent.
 * Text that is not a finite number is returned unchanged.
 *
 * @example
 * formatNumberText('1E-7');                 // '0.0000001'
 * formatNumberText('0.10000000000000001');  // '0.1'
 * formatNumberText('1e21');                 // '1000000000000000000000'
 */
export function formatNumberText(text: string): string {
  if (isCanonicalDecimal(text)) return text;
  const n = Number(text);
  if (text.length === 0 || !Number.isFinite(n)) return text;
  return plainDecimal(n);
}

/**
 * The shortest round-tripping decimal of `n` (ECMAScript Number::toString) with any exponent expanded.
 *
 * @example
 * plainDecimal(1e-7); // '0.0000001'
 */
export function plainDecimal(n: number): string {
  const s = String(n);
  const e = s.indexOf('e');
  if (e < 0) return s;
  const negative = s.charCodeAt(0) === 45;
  const mantissa = s.slice(negative ? 1 : 0, e);
  const exponent = Number(s.slice(e + 1));
  const dot = mantissa.indexOf('.');
  const digits = dot < 0 ? mantissa : mantissa.slice(0, dot) + mantissa.slice(dot + 1);
  const point = (dot < 0 ? mantissa.length : dot) + exponent; // digits before the decimal point
  let out: string;
  if (point <= 0) out = '0.' + '0'.repeat(-point) + digits;
  else if (point >= digits.length) out = digits + '0'.repeat(point - digits.length);
  else out = digits.slice(0, point) + '.' + digits.slice(point);
  return negative ? '-' + out : out;
}

/**
 * True when `text` is already what `plainDecimal(Number(text))` would print: an optional minus,
 * an integer part without leading zeros, an optional fraction without trailing zeros, at most 15
 * significant digits (any such decimal is the unique shortest form of its double), and not -0.
 * This fast path skips a Number→string conversion for almost every cell Excel writes.
 */
function isCanonicalDecimal(text: string): boolean {
  const length = text.length;
  let i = 0;
  if (length === 0) return false;
  if (text.charCodeAt(0) === 45) i = 1;
  const intStart = i;
  while (i < length) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) break;
    i++;
  }
  const intDigits = i - intStart;
  if (intDigits === 0 || intDigits > 15) return false;
  const leadingZero = text.charCodeAt(intStart) === 48;
  if (leadingZero && intDigits > 1) return false;
  if (i === length) return !(leadingZero && intStart === 1); // "-0" is not canonical
  if (text.charCodeAt(i) !== 46) return false;
  i++;
  const fracStart = i;
  while (i < length) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
    i++;
  }
  const fracDigits = length - fracStart;
  if (fracDigits === 0 || text.charCodeAt(length - 1) === 48) return false;
  let significant: number;
  if (leadingZero) {
    let z = fracStart;
    while (text.charCodeAt(z) === 48) z++;
    significant = length - z;
  } else {
    significant = intDigits + fracDigits;
  }
  return significant <= 15;
}

/** Days from 1970-01-01 to 1899-12-30, the day before serial 1 once Excel's 1900-02-29 is counted. */
const EPOCH_1900 = -25569;
/** Days from 1970-01-01 to 1904-01-01, serial 0 of the 1904 date system. */
const EPOCH_1904 = -24107;
/** Serial of 9999-12-31, Excel's last date. */
const MAX_SERIAL_1900 = 2958465;

/**
 * An Excel date serial as ISO `YYYY-MM-DD`, or undefined when it is not a date Excel could show.
 * The 1900 system keeps Excel's leap-year bug: serial 60 is the non-existent 1900-02-29 (returned
 * as such, so validation flags it) and serials 1–59 are one day later than a plain count suggests.
 * A time of day is dropped after rounding to the nearest second (Excel rounds the same way).
 *
 * @example
 * excelSerialToIsoDate(61, false);    // '1900-03-01'
 * excelSerialToIsoDate(46326, false); // '2026-10-31'
 * excelSerialToIsoDate(0, true);      // '1904-01-01'
 */
export function excelSerialToIsoDate(serial: number, date1904: boolean): string | undefined {
  if (!Number.isFinite(serial) || serial < 0) return undefined;
  const day = Math.floor(serial + 0.5 / 86400);
  if (day > MAX_SERIAL_1900 - (date1904 ? 1462 : 0)) return undefined;
  if (date1904) return isoFromEpochDay(day + EPOCH_1904);
  if (day === 60) return '1900-02-29';
  return isoFromEpochDay(day + EPOCH_1900 + (day < 60 ? 1 : 0));
}

const dayCache = [new Map<number, string | undefined>(), new Map<number, string | undefined>()];

/**
 * `excelSerialToIsoDate` for the text of a cell value. Whole-day serials (the usual case) skip
 * Number() and are memoised per day: a tape repeats a few thousand dates over millions of cells.
 *
 * @example
 * serialTextToIsoDate('46326', false); // '2026-10-31'
 */
export function serialTextToIsoDate(text: string, date1904: boolean): string | undefined {
  let day = 0;
  let i = 0;
  for (; i < text.length && i < 8; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) break;
    day = day * 10 + d;
  }
  if (i === 0 || i < text.length) return excelSerialToIsoDate(Number(text), date1904);
  const cache = dayCache[date1904 ? 1 : 0]!;
  let iso = cache.get(day);
  if (iso === undefined && !cache.has(day)) {
    if (cache.size >= 100_000) cache.clear();
    iso = excelSerialToIsoDate(day, date1904);
    cache.set(day, iso);
  }
  return iso;
}

/**
 * The Excel serial of an ISO date (inverse of `excelSerialToIsoDate` for whole days).
 *
 * @example
 * isoDateToExcelSerial('2026-10-31', false); // 46326
 */
export function isoDateToExcelSerial(iso: string, date1904: boolean): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) throw new RangeError(`not an ISO date: ${iso}`);
  const epochDay = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / 86_400_000;
  if (date1904) return epochDay - EPOCH_1904;
  const serial = epochDay - EPOCH_1900;
  return serial < 61 ? serial - 1 : serial;
}

/** Civil date from days since 1970-01-01 (H. Hinnant's algorithm): no Date object per cell. */
function isoFromEpochDay(epochDay: number): string {
  const z = epochDay + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

/**
 * True for built-in number formats that show dates or times: ids 14–22 and 45–47 (ECMA-376
 * §18.8.30) and the East Asian date formats 27–36 and 50–58.
 */
export function isBuiltInDateFormat(numFmtId: number): boolean {
  return (
    (numFmtId >= 14 && numFmtId <= 22) ||
    (numFmtId >= 45 && numFmtId <= 47) ||
    (numFmtId >= 27 && numFmtId <= 36) ||
    (numFmtId >= 50 && numFmtId <= 58)
  );
}

/**
 * True when a custom number format shows a date: it has d or y, or an m that is not minutes (no h
 * or s in the format, elapsed [h]/[m]/[s] included), outside quoted text, [brackets] (colours,
 * locales), escaped characters and the `_x`/`*x` padding codes.
 *
 * @example
 * isDateFormatCode('yyyy-mm-dd');           // true
 * isDateFormatCode('#,##0.00 "days"');      // false
 * isDateFormatCode('[Red]0.00;[Blue]-0.00'); // false
 */
export function isDateFormatCode(code: string): boolean {
  let bare = '';
  for (let i = 0; i < code.length; i++) {
    const c = code[i]!;
    if (c === '"') {
      const close = code.indexOf('"', i + 1);
      i = close < 0 ? code.length : close;
    } else if (c === '[') {
      const close = code.indexOf(']', i + 1);
      const inside = code.slice(i + 1, close < 0 ? code.length : close);
      if (/^(?:h+|m+|s+)$/i.test(inside)) bare += 'h'; // elapsed time [h]:mm: a time, not a month
      i = close < 0 ? code.length : close;
    } else if (c === '\\' || c === '_' || c === '*') {
      i++;
    } else {
      bare += c.toLowerCase();
    }
  }
  if (/[dy]/.test(bare)) return true;
  return bare.includes('m') && !/[hs]/.test(bare);
}

const ENTITY = /&(?:(amp)|(lt)|(gt)|(quot)|(apos)|#x([0-9a-fA-F]+)|#([0-9]+));/g;
const OOXML_ESCAPE = /_x([0-9A-Fa-f]{4})_/g;

/**
 * XML character data as text: line ends normalised as an XML parser does, the five named entities
 * and numeric character references decoded, then the OOXML `_xHHHH_` escapes (ECMA-376 ST_Xstring,
 * e.g. `_x000D_` for a carriage return) decoded. Fast path: text with none of these is returned as is.
 *
 * @example
 * decodeXmlText('A &amp; B_x000D_'); // 'A & B\r'
 */
export function decodeXmlText(raw: string): string {
  let s = raw;
  if (s.indexOf('\r') >= 0) s = s.replace(/\r\n?/g, '\n');
  if (s.indexOf('&') >= 0) s = s.replace(ENTITY, decodeEntity);
  if (s.indexOf('_x') >= 0) s = s.replace(OOXML_ESCAPE, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return s;
}

/** Decodes entities only (attribute values, where `_xHHHH_` is not an escape). */
export function decodeXmlAttribute(raw: string): string {
  return raw.indexOf('&') >= 0 ? raw.replace(ENTITY, decodeEntity) : raw;
}

function decodeEntity(
  match: string,
  amp?: string,
  lt?: string,
  gt?: string,
  quot?: string,
  apos?: string,
  hex?: string,
  dec?: string,
): string {
  if (amp) return '&';
  if (lt) return '<';
  if (gt) return '>';
  if (quot) return '"';
  if (apos) return "'";
  const code = hex !== undefined ? parseInt(hex, 16) : Number(dec);
  return code <= 0x10ffff ? String.fromCodePoint(code) : match;
}
