import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { xlsxParts, writeXlsx, zipParts, type XlsxCell, type XlsxPart } from '../../../bench/xlsx-writer.ts';
import { TapeReadError } from '../../../functions/core/errors.ts';
import type { TapeRecord } from '../../../functions/core/readers/types.ts';
import { DEFAULT_XLSX_LIMITS, readXlsx, type XlsxReadOptions } from '../../../functions/core/readers/xlsx-reader.ts';
import { plainDecimal } from '../../../functions/core/readers/xlsx-values.ts';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/xlsx');
const encoder = new TextEncoder();

async function* chunked(bytes: Uint8Array, sizes: number[] = [bytes.length]): AsyncGenerator<Uint8Array> {
  let at = 0;
  for (let i = 0; at < bytes.length; i++) {
    const size = Math.max(1, sizes[i % sizes.length]!);
    yield bytes.slice(at, at + size);
    at += size;
  }
}

async function read(bytes: Uint8Array, options?: XlsxReadOptions, sizes?: number[]): Promise<TapeRecord[]> {
  const out: TapeRecord[] = [];
  for await (const record of readXlsx(chunked(bytes, sizes), options)) out.push(record);
  return out;
}

async function readError(bytes: Uint8Array, options?: XlsxReadOptions, sizes?: number[]): Promise<TapeReadError> {
  try {
    await read(bytes, options, sizes);
  } catch (error) {
    expect(error).toBeInstanceOf(TapeReadError);
    return error as TapeReadError;
  }
  throw new Error('expected a TapeReadError');
}

/** A workbook whose first sheet is the given XML (everything else from the writer). */
function withSheetXml(
  sheetXml: string,
  options: Parameters<typeof xlsxParts>[1] = {},
  rows: XlsxCell[][] = [['x']],
): Uint8Array {
  const parts = xlsxParts(rows, options);
  part(parts, 'xl/worksheets/sheet1.xml').data = [encoder.encode(sheetXml)];
  return zipParts(parts, options);
}

function part(parts: XlsxPart[], name: string): XlsxPart {
  const found = parts.find((p) => p.name === name);
  if (!found) throw new Error(`no part ${name}`);
  return found;
}

const MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';

/** What the reader should yield for rows written by the writer: the model of the format. */
function expected(rows: XlsxCell[][], date1904 = false): TapeRecord[] {
  const out: TapeRecord[] = [];
  rows.forEach((cells, r) => {
    const text = cells.map((cell): string => {
      if (cell === null || cell === undefined) return '';
      if (typeof cell === 'string') return cell;
      if (typeof cell === 'number') return plainDecimal(cell);
      if (typeof cell === 'boolean') return String(cell);
      if ('date' in cell) return date1904 && cell.date < '1904-01-01' ? '(negative serial)' : cell.date;
      return plainDecimal(cell.number);
    });
    while (text.length > 0 && text[text.length - 1] === '') text.pop();
    if (text.length > 0) out.push({ row: r + 1, cells: text });
  });
  return out;
}

const TAPE: XlsxCell[][] = [
  ['loanId', 'name', 'balance', 'rate', 'tiny', 'huge', 'isFloating', 'maturityDate'],
  ['L1', 'Smith & Sons <Data> "Center"', 123456789.12, 0.1, 1e-7, 1e21, true, { date: '2026-10-31' }],
  [
    'L2',
    'Ünïcödé ✓ 数据中心 😀',
    -0.5,
    0.30000000000000004,
    5e-324,
    1.7976931348623157e308,
    false,
    { date: '1900-03-01' },
  ],
  [],
  ['L4', null, 42, null, null, null, null, { date: '1900-02-28' }],
  [null, null, null, null, null, null, null, { date: '9999-12-31' }],
  ['L6', '  leading and trailing  ', 0, -0, 1e-6, 123e18, true, { date: '1900-01-01' }],
  ['L7', 'line\nbreak\ttab\rreturn _x0041_ literal'],
];

