import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DmbsError, TapeReadError } from '../../../functions/core/errors.ts';
import { readCsv, sniffDelimiter, type CsvReaderOptions } from '../../../functions/core/readers/csv-reader.ts';
import type { TapeRecord } from '../../../functions/core/readers/types.ts';
import { fuzzRuns } from '../../support/fuzz-runs.ts';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/** Splits bytes at the given offsets (any order, duplicates allowed). */
function split(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const cut of [...at, bytes.length]) {
    chunks.push(bytes.subarray(start, cut)); // empty chunks included on purpose
    start = cut;
  }
  return chunks;
}

const oneByteChunks = (bytes: Uint8Array): Uint8Array[] => Array.from(bytes, (_, i) => bytes.subarray(i, i + 1));

async function* source(chunks: Uint8Array[], pulled?: { count: number }): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) {
    if (pulled) pulled.count++;
    yield chunk;
  }
}

interface Outcome {
  records: [number, ...string[]][];
  delimiters: string[];
  error?: { code: string; row?: number; message: string; name: string };
}

async function read(input: string | Uint8Array | Uint8Array[], options: Partial<CsvReaderOptions> = {}): Promise<Outcome> {
  const chunks = Array.isArray(input) ? input : [typeof input === 'string' ? utf8(input) : input];
  const outcome: Outcome = { records: [], delimiters: [] };
  try {
    for await (const r of readCsv(source(chunks), { ...options, onDelimiter: (d) => outcome.delimiters.push(d) })) {
      outcome.records.push([r.row, ...r.cells]);
    }
  } catch (error) {
    if (!(error instanceof DmbsError)) throw error;
    outcome.error = { code: error.code, message: error.message, name: error.name, ...(error.row === undefined ? {} : { row: error.row }) };
  }
  return outcome;
}

/** Reads `text` whole, in one-byte chunks and split at every byte; all must agree. Returns the whole read. */
async function readEveryWay(text: string | Uint8Array, options: Partial<CsvReaderOptions> = {}): Promise<Outcome> {
  const bytes = typeof text === 'string' ? utf8(text) : text;
  const whole = await read([bytes], options);
  expect(await read(oneByteChunks(bytes), options)).toEqual(whole);
  for (let i = 1; i < bytes.length; i++) expect(await read(split(bytes, [i]), options)).toEqual(whole);
  return whole;
}

describe('readCsv: csv-spectrum', () => {
  const root = join(import.meta.dirname, '..', '..', '..', 'node_modules', 'csv-spectrum');
  const cases = readdirSync(join(root, 'csvs')).map((file) => basename(file, '.csv'));

  it('has the 12 csv-spectrum files', () => {
    expect(cases).toHaveLength(12);
  });

  it.each(cases)('%s', async (name) => {
    const csv = readFileSync(join(root, 'csvs', `${name}.csv`));
    let expected = JSON.parse(readFileSync(join(root, 'json', `${name}.json`), 'utf8')) as Record<string, string> | Record<string, string>[];
    if (!Array.isArray(expected)) expected = [expected];
    if (name === 'location_coordinates') {
      // Fixture defect in csv-spectrum 2.0.0: the JSON's phone number (1234567890) is not the one in the CSV.
      expect(csv.toString()).toContain('2095257564,');
      expected = expected.map((o) => ({ ...o, 'Contact Phone Number': '2095257564' }));
    }
    const { records, error } = await readEveryWay(new Uint8Array(csv));
    expect(error).toBeUndefined();
    const [header, ...rows] = records.map(([, ...cells]) => cells);
    expect(rows.map((cells) => Object.fromEntries(header!.map((h, i) => [h, cells[i]])))).toEqual(expected);
  });
});

