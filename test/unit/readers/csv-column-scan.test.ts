/**
 * The byte-level column scan of the loanId pre-pass (csv-column-scan.ts) against the CSV reader
 * itself: on random CSV ranges — quoted fields with delimiters, doubled quotes and line breaks
 * inside, text after a closing quote, quotes inside unquoted fields, LF / CR / CRLF, blank lines,
 * short records, multi-byte characters, any chunking — it gives every record's cell of the column
 * exactly as the reader's records hold it, and says the same about where the range ends.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDmbsError } from '../../../functions/core/errors.ts';
import { scanCsvColumn } from '../../../functions/core/readers/csv-column-scan.ts';
import { parseCsvRange } from '../../../functions/core/readers/csv-reader.ts';
import { chunked } from '../../support/tape-files.ts';
import { fuzzRuns } from '../../support/fuzz-runs.ts';

const RUNS = fuzzRuns(300);
const enc = new TextEncoder();

const plain = fc.stringMatching(/^[A-Za-z0-9 ._-]{0,8}$/);
const awkward = fc.constantFrom('', ' ', 'é', 'Zürich ☃', '𝔘x', 'a"b', '""', '"', ';', ',', '\t', ' L-1 ', 'ND1', 'x,y', 'a\nb', 'c\r\nd', 'e\rf');
const cell = fc.oneof(
  { weight: 5, arbitrary: plain.map((s) => ({ raw: s })) },
  { weight: 2, arbitrary: fc.oneof(plain, awkward).map((s) => ({ raw: s.includes(',') || s.includes('\n') || s.includes('\r') || s.startsWith('"') ? quote(s) : s })) },
  { weight: 2, arbitrary: fc.oneof(plain, awkward).map((s) => ({ raw: quote(s) })) },
  { weight: 1, arbitrary: fc.tuple(fc.oneof(plain, awkward), plain).map(([s, tail]) => ({ raw: `${quote(s)}${tail}` })) },
);
const eol = fc.constantFrom('\n', '\r\n', '\r', '\n\n', '\r\n\r\n');
const record = fc.array(cell, { minLength: 1, maxLength: 6 }).map((cells) => cells.map((c) => c.raw).join(','));
const csv = fc.tuple(fc.array(fc.tuple(record, eol), { minLength: 0, maxLength: 25 }), fc.boolean()).map(([records, endsWithBreak]) => {
  let text = records.map(([r, e]) => r + e).join('');
  if (!endsWithBreak && records.length > 0) text = text.replace(/[\r\n]+$/, '');
  return text;
});

function quote(s: string): string {
  return `"${s.replaceAll('"', '""')}"`;
}

/** What the CSV reader gives: cell `column` of each record (undefined when shorter), or its error code. */
async function byReader(bytes: Uint8Array, column: number, last: boolean, chunk: number) {
  const cells: Array<string | undefined> = [];
  try {
    const end = await parseCsvRange(chunked(bytes, chunk), { delimiter: ',', byteOffset: 1, last }, (_row, record) => { cells.push(record[column]); });
    return { cells, atRecordBoundary: last || end.atRecordBoundary };
  } catch (e) {
    if (isDmbsError(e)) return { error: e.code };
    throw e;
  }
}

async function byScan(bytes: Uint8Array, column: number, last: boolean, chunk: number) {
  const cells: Array<string | undefined> = [];
  try {
    const end = await scanCsvColumn(chunked(bytes, chunk), { delimiter: 44, column, last }, (c) => cells.push(c));
    return { cells, atRecordBoundary: last || end.atRecordBoundary };
  } catch (e) {
    if (isDmbsError(e)) return { error: e.code };
    throw e;
  }
}

describe('scanCsvColumn', () => {
  it('gives the cells of a column exactly as the CSV reader reads them', async () => {
    await fc.assert(fc.asyncProperty(csv, fc.integer({ min: 0, max: 4 }), fc.boolean(), fc.integer({ min: 1, max: 64 }), async (text, column, last, chunk) => {
      const bytes = enc.encode(text);
      const reader = await byReader(bytes, column, last, chunk);
      const scan = await byScan(bytes, column, last, chunk);
      if ('error' in reader) {
        // the reader refuses the range (an unclosed quote at the end): the scan must not answer for it
        expect('error' in scan || !scan.atRecordBoundary).toBe(true);
        return;
      }
      expect(scan).toEqual(reader);
    }), { numRuns: RUNS });
  });

  it('reads quoted cells, CRLF, blank lines and short records', async () => {
    const text = 'L-1,a\r\n"L-2",b\n\n"L""3","x\ny"\r"L-4"tail,c\nshort\n,empty\n"L,5",z';
    const scan = await byScan(enc.encode(text), 0, true, 5);
    expect(scan).toEqual({ cells: ['L-1', 'L-2', 'L"3', 'L-4tail', 'short', '', 'L,5'], atRecordBoundary: true });
    expect((await byScan(enc.encode(text), 1, true, 3)).cells).toEqual(['a', 'b', 'x\ny', 'c', undefined, 'empty', 'z']);
  });

  it('says when a range ends inside a record, and refuses an unclosed quote at the end of the file', async () => {
    expect(await byScan(enc.encode('L-1,a\nL-2,"b'), 0, false, 4)).toEqual({ cells: ['L-1'], atRecordBoundary: false });
    expect(await byScan(enc.encode('L-1,a\nL-2,"b'), 0, true, 4)).toEqual({ error: 'TAPE_MALFORMED' });
  });
});