describe('readXlsx: round trip through the test writer', () => {
  it('reads strings, numbers, booleans, dates and sparse cells, header first, with sheet row numbers', async () => {
    const records = await read(writeXlsx(TAPE));
    expect(records).toEqual(expected(TAPE));
    expect(records[0]).toEqual({ row: 1, cells: TAPE[0] });
    expect(records[1]!.cells).toEqual([
      'L1',
      'Smith & Sons <Data> "Center"',
      '123456789.12',
      '0.1',
      '0.0000001',
      '1000000000000000000000',
      'true',
      '2026-10-31',
    ]);
    expect(records.map((r) => r.row)).toEqual([1, 2, 3, 5, 6, 7, 8]);
    expect(records.find((r) => r.row === 5)!.cells).toEqual(['L4', '', '42', '', '', '', '', '1900-02-28']);
    expect(records.find((r) => r.row === 7)!.cells[5]).toBe('123000000000000000000');
  });

  it('reads shared and inline strings alike', async () => {
    const shared = await read(writeXlsx(TAPE, { sharedStrings: true }));
    const inline = await read(writeXlsx(TAPE, { sharedStrings: false }));
    expect(inline).toEqual(shared);
  });

  it('reads a date1904 workbook', async () => {
    const rows: XlsxCell[][] = [['d'], [{ date: '1904-01-01' }], [{ date: '2026-10-31' }], [{ date: '1904-03-01' }]];
    expect(await read(writeXlsx(rows, { date1904: true }))).toEqual(expected(rows, true));
  });

  it('keeps date1904 serials before 1904 as numbers (Excel cannot show them either)', async () => {
    const records = await read(writeXlsx([['d'], [{ date: '1903-12-31' }]], { date1904: true }));
    expect(records[1]!.cells).toEqual(['-1']);
  });

  it('reads the first sheet by default and a named sheet on request', async () => {
    const bytes = writeXlsx([['first'], ['a']], {
      sheetName: 'Cover',
      moreSheets: [{ name: 'Loans & Fees', rows: [['loanId'], ['L1'], [null, 'B3']] }],
    });
    expect(await read(bytes)).toEqual([
      { row: 1, cells: ['first'] },
      { row: 2, cells: ['a'] },
    ]);
    expect(await read(bytes, { sheet: 'Loans & Fees' })).toEqual([
      { row: 1, cells: ['loanId'] },
      { row: 2, cells: ['L1'] },
      { row: 3, cells: ['', 'B3'] },
    ]);
    expect(await read(bytes, { sheet: 'loans & fees' })).toHaveLength(3); // sheet names are case-insensitive
  });

  it('reads a workbook whose sheet entry comes before sharedStrings.xml and styles.xml (as Excel writes)', async () => {
    const bytes = writeXlsx(TAPE, { sheetsFirst: true });
    const names = xlsxParts(TAPE, { sheetsFirst: true }).map((p) => p.name);
    expect(names.indexOf('xl/worksheets/sheet1.xml')).toBeLessThan(names.indexOf('xl/sharedStrings.xml'));
    expect(await read(bytes)).toEqual(expected(TAPE));
  });

  it('reads entries with data descriptors (sizes after the data, as streaming writers produce)', async () => {
    expect(await read(writeXlsx(TAPE, { streaming: true }))).toEqual(expected(TAPE));
    expect(await read(writeXlsx(TAPE, { streaming: true, sheetsFirst: true, level: 0 }), {}, [5])).toEqual(
      expected(TAPE),
    );
  });

  it('yields the same records for any chunking of the bytes and any writer options (property)', async () => {
    const cell: fc.Arbitrary<XlsxCell> = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 12 }),
      fc.constantFrom('&', '<', '>', '"', "'", '&amp;', '_x000D_', ' a ', '\r\n', '数据', '😀'),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.integer(),
      fc.boolean(),
      fc
        .date({ min: new Date(Date.UTC(1904, 0, 1)), max: new Date(Date.UTC(9999, 11, 31)), noInvalidDate: true })
        .map((d) => ({ date: d.toISOString().slice(0, 10) })),
      fc.constant(null),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(cell, { maxLength: 8 }), { maxLength: 12 }),
        fc.record({
          sharedStrings: fc.boolean(),
          sheetsFirst: fc.boolean(),
          streaming: fc.boolean(),
          date1904: fc.boolean(),
          level: fc.constantFrom(0 as const, 6 as const), // 0 = stored: the XML text arrives in the input's chunking
        }),
        fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 6 }),
        async (rows, options, sizes) => {
          const bytes = writeXlsx(rows, options);
          expect(await read(bytes, {}, sizes)).toEqual(expected(rows, options.date1904));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('reads a workbook with thousands of rows across many inflated chunks', async () => {
    const rows: XlsxCell[][] = [['id', 'text', 'amount', 'date']];
    for (let i = 1; i <= 5000; i++)
      rows.push([`L${i}`, `row ${i} ${'x'.repeat(i % 50)}`, i * 1.25, { date: '2030-01-15' }]);
    const records = await read(writeXlsx(rows, { sheetsFirst: true }), {}, [65536, 3, 1000]);
    expect(records).toEqual(expected(rows));
  });
});