describe('readCsv: line endings', () => {
  const expected = [[1, 'a', 'b'], [2, '1', '2'], [3, '3', '4']];

  it.each([
    ['LF', 'a,b\n1,2\n3,4\n'],
    ['CRLF', 'a,b\r\n1,2\r\n3,4\r\n'],
    ['CR', 'a,b\r1,2\r3,4\r'],
    ['mixed', 'a,b\r\n1,2\r3,4\n'],
    ['no final line break', 'a,b\r\n1,2\r\n3,4'],
  ])('%s', async (_, text) => {
    expect((await readEveryWay(text)).records).toEqual(expected);
  });

  it('keeps quoted line breaks exactly as written', async () => {
    const { records } = await readEveryWay('a,b\r1,"x\r\ny\rz\n"\r\n');
    expect(records).toEqual([[1, 'a', 'b'], [2, '1', 'x\r\ny\rz\n']]);
  });

  it('CR at the end of a chunk and LF at the start of the next are one line break', async () => {
    const { records } = await read([utf8('a,b\r'), utf8('\n1,2\r'), utf8('\n\r'), utf8('\n3,4')]);
    expect(records).toEqual([[1, 'a', 'b'], [2, '1', '2'], [4, '3', '4']]);
  });
});

describe('readCsv: row numbers as a spreadsheet shows them', () => {
  it('counts a record with quoted line breaks as one row', async () => {
    const { records } = await readEveryWay('id,note\n1,"line one\nline two\nline three"\n2,x\n');
    expect(records.map(([row]) => row)).toEqual([1, 2, 3]);
  });

  it('skips blank lines but counts them (LF, CRLF, CR, leading and trailing)', async () => {
    const { records } = await readEveryWay('\na,b\n\n1,"x\n\ny"\r\n\r\n\r2,3\n\n\n');
    expect(records).toEqual([[2, 'a', 'b'], [4, '1', 'x\n\ny'], [7, '2', '3']]);
  });

  it('yields a line of only delimiters, and a quoted empty field, as records', async () => {
    const { records } = await readEveryWay('a,b\n,\n""\n');
    expect(records).toEqual([[1, 'a', 'b'], [2, '', ''], [3, '']]);
  });

  it('gives a trailing delimiter at end of file an empty last field', async () => {
    expect((await readEveryWay('a,b\n1,')).records).toEqual([[1, 'a', 'b'], [2, '1', '']]);
  });

  it('yields nothing for an empty file, a BOM only, or blank lines only', async () => {
    for (const input of [new Uint8Array(0), new Uint8Array([0xef, 0xbb, 0xbf]), utf8('\r\n\n')]) {
      expect((await read([input])).records).toEqual([]);
    }
  });
});

