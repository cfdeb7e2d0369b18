import { describe, expect, it } from 'vitest';
import { csvCell, csvRecord } from '../../functions/api/csv-cells.ts';

describe('csvCell', () => {
  it.each([
    ['=SUM(A1)', "'=SUM(A1)"],
    ['+1', "'+1"],
    ['-2+3', "'-2+3"],
    ['@cmd', "'@cmd"],
    ['\tx', "\"'\tx\""],
    ['a;b', '"a;b"'],
    ['x;=cmd|\' /C calc\'!A0', "\"x;'=cmd|' /C calc'!A0\""],
    ['x; +1;@SUM(1)', "\"x; '+1;'@SUM(1)\""],
    ['x\t-1', "\"x\t'-1\""],
    ['1;2', '"1;2"'],
    ['\rx', "\"'\rx\""],
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['line\nbreak', '"line\nbreak"'],
    ['=HYPERLINK("http://x","y")', '"\'=HYPERLINK(""http://x"",""y"")"'],
  ])('%j -> %j', (input, expected) => {
    expect(csvCell(input)).toBe(expected);
  });

  it('leaves numbers and blanks alone', () => {
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
  });

  it('ends records with CRLF', () => {
    expect(csvRecord([1, 'a', null, '=x'])).toBe("1,a,,'=x\r\n");
  });
});