describe('readXlsx: cell kinds written by spreadsheets', () => {
  it('uses cached formula values, error text, ISO date cells, rich text without phonetic runs', async () => {
    const xml =
      `<worksheet ${MAIN}><sheetData>` +
      '<row r="1"><c r="A1" t="str"><f>"a"&amp;"b"</f><v>ab</v></c><c r="B1"><f>1+1</f><v>2</v></c>' +
      '<c r="C1"><f t="shared" ref="C1:C2" si="0"/><v>3</v></c><c r="D1" t="e"><f>NA()</f><v>#N/A</v></c>' +
      '<c r="E1" t="e"><v>#DIV/0!</v></c><c r="F1" t="d"><v>2026-10-31T00:00:00</v></c>' +
      '<c r="G1" t="inlineStr"><is><r><rPr><b/></rPr><t>bold</t></r><r><t xml:space="preserve"> and plain</t></r>' +
      '<rPh sb="0" eb="1"><t>PHONETIC</t></rPh></is></c><c r="H1"><f>X()</f></c></row>' +
      '</sheetData></worksheet>';
    const [record] = await read(withSheetXml(xml));
    expect(record).toEqual({ row: 1, cells: ['ab', '2', '3', '#N/A', '#DIV/0!', '2026-10-31', 'bold and plain'] });
  });

  it('writes every number as the shortest round-tripping decimal without exponent', async () => {
    const values = [
      '0.1',
      '1E-7',
      '1.0000000000000001E-7',
      '0.30000000000000004',
      '3.1415926535897931',
      '1E+21',
      '-0',
      '2.5E-3',
      '007',
      '123456789012345678',
    ];
    const xml = `<worksheet ${MAIN}><sheetData><row r="1">${values.map((v) => `<c><v>${v}</v></c>`).join('')}</row></sheetData></worksheet>`;
    const [record] = await read(withSheetXml(xml));
    expect(record!.cells).toEqual([
      '0.1',
      '0.0000001',
      '0.00000010000000000000001',
      '0.30000000000000004',
      '3.141592653589793',
      '1000000000000000000000',
      '0',
      '0.0025',
      '7',
      '123456789012345680',
    ]);
  });

  it('places cells by their column letters, or after the previous cell when r is missing; rows without r follow on', async () => {
    const xml =
      `<worksheet ${MAIN}><sheetData>` +
      '<row r="3"><c r="C3"><v>1</v></c><c><v>2</v></c><c r="AA3"><v>3</v></c></row>' +
      '<row><c r="b4" t="inlineStr"><is><t>lower-case ref</t></is></c></row>' +
      '<row r="6" spans="1:3" customHeight="1"/>' +
      '<row r="7"><c r="A7" s="0"/><c r="B7" t="s"/></row>' +
      '</sheetData></worksheet>';
    const records = await read(withSheetXml(xml));
    const row3 = new Array(27).fill('');
    row3[2] = '1';
    row3[3] = '2';
    row3[26] = '3';
    expect(records).toEqual([
      { row: 3, cells: row3 },
      { row: 4, cells: ['', 'lower-case ref'] },
    ]);
  });

  it('reads prefixed (x:) worksheet XML, entities, OOXML escapes and whitespace between elements', async () => {
    const ns = 'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
    const xml =
      `<?xml version="1.0"?>\r\n<x:worksheet ${ns}>\r\n<x:sheetData>\r\n` +
      '<x:row r="1">\r\n  <x:c r="A1" t="inlineStr">\r\n    <x:is><x:t>a&amp;b &#x1F600; &#233; &lt;&gt;&quot;&apos; _x000D__x005F_x0041_</x:t></x:is>\r\n  </x:c>\r\n' +
      '  <x:c r="B1">\r\n    <x:v>12.5</x:v>\r\n  </x:c>\r\n</x:row>\r\n</x:sheetData>\r\n</x:worksheet>';
    const [record] = await read(withSheetXml(xml));
    expect(record!.cells).toEqual(['a&b 😀 é <>"\' \r_x0041_', '12.5']);
  });

  it('converts cells with a date format (built-in or custom) and leaves other formats as numbers', async () => {
    const rows: XlsxCell[][] = [
      [
        { date: '2026-10-31' },
        { date: '2026-10-31', numFmt: 'yyyy\\-mm\\-dd' },
        { date: '2026-10-31', numFmt: '[$-409]d\\ mmmm\\ yyyy;@' },
        { date: '2026-10-31', numFmt: 'mmm-yy' },
        { number: 0.0425, numFmt: '0.00%' },
        { number: 46326, numFmt: '#,##0 "days"' },
        { number: 46326, numFmt: '[Red]0.00' },
        { number: 0.5, numFmt: 'h:mm' },
      ],
    ];
    const [record] = await read(writeXlsx(rows));
    expect(record!.cells).toEqual([
      '2026-10-31',
      '2026-10-31',
      '2026-10-31',
      '2026-10-31',
      '0.0425',
      '46326',
      '46326',
      '0.5',
    ]);
  });

  it('reads 1900-system serials around the 1900 leap-year bug', async () => {
    const xml =
      `<worksheet ${MAIN}><sheetData><row r="1">` +
      ['1', '59', '60', '61', '46326.75', '46326.9999999'].map((v) => `<c s="1"><v>${v}</v></c>`).join('') +
      '</row></sheetData></worksheet>';
    const [record] = await read(withSheetXml(xml, {}, [[{ date: '2026-10-31' }]]));
    expect(record!.cells).toEqual(['1900-01-01', '1900-02-28', '1900-02-29', '1900-03-01', '2026-10-31', '2026-11-01']);
  });
});