describe('readCsv: quotes', () => {
  it('reads doubled quotes inside quoted fields', async () => {
    expect((await readEveryWay('a\n"say ""hi"""\n""""\n')).records).toEqual([[1, 'a'], [2, 'say "hi"'], [3, '"']]);
  });

  it('is lenient: a quote inside an unquoted field is literal', async () => {
    expect((await readEveryWay('a,b\n1,5" rack,x\n2,ab"c\n')).records).toEqual([[1, 'a', 'b'], [2, '1', '5" rack', 'x'], [3, '2', 'ab"c']]);
  });

  it('is lenient: text after a closing quote is kept literally', async () => {
    expect((await readEveryWay('a,b\n"ab"c,"x""y"z\n')).records).toEqual([[1, 'a', 'b'], [2, 'abc', 'x"yz']]);
  });

  it('an unterminated quote is TAPE_MALFORMED naming the row where it opened; earlier rows come first', async () => {
    const outcome = await readEveryWay('a,b\n1,2\n\n3,"never closed\n4,5\n');
    expect(outcome.records).toEqual([[1, 'a', 'b'], [2, '1', '2']]);
    expect(outcome.error).toMatchObject({ code: 'TAPE_MALFORMED', row: 4, name: 'TapeReadError' });
    expect(outcome.error?.message).toMatch(/^Row 4: a quoted field opened here is never closed \(column 2/);
  });
});

describe('readCsv: encodings', () => {
  it('strips a UTF-8 BOM', async () => {
    const { records } = await readEveryWay(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('id,b\n1,2\n')]));
    expect(records).toEqual([[1, 'id', 'b'], [2, '1', '2']]);
  });

  it('reads multi-byte UTF-8 split across chunks at every byte', async () => {
    const { records } = await readEveryWay('name,city\n"Zürich € 😀",Ørsted\n');
    expect(records).toEqual([[1, 'name', 'city'], [2, 'Zürich € 😀', 'Ørsted']]);
  });

  it.each([
    ['utf-16le', [0xff, 0xfe], (u: number) => [u & 0xff, u >> 8]],
    ['utf-16be', [0xfe, 0xff], (u: number) => [u >> 8, u & 0xff]],
  ] as const)('decodes %s after its BOM, surrogate pairs split anywhere', async (_, bom, unit) => {
    const text = 'a;b\r\n"x;😀";€\r\n';
    const bytes = new Uint8Array([...bom, ...Array.from({ length: text.length }, (_, i) => i).flatMap((i) => unit(text.charCodeAt(i)))]);
    const outcome = await readEveryWay(bytes);
    expect(outcome.records).toEqual([[1, 'a', 'b'], [2, 'x;😀', '€']]);
    expect(outcome.delimiters).toEqual([';']);
  });

  it('invalid UTF-8 is TAPE_ENCODING naming the row that holds it; earlier rows come first', async () => {
    const bytes = new Uint8Array([...utf8('a,b\n1,2\n\n"x\ny",'), 0xc3, 0x28, ...utf8('\n5,6\n')]);
    const outcome = await readEveryWay(bytes);
    expect(outcome.records).toEqual([[1, 'a', 'b'], [2, '1', '2']]);
    expect(outcome.error).toMatchObject({ code: 'TAPE_ENCODING', row: 4 });
    expect(outcome.error?.message).toMatch(/^Row 4: the tape is not valid UTF-8 \(byte 0xC3 at byte offset 15\); save it as UTF-8/);
  });

  it('invalid UTF-8 in the header is row 1; a file cut inside a character names the last row', async () => {
    expect((await readEveryWay(new Uint8Array([0x61, 0xff, 0x0a]))).error).toMatchObject({ code: 'TAPE_ENCODING', row: 1 });
    const cut = await readEveryWay(new Uint8Array([...utf8('a\n\nb\n€'), 0xe2, 0x82]));
    expect(cut.records).toEqual([[1, 'a'], [3, 'b']]);
    expect(cut.error).toMatchObject({ code: 'TAPE_ENCODING', row: 4 });
    expect(cut.error?.message).toContain('ends inside a character at byte offset 8');
  });

  it('an unpaired UTF-16 surrogate is TAPE_ENCODING', async () => {
    const bytes = new Uint8Array([0xff, 0xfe, 0x61, 0, 0x0a, 0, 0x00, 0xdc, 0x0a, 0]);
    const outcome = await readEveryWay(bytes);
    expect(outcome.records).toEqual([[1, 'a']]);
    expect(outcome.error).toMatchObject({ code: 'TAPE_ENCODING', row: 2 });
  });
});

describe('readCsv: delimiter', () => {
  it.each([
    [';', 'loanId;balance;"city, state"\n1;2;3\n'],
    ['\t', 'loanId\tbalance\t"a;b"\n1\t2\t3\n'],
    ['|', 'loanId|balance|note\n1|2|3\n'],
    [',', 'loanId,"a;b;c"\n1,2\n'],
  ])('sniffs %j from the header, outside quotes, even one byte at a time', async (delimiter, text) => {
    const outcome = await readEveryWay(text);
    expect(outcome.delimiters).toEqual([delimiter]);
    expect(outcome.records[0]!.length - 1).toBe(outcome.records[1]!.length - 1);
  });

  it('uses the delimiter given, and reports it', async () => {
    const outcome = await readEveryWay('a,b;c\n1,2;3\n', { delimiter: ';' });
    expect(outcome.delimiters).toEqual([';']);
    expect(outcome.records).toEqual([[1, 'a,b', 'c'], [2, '1,2', '3']]);
  });

  it('sniffs from a header longer than a chunk with quoted line breaks', async () => {
    const header = `"first\nheader";${Array.from({ length: 300 }, (_, i) => `c${i}`).join(';')}\n`;
    const outcome = await read(split(utf8(header + '1;2\n'), [5, 100, 1000]));
    expect(outcome.delimiters).toEqual([';']);
    expect(outcome.records[0]).toHaveLength(302);
  });

  it('rejects a delimiter that cannot work', async () => {
    for (const delimiter of ['"', '\n', ';;', '']) expect((await read('a', { delimiter })).error?.code).toBe('USAGE');
  });
});

