import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeXmlText,
  excelSerialToIsoDate,
  formatNumberText,
  isBuiltInDateFormat,
  isDateFormatCode,
  isoDateToExcelSerial,
  plainDecimal,
  serialTextToIsoDate,
} from '../../../functions/core/readers/xlsx-values.ts';

describe('formatNumberText', () => {
  it.each([
    ['0.1', '0.1'],
    ['1E-7', '0.0000001'],
    ['1e-7', '0.0000001'],
    ['-1.5E-10', '-0.00000000015'],
    ['1E+21', '1000000000000000000000'],
    ['1.2345E+25', '12345000000000000000000000'],
    ['123456789.12', '123456789.12'],
    ['0.10000000000000001', '0.1'],
    ['3.1415926535897931', '3.141592653589793'],
    ['0.30000000000000004', '0.30000000000000004'],
    ['-0', '0'],
    ['-0.0', '0'],
    ['1.50', '1.5'],
    ['007', '7'],
    ['+4', '4'],
    ['', ''],
    ['#VALUE!', '#VALUE!'],
  ])('%s → %s', (text, expected) => {
    expect(formatNumberText(text)).toBe(expected);
  });

  it('round-trips every double and never uses an exponent (property)', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
        for (const text of [String(n), String(n).toUpperCase(), n.toExponential(), n.toPrecision(17)]) {
          const out = formatNumberText(text);
          expect(out).not.toMatch(/e/i);
          expect(Number(out)).toBe(n === 0 ? 0 : n);
          expect(out).toBe(plainDecimal(n));
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('Excel date serials', () => {
  it.each([
    [1, false, '1900-01-01'],
    [59, false, '1900-02-28'],
    [60, false, '1900-02-29'],
    [61, false, '1900-03-01'],
    [46326, false, '2026-10-31'],
    [46326.5, false, '2026-10-31'],
    [46326.99999999, false, '2026-11-01'],
    [2958465, false, '9999-12-31'],
    [0, true, '1904-01-01'],
    [44864, true, '2026-10-31'],
  ])('serial %s (1904: %s) → %s', (serial, date1904, iso) => {
    expect(excelSerialToIsoDate(serial, date1904)).toBe(iso);
    expect(serialTextToIsoDate(String(serial), date1904)).toBe(iso);
  });

  it('refuses serials no date format can show', () => {
    expect(excelSerialToIsoDate(-1, false)).toBeUndefined();
    expect(excelSerialToIsoDate(2958466, false)).toBeUndefined();
    expect(excelSerialToIsoDate(Number.NaN, false)).toBeUndefined();
    expect(serialTextToIsoDate('abc', false)).toBeUndefined();
  });

  it('converts ISO dates to serials and back (property)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date(Date.UTC(1904, 0, 1)), max: new Date(Date.UTC(9999, 11, 31)), noInvalidDate: true }),
        fc.boolean(),
        (date, date1904) => {
          const iso = date.toISOString().slice(0, 10);
          expect(excelSerialToIsoDate(isoDateToExcelSerial(iso, date1904), date1904)).toBe(iso);
        },
      ),
    );
  });
});

describe('date formats', () => {
  it('knows the built-in date formats', () => {
    expect([14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47].every(isBuiltInDateFormat)).toBe(true);
    expect([0, 1, 2, 3, 4, 9, 10, 11, 12, 13, 37, 49].some(isBuiltInDateFormat)).toBe(false);
  });

  it.each([
    ['yyyy-mm-dd', true],
    ['yyyy\\-mm\\-dd', true],
    ['d/m/yy', true],
    ['[$-409]mmmm d, yyyy;@', true],
    ['mmm-yy', true],
    ['dd"d"', true],
    ['m/d/yyyy h:mm', true],
    ['General', false],
    ['0.00%', false],
    ['#,##0 "days"', false],
    ['[Red]0.00;[Blue]-0.00', false],
    ['_(* #,##0.00_);_(* \\(#,##0.00\\)', false],
    ['h:mm:ss', false],
    ['[h]:mm', false],
    ['"Year "0', false],
  ])('%s → %s', (code, isDate) => {
    expect(isDateFormatCode(code)).toBe(isDate);
  });
});

describe('decodeXmlText', () => {
  it('decodes entities, character references, OOXML escapes and XML line ends', () => {
    expect(decodeXmlText('a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos;')).toBe('a & b <c> "d" \'e\'');
    expect(decodeXmlText('&#233;&#xE9;&#x1F600;')).toBe('éé😀');
    expect(decodeXmlText('_x000D__x000a_ _x005F_x0041_')).toBe('\r\n _x0041_');
    expect(decodeXmlText('a\r\nb\rc')).toBe('a\nb\nc');
    expect(decodeXmlText('&unknown; & alone')).toBe('&unknown; & alone');
  });
});