describe('readXlsx: a workbook written by another tool (exceljs)', () => {
  const bytes = new Uint8Array(readFileSync(join(fixtures, 'exceljs-writer.xlsx')));

  it('reads its first sheet, though its workbook.xml is the last entry of the archive', async () => {
    expect(await read(bytes)).toEqual([{ row: 1, cells: ['prepared by', 'issuer & co <test>'] }]);
  });

  it('reads its named tape sheet: formats, dates, formulas, errors, rich text', async () => {
    expect(await read(bytes, { sheet: 'Loans' }, [100])).toEqual([
      { row: 1, cells: ['loanId', 'balance', 'rate', 'maturityDate', 'isFloating', 'tenant', 'ltv'] },
      { row: 2, cells: ['L-001', '1250000.5', '0.0425', '2031-06-30', 'false', 'Hyperscaler "A"', '0.62500025'] },
      { row: 3, cells: ['L-002', '98765432.1', '0.05', '2029-12-31', 'true', 'Über Cloud & Co', '0.987654321'] },
      {
        row: 5,
        cells: ['L-004', '0.0000001', '0.3333333333333333', '1900-03-01', 'true', '  spaced  ', '#N/A', 'rich text'],
      },
    ]);
  });
});

describe('readXlsx: errors', () => {
  it('rejects a file that is not a ZIP, saying so', async () => {
    const error = await readError(encoder.encode('loanId,balance\nL1,100\n'));
    expect(error.code).toBe('XLSX_INVALID');
    expect(error.message).toMatch(/not a ZIP archive.*CSV/);
  });

  it('rejects a legacy .xls / password-protected (OLE2) file with advice', async () => {
    const ole = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]);
    const error = await readError(ole);
    expect(error.code).toBe('XLSX_INVALID');
    expect(error.message).toMatch(/\.xls.*password/);
  });

  it('rejects an empty file', async () => {
    expect((await readError(new Uint8Array(0))).code).toBe('TAPE_EMPTY');
  });

  it('rejects a truncated ZIP wherever it is cut', async () => {
    for (const streaming of [false, true]) {
      const bytes = writeXlsx(TAPE, { streaming });
      for (const cut of [
        3,
        20,
        100,
        Math.floor(bytes.length / 2),
        bytes.length - 200,
        bytes.length - 30,
        bytes.length - 5,
      ]) {
        const error = await readError(bytes.subarray(0, cut));
        expect(error.code, `cut at ${cut}`).toBe('XLSX_INVALID');
        expect(error.message).toMatch(/not a ZIP|truncated/);
      }
    }
  });

  it('rejects corrupt compressed data', async () => {
    const bytes = writeXlsx(TAPE).slice();
    const parts = xlsxParts(TAPE);
    const offset = findBytes(bytes, encoder.encode(parts.at(-1)!.name)) + parts.at(-1)!.name.length + 5;
    for (let i = offset; i < offset + 40; i++) bytes[i] = 0xff;
    const error = await readError(bytes);
    expect(error.code).toBe('XLSX_INVALID');
  });

  it('rejects a zip bomb by its compression ratio without inflating it all', async () => {
    // ≈ 330:1 whatever the size, over the 200:1 limit; the size only has to pass the 1 MiB exemption.
    const streamed = zipBomb(24, true); // 24 MiB of sheet XML in ≈ 75 kB, sizes after the data
    const declared = zipBomb(8, false); // sizes in the local header: refused before inflating
    for (const bomb of [streamed, declared]) {
      expect(bomb.length).toBeLessThan(1_000_000);
      const error = await readError(bomb);
      expect(error.code).toBe('TAPE_LIMIT_EXCEEDED');
      expect(error.message).toMatch(/zip bomb/);
    }
  });

  it('enforces the total uncompressed size and the ratio as configured', async () => {
    const rows: XlsxCell[][] = Array.from({ length: 20_000 }, (_, i) => [
      `L${i}`,
      i,
      'same text',
      { date: '2030-01-01' },
    ]);
    const bytes = writeXlsx(rows);
    expect(await read(bytes)).toHaveLength(20_000);
    const total = await readError(bytes, { limits: { maxUncompressedBytes: 100_000 } });
    expect(total.code).toBe('TAPE_LIMIT_EXCEEDED');
    expect(total.message).toMatch(/more than 100000 bytes/);
    const ratio = await readError(bytes, { limits: { maxCompressionRatio: 3 } });
    expect(ratio.code).toBe('TAPE_LIMIT_EXCEEDED');
    expect(ratio.message).toMatch(/more than 3:1/);
  });

  it('enforces maxColumns, maxFieldChars and maxSharedStrings', async () => {
    const wide = writeXlsx([[...new Array(30).fill(null), 'far']]);
    const columns = await readError(wide, { limits: { maxColumns: 20 } });
    expect(columns.code).toBe('TAPE_LIMIT_EXCEEDED');
    expect(columns.message).toMatch(/Row 1, column AE/);
    expect(columns.row).toBe(1);
    const long = writeXlsx([['h'], ['x'.repeat(500)]], { sharedStrings: false });
    expect((await readError(long, { limits: { maxFieldChars: 100 } })).message).toMatch(
      /Row 2, column A: the cell has 500/,
    );
    const many = writeXlsx([['a', 'b', 'c', 'd']]);
    expect((await readError(many, { limits: { maxSharedStrings: 3 } })).message).toMatch(/more than 3 shared strings/);
    expect(DEFAULT_XLSX_LIMITS).toMatchObject({ maxCompressionRatio: 200, maxUncompressedBytes: 2 ** 31 });
  });

  it('refuses a shared-string table longer than maxSharedStringChars, each string within the field limit', async () => {
    // The bomb in small: many strings, each under maxFieldChars, together over the table's budget.
    const rows = [Array.from({ length: 12 }, (_, i) => `${String.fromCharCode(97 + i)}`.repeat(1000))];
    const bytes = writeXlsx(rows);
    expect(await read(bytes, { limits: { maxSharedStringChars: 12_000 } })).toHaveLength(1);
    const error = await readError(bytes, { limits: { maxSharedStringChars: 10_500 } });
    expect(error.code).toBe('TAPE_LIMIT_EXCEEDED');
    expect(error.message).toMatch(/shared strings hold more than 10500 characters \(reached at shared string #10\)/);
    expect(error.message).toMatch(/split it into several tapes/);
    expect(DEFAULT_XLSX_LIMITS.maxSharedStringChars).toBe(100_000_000);
  });

  it('names the sheets when the requested one does not exist', async () => {
    const bytes = writeXlsx([['a']], { sheetName: 'Cover', moreSheets: [{ name: 'Loans', rows: [['b']] }] });
    const error = await readError(bytes, { sheet: 'Tape' });
    expect(error.code).toBe('XLSX_SHEET_NOT_FOUND');
    expect(error.message).toBe("The workbook has no sheet named 'Tape'; its sheets are: 'Cover', 'Loans'.");
  });

  it('says which workbook part is missing', async () => {
    const without = (name: string): Uint8Array => zipParts(xlsxParts(TAPE).filter((p) => p.name !== name));
    expect((await readError(without('xl/workbook.xml'))).message).toMatch(/no workbook part \(xl\/workbook\.xml\)/);
    expect((await readError(without('xl/_rels/workbook.xml.rels'))).message).toMatch(/workbook relationships/);
    expect((await readError(without('xl/sharedStrings.xml'))).message).toMatch(/shared-string table/);
    expect((await readError(without('xl/worksheets/sheet1.xml'))).message).toMatch(/sheet 'Sheet1'.*missing/);
    expect(await read(without('xl/styles.xml'))).toHaveLength(expected(TAPE).length); // lenient: no dates, still rows
    expect(await read(without('_rels/.rels'))).toEqual(expected(TAPE)); // falls back to xl/workbook.xml
  });

  it('rejects a sheet whose XML ends early', async () => {
    const error = await readError(withSheetXml(`<worksheet ${MAIN}><sheetData><row r="1"><c><v>1</v></c></row>`));
    expect(error.code).toBe('XLSX_INVALID');
    expect(error.message).toMatch(/ends before <\/sheetData>/);
  });

  it('rejects sheet XML that is not UTF-8, in any chunking', async () => {
    const parts = xlsxParts([['x']]);
    part(parts, 'xl/worksheets/sheet1.xml').data = [
      encoder.encode(`<worksheet ${MAIN}><sheetData><row r="1"><c t="inlineStr"><is><t>caf`),
      new Uint8Array([0xe9]), // Latin-1 é
      encoder.encode('</t></is></c></row></sheetData></worksheet>'),
    ];
    for (const level of [0, 6] as const) {
      for (const sizes of [undefined, [1], [7, 3]]) {
        const error = await readError(zipParts(parts, { level }), {}, sizes);
        expect(error.code).toBe('TAPE_ENCODING');
        expect(error.message).toMatch(/xl\/worksheets\/sheet1\.xml is not valid UTF-8/);
      }
    }
  });

  it('rejects a shared-string index beyond the table, naming the cell', async () => {
    const error = await readError(
      withSheetXml(
        `<worksheet ${MAIN}><sheetData><row r="9"><c r="C9" t="s"><v>99</v></c></row></sheetData></worksheet>`,
      ),
    );
    expect(error.message).toMatch(/row 9, column C refers to shared string #99/);
  });

  it('releases the source when the consumer stops early', async () => {
    let released = false;
    const bytes = writeXlsx(TAPE);
    async function* source(): AsyncGenerator<Uint8Array> {
      try {
        for (let i = 0; i < bytes.length; i += 64) yield bytes.slice(i, i + 64);
      } finally {
        released = true;
      }
    }
    for await (const record of readXlsx(source())) {
      expect(record.row).toBe(1);
      break;
    }
    expect(released).toBe(true);
  });
});

function findBytes(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** A workbook whose sheet inflates to `mib` MiB of one repeated cell. */
function zipBomb(mib: number, streaming: boolean): Uint8Array {
  const parts = xlsxParts([['x']]);
  const block = encoder.encode('<c r="A1"><v>0</v></c>'.repeat(Math.ceil((1 << 20) / 22)).slice(0, 1 << 20));
  const sheet = part(parts, 'xl/worksheets/sheet1.xml');
  sheet.data = [
    encoder.encode(`<worksheet ${MAIN}><sheetData><row r="1">`),
    ...new Array<Uint8Array>(mib).fill(block),
    encoder.encode('</row></sheetData></worksheet>'),
  ];
  return zipParts(parts, { streaming, level: 9 });
}