describe('sniffDelimiter', () => {
  it.each([
    ['a;b;c', ';'],
    ['a\tb\tc', '\t'],
    ['a|b|c', '|'],
    ['a,b;c', ','], // a tie goes to the comma
    ['"a,b,c";d;e', ';'],
    ['single', ','],
    ['', ','],
    ['\r\n\r\na|b', '|'],
    ['a;b\n1,2,3,4,5', ';'],
    ['a;b"c,d;e', ';'], // a quote inside a field does not open a quoted field
    ['"x"",y";b', ';'],
  ])('%j → %j', (header, expected) => {
    expect(sniffDelimiter(header)).toBe(expected);
  });
});

describe('readCsv: limits', () => {
  it('a field of exactly maxFieldChars passes; one more is TAPE_LIMIT_EXCEEDED naming row and column', async () => {
    expect((await readEveryWay('a,b\n1,"x""y"\n', { maxFieldChars: 3 })).error).toBeUndefined();
    const outcome = await readEveryWay('a,b\n\n1,"x""yz"\n', { maxFieldChars: 3 });
    expect(outcome.error).toMatchObject({ code: 'TAPE_LIMIT_EXCEEDED', row: 3 });
    expect(outcome.error?.message).toMatch(/^Row 3, column 2: a field is longer than the limit of 3 characters \(maxFieldChars\)/);
    expect((await readEveryWay('a,b\n1,abcd\n', { maxFieldChars: 3 })).error).toMatchObject({ code: 'TAPE_LIMIT_EXCEEDED', row: 2 });
  });

  it('a record of 4 × maxFieldChars characters passes; one more is TAPE_LIMIT_EXCEEDED naming the row, however chunked', async () => {
    expect((await readEveryWay('a\nabc,abc,abc,abc\n', { maxFieldChars: 3 })).error).toBeUndefined();
    expect((await readEveryWay('a\n"abc","a""",abc,abc\n', { maxFieldChars: 3 })).error).toBeUndefined();
    for (const text of ['a\n\nabc,abc,abc,abc,a\n', 'a\n\n"abc",abc,abc,abc,"a"\n', 'a\n\nabc,abc,abc,abc,a']) {
      const outcome = await readEveryWay(text, { maxFieldChars: 3 });
      expect(outcome.error, text).toMatchObject({ code: 'TAPE_LIMIT_EXCEEDED', row: 3 });
      expect(outcome.error?.message).toMatch(/^Row 3: the record is longer than the limit of 12 characters \(4 × maxFieldChars\)/);
    }
  });

  it('maxColumns columns pass; one more is TAPE_LIMIT_EXCEEDED naming the row', async () => {
    expect((await readEveryWay('a,b,c\n1,2,3\n', { maxColumns: 3 })).error).toBeUndefined();
    const outcome = await readEveryWay('a,b,c\n1,2,3,\n', { maxColumns: 3 });
    expect(outcome.records).toEqual([[1, 'a', 'b', 'c']]);
    expect(outcome.error).toMatchObject({ code: 'TAPE_LIMIT_EXCEEDED', row: 2 });
    expect(outcome.error?.message).toMatch(/^Row 2: more columns than the limit of 3 \(maxColumns\)/);
  });

  it('stops early on a quote never closed: memory stays bounded whatever the file size', async () => {
    const chunk = utf8('x'.repeat(1 << 16));
    const chunks = [utf8('a\n"'), ...Array.from({ length: 200 }, () => chunk)];
    const pulled = { count: 0 };
    const consume = async () => {
      for await (const _ of readCsv(source(chunks, pulled), { maxFieldChars: 1 << 18 })) void _;
    };
    await expect(consume()).rejects.toBeInstanceOf(TapeReadError);
    expect(pulled.count).toBeLessThan(12);
  });

  it('rejects limits that are not positive whole numbers', async () => {
    for (const limits of [{ maxColumns: 0 }, { maxFieldChars: 1.5 }]) expect((await read('a', limits)).error?.code).toBe('USAGE');
  });
});

