import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { findRecordStart, firstRecordEnd } from '../../../functions/core/readers/csv-split.ts';
import { readCsvRange } from '../../../functions/core/readers/csv-reader.ts';

const enc = (s: string) => new TextEncoder().encode(s);

/** Byte offsets where records (and blank lines) start, as the reader itself sees them: the truth. */
async function recordStarts(bytes: Uint8Array): Promise<Set<number>> {
  // The reader gives rows, not offsets: find them by reading every prefix that ends at a line break.
  const starts = new Set<number>([0]);
  for (let i = 1; i <= bytes.length; i++) {
    const b = bytes[i - 1];
    if (b !== 0x0a && b !== 0x0d) continue;
    if (b === 0x0d && bytes[i] === 0x0a) continue;
    const end = { rows: 0, atRecordBoundary: true };
    for await (const _ of readCsvRange((async function* () { yield bytes.subarray(0, i); })(), { delimiter: ',', byteOffset: 0, last: false }, end)) { /* drain */ }
    if (end.atRecordBoundary) starts.add(i);
  }
  return starts;
}

const cell = fc.oneof(
  fc.constantFrom('', 'a', 'x y', '"', '""', '"q"', 'a"b', ',', '\n', '\r\n', '\r', '"a\nb"', '"a""\r\n,b"', '"x"y', '"', ' "'),
  fc.string({ maxLength: 4 }),
);
const csvText = fc.tuple(fc.array(fc.array(cell, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 12 }), fc.constantFrom('\n', '\r\n', '\r'))
  .map(([rows, eol]) => rows.map((r) => r.join(',')).join(eol));

describe('findRecordStart (state convergence)', () => {
  it('returns only offsets where the reader starts a record, from any offset', async () => {
    let found = 0;
    await fc.assert(fc.asyncProperty(csvText, async (text) => {
      const bytes = enc(text);
      const truth = await recordStarts(bytes);
      for (let at = 0; at < bytes.length; at++) {
        const q = findRecordStart(bytes.subarray(at), 0x2c);
        if (q >= 0) {
          found++;
          expect(truth.has(at + q), `${JSON.stringify(text)} from ${at}: ${at + q}`).toBe(true);
        }
      }
    }), { numRuns: 300 });
    expect(found).toBeGreaterThan(300);
  });

  it('finds the next record start within a record or two on tape-like text', () => {
    const text = 'id,name,note\r\n1,"Campus, ""A""\r\nHall",x\r\n2,plain,"y\r\n"\r\n3,z,\r\n';
    const bytes = enc(text);
    // from inside the quoted line break of row 2: the true next record is row 3 ("2,plain...")
    const inside = text.indexOf('Hall');
    expect(inside + findRecordStart(bytes.subarray(inside), 0x2c)).toBe(text.indexOf('2,plain'));
    expect(findRecordStart(enc('"""""""""'), 0x2c)).toBe(-1);
  });

  it('firstRecordEnd skips a BOM and blank lines before the header', () => {
    expect(firstRecordEnd(enc('\ufeff\r\n\r\na,"b\nc"\r\nd'), 0x2c)).toBe(enc('\ufeff\r\n\r\na,"b\nc"\r\n').length);
    expect(firstRecordEnd(enc('a,b'), 0x2c)).toBe(-1);
  });
});
