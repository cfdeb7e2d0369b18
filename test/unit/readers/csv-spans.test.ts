import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cellText, parseCsv, parseCsvRange, readCsv } from '../../../functions/core/readers/csv-reader.ts';

const enc = (s: string) => new TextEncoder().encode(s);

async function* chunks(bytes: Uint8Array, cuts: number[]): AsyncGenerator<Uint8Array> {
  let at = 0;
  for (const c of [...new Set(cuts.map((x) => x % (bytes.length + 1)))].sort((a, b) => a - b)) {
    if (c > at) yield bytes.subarray(at, c);
    at = Math.max(at, c);
  }
  if (at < bytes.length) yield bytes.subarray(at);
}

type Outcome = { records: Array<[number, ...string[]]>; error?: string };

async function strings(bytes: Uint8Array, cuts: number[], limits = {}): Promise<Outcome> {
  const records: Outcome['records'] = [];
  try {
    for await (const r of readCsv(chunks(bytes, cuts), limits)) records.push([r.row, ...r.cells]);
    return { records };
  } catch (e) {
    return { records, error: (e as Error).message };
  }
}

async function spans(bytes: Uint8Array, cuts: number[], limits = {}): Promise<Outcome> {
  const records: Outcome['records'] = [];
  try {
    await parseCsv(chunks(bytes, cuts), limits, { spans: (row, cells) => {
      const out: [number, ...string[]] = [row];
      for (let k = 0; k < cells.count; k++) out.push(cellText(cells, k));
      records.push(out);
    } });
    return { records };
  } catch (e) {
    return { records, error: (e as Error).message };
  }
}

const cell = fc.oneof(
  fc.constantFrom('', 'a', 'x y', ' pad ', '"', '""', '"q"', '"a,b"', 'a"b', '"a\nb"', '"a""\r\n,b"', '"x"y', '1250000.00', '2026-10-31', 'ND2'),
  fc.string({ maxLength: 6 }),
  fc.string({ unit: 'grapheme', maxLength: 3 }),
);
const tape = fc.tuple(
  fc.array(fc.array(cell, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 10 }),
  fc.constantFrom('\n', '\r\n', '\r'),
  fc.boolean(),
).map(([rows, eol, trailing]) => rows.map((r) => r.join(',')).join(eol) + (trailing ? eol : ''));

describe('CSV span mode (cells read in place) gives exactly the records of string mode', () => {
  it('for any tape and any chunking, errors included', async () => {
    await fc.assert(fc.asyncProperty(tape, fc.array(fc.nat(), { maxLength: 6 }), async (text, cuts) => {
      const bytes = enc(text);
      expect(await spans(bytes, cuts)).toEqual(await strings(bytes, cuts));
    }), { numRuns: 500 });
  });

  it('with tight limits', async () => {
    await fc.assert(fc.asyncProperty(tape, fc.array(fc.nat(), { maxLength: 4 }), async (text, cuts) => {
      const bytes = enc(text);
      const limits = { maxFieldChars: 3, maxColumns: 3 };
      expect(await spans(bytes, cuts, limits)).toEqual(await strings(bytes, cuts, limits));
    }), { numRuns: 300 });
  });

  it('a range reads as the same records, rows counted from its start', async () => {
    const text = 'a,b\n1,"x\ny"\n\n2,3\n';
    const at = text.indexOf('\n\n2') + 1;
    const rows: Array<[number, string[]]> = [];
    const end = await parseCsvRange((async function* () { yield enc(text.slice(at)); })(), { delimiter: ',', byteOffset: at, last: true }, { spans: (row, cells) => {
      rows.push([row, Array.from({ length: cells.count }, (_, k) => cellText(cells, k))]);
    } });
    expect(rows).toEqual([[2, ['2', '3']]]);
    expect(end).toEqual({ rows: 2, atRecordBoundary: true });
  });
});