// ---------------------------------------------------------------------------------------------
// Property tests: a simple reference writer, random chunkings, read back identically.

const DELIMITERS = [',', ';', '\t', '|'] as const;
const EOLS = ['\r\n', '\n', '\r'] as const;

const cellArb = fc.string({
  unit: fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom('"', ',', ';', '\t', '|', '\r', '\n', ' ', 'a', 'Z', '0', 'é', '€', '😀') },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  ),
  maxLength: 12,
});
const recordArb = fc.array(cellArb, { minLength: 1, maxLength: 6 });
/** A tape: a header of at least 2 cells, then records or blank lines (null), each with its line ending. */
const tapeArb = fc.record({
  header: fc.array(cellArb, { minLength: 2, maxLength: 6 }),
  lines: fc.array(fc.tuple(fc.option(recordArb, { freq: 5 }), fc.constantFrom(...EOLS)), { maxLength: 12 }),
  headerEol: fc.constantFrom(...EOLS),
  leadingBlankLines: fc.nat({ max: 2 }),
  finalEol: fc.boolean(),
  delimiter: fc.constantFrom(...DELIMITERS),
  encoding: fc.constantFrom('utf-8', 'utf-8-bom', 'utf-16le', 'utf-16be'),
});
type Tape = typeof tapeArb extends fc.Arbitrary<infer T> ? T : never;

/** Reference writer: quotes a field holding a quote, line break or any sniffable delimiter (or `quoteAll`). */
function writeTape(tape: Tape): { text: string; expected: [number, ...string[]][] } {
  const field = (cell: string) => (/["\r\n,;\t|]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);
  // One empty cell alone would be an empty (blank) line: write it quoted.
  const line = (cells: string[]) => (cells.length === 1 && cells[0] === '' ? '""' : cells.map(field).join(tape.delimiter));
  const items: [string[] | null, string][] = [
    ...Array.from({ length: tape.leadingBlankLines }, (): [null, string] => [null, '\n']),
    [tape.header, tape.headerEol],
    ...tape.lines,
  ];
  let text = '';
  const expected: [number, ...string[]][] = [];
  items.forEach(([cells, eol], i) => {
    // A blank line that starts with LF right after a CR would merge into one CRLF line break.
    if (cells === null && eol.startsWith('\n') && text.endsWith('\r')) eol = '\r';
    if (cells !== null) {
      text += line(cells);
      expected.push([i + 1, ...cells]);
    }
    if (i < items.length - 1 || tape.finalEol || cells === null) text += eol;
  });
  return { text, expected };
}

function encode(text: string, encoding: Tape['encoding']): Uint8Array {
  if (encoding === 'utf-8') return utf8(text);
  if (encoding === 'utf-8-bom') return utf8('\ufeff' + text);
  const bytes = new Uint8Array(2 + text.length * 2);
  bytes.set(encoding === 'utf-16le' ? [0xff, 0xfe] : [0xfe, 0xff]);
  for (let i = 0; i < text.length; i++) {
    const u = text.charCodeAt(i);
    bytes.set(encoding === 'utf-16le' ? [u & 0xff, u >> 8] : [u >> 8, u & 0xff], 2 + i * 2);
  }
  return bytes;
}

const cutsArb = fc.oneof(fc.array(fc.nat(), { maxLength: 20 }), fc.constant('one-byte' as const));
const chunk = (bytes: Uint8Array, cuts: number[] | 'one-byte') => (cuts === 'one-byte' ? oneByteChunks(bytes) : split(bytes, cuts));

/** More runs when hunting: CSV_PROPERTY_RUNS=20000 npx vitest run test/unit/readers/csv-reader.test.ts */
const RUNS = fuzzRuns(Number(process.env.CSV_PROPERTY_RUNS ?? 400));

describe('readCsv: properties', () => {
  it('reads back what the reference writer wrote, rows included, in any chunking (delimiter sniffed)', async () => {
    await fc.assert(
      fc.asyncProperty(tapeArb, cutsArb, async (tape, cuts) => {
        const { text, expected } = writeTape(tape);
        const outcome = await read(chunk(encode(text, tape.encoding), cuts));
        expect(outcome.error).toBeUndefined();
        expect(outcome.delimiters).toEqual([tape.delimiter]);
        expect(outcome.records).toEqual(expected);
      }),
      { numRuns: RUNS },
    );
  });

  it('reads back minimally quoted fields with the delimiter given, in any chunking', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(recordArb, { minLength: 1, maxLength: 10 }), fc.constantFrom(...DELIMITERS), cutsArb, async (records, delimiter, cuts) => {
        // Quote only what RFC 4180 requires (the delimiter, quotes, line breaks) and a lone empty cell.
        const field = (cell: string) => (cell.includes(delimiter) || /["\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);
        const text = records.map((cells) => (cells.length === 1 && cells[0] === '' ? '""' : cells.map(field).join(delimiter))).join('\r\n');
        const outcome = await read(chunk(utf8(text), cuts), { delimiter });
        expect(outcome.error).toBeUndefined();
        expect(outcome.records).toEqual(records.map((cells, i) => [i + 1, ...cells]));
      }),
      { numRuns: RUNS },
    );
  });

  it('any input, even broken, reads the same (records, then error code and row) in every chunking', async () => {
    const junk = fc.uint8Array({ maxLength: 6 });
    await fc.assert(
      fc.asyncProperty(tapeArb, fc.nat(), junk, cutsArb, async (tape, cutAt, extra, cuts) => {
        const bytes = encode(writeTape(tape).text, tape.encoding);
        const end = cutAt % (bytes.length + 1);
        const broken = new Uint8Array([...bytes.subarray(0, end), ...extra, ...bytes.subarray(end, end + 5)]);
        const options = { maxFieldChars: 10, maxColumns: 5 };
        expect(await read(chunk(broken, cuts), options)).toEqual(await read([broken], options));
      }),
      { numRuns: RUNS },
    );
  });
});

describe('readCsv: sources', () => {
  it('copes with a source that reuses one buffer for every chunk', async () => {
    const bytes = utf8('name,city\n"Zürich 😀",Ørsted\n');
    const reused = Buffer.alloc(3);
    async function* reusing() {
      for (let i = 0; i < bytes.length; i += 3) {
        reused.set(bytes.subarray(i, i + 3));
        yield reused.subarray(0, Math.min(3, bytes.length - i));
        reused.fill(0x41);
      }
    }
    const records: string[][] = [];
    for await (const r of readCsv(reusing())) records.push(r.cells);
    expect(records).toEqual([['name', 'city'], ['Zürich 😀', 'Ørsted']]);
  });

  it('passes on an error of the source after the records before it', async () => {
    async function* failing() {
      yield utf8('a\n1\n2');
      throw new Error('connection reset');
    }
    const rows: number[] = [];
    await expect(async () => {
      for await (const r of readCsv(failing())) rows.push(r.row);
    }).rejects.toThrow('connection reset');
    expect(rows).toEqual([1, 2]);
  });
});

describe('readCsv: record objects', () => {
  it('yields a fresh cells array per record (safe to keep)', async () => {
    const kept: TapeRecord[] = [];
    for await (const r of readCsv(source([utf8('a,b\n1,2\n3,4\n')]))) kept.push(r);
    expect(kept.map((r) => r.cells)).toEqual([['a', 'b'], ['1', '2'], ['3', '4']]);
    expect(new Set(kept.map((r) => r.cells)).size).toBe(3);
  });
});
