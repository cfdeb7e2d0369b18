/**
 * The NDJSON loanId pre-pass on bytes (ndjson-id-scan.ts) against the same pre-pass on the reader's
 * decoded lines (readNdjsonTexts + quickNdjsonValue, else JSON.parse): on random lines — flat
 * objects with the key once, twice or not at all, escapes, nesting, arrays, numbers, raw control
 * characters, multi-byte text, byte-order marks, blank lines, CRLF, surrounding spaces, malformed
 * JSON — in any chunking, every line gives the same id (but a line with the key twice: its first
 * value, by design), and a line it reads quickly, quickNdjsonValue reads too.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quickNdjsonValue } from '../../support/quick-ndjson-value.ts';
import { scanNdjsonIds } from '../../../functions/core/readers/ndjson-id-scan.ts';
import { readNdjsonTexts } from '../../../functions/core/readers/ndjson-reader.ts';
import { chunked } from '../../support/tape-files.ts';
import { fuzzRuns } from '../../support/fuzz-runs.ts';

const RUNS = fuzzRuns(300);
const KEYS = ['loanId', 'Loan ID'];
const enc = new TextEncoder();

/** The id a line gives: the first key with a string value (parsed), as the pre-pass keeps it. */
function parsedId(text: string): string | undefined {
  try {
    const o = JSON.parse(text) as Record<string, unknown>;
    if (o === null || typeof o !== 'object' || Array.isArray(o)) return undefined;
    for (const k of KEYS) if (typeof o[k] === 'string') return o[k] as string;
  } catch { /* malformed */ }
  return undefined;
}

async function byReader(bytes: Uint8Array, chunk: number) {
  const out: Array<[number, string | undefined, boolean]> = [];
  const end = { rows: 0 };
  for await (const batch of readNdjsonTexts(chunked(bytes, chunk), {}, true, end)) {
    for (const { row, text } of batch) {
      const key = KEYS.find((k) => quickNdjsonValue(text, k) !== undefined);
      out.push(key ? [row, quickNdjsonValue(text, key), true] : [row, parsedId(text), false]);
    }
  }
  return { out, rows: end.rows };
}

async function byBytes(bytes: Uint8Array, chunk: number) {
  const out: Array<[number, string | undefined, boolean]> = [];
  const rows = await scanNdjsonIds(chunked(bytes, chunk), {
    keys: () => KEYS,
    quick: (row, _key, value) => out.push([row, value, true]),
    line: (row, text) => out.push([row, parsedId(text), false]),
  });
  return { out, rows };
}

const id = fc.oneof(fc.stringMatching(/^[A-Za-z0-9._-]{1,10}$/), fc.constantFrom('', ' L-1 ', 'Zürich', '☃𝔘', 'a"b', 'a\\b', 'tab\there', 'nl\nx'));
const member = fc.oneof(
  id.map((v) => ['loanId', v] as [string, unknown]),
  id.map((v) => ['Loan ID', v] as [string, unknown]),
  fc.tuple(fc.constantFrom('x', 'loanIdx', 'a"b', 'é', 'loanId '), fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.array(fc.integer(), { maxLength: 2 }), fc.dictionary(fc.constantFrom('loanId', 'y'), fc.string(), { maxKeys: 1 }))).map(([k, v]) => [k, v] as [string, unknown]),
  fc.constant(['loanId', 12] as [string, unknown]),
);
const line = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(fc.array(member, { maxLength: 4 }), fc.constantFrom('', ' ', '  ')).map(([members, space]) => `{${members.map(([k, v]) => `${space}${JSON.stringify(k)}${space}:${space}${JSON.stringify(v)}`).join(',')}${space}}`) },
  { weight: 1, arbitrary: fc.constantFrom('', '   ', '{', '[1]', '"loanId"', '{"loanId":"A","loanId":"B"}', '{"loanId":"L\u00011"}', '\ufeff{"loanId":"BOM"}', ' {"loanId":"S"} ', '{"loanId":"A"} x', '{"a":{"loanId":"N"},"loanId":"T"}') },
);
const tape = fc.tuple(fc.array(fc.tuple(line, fc.constantFrom('\n', '\r\n')), { maxLength: 20 }), fc.boolean()).map(([lines, lastBreak]) => {
  const text = lines.map(([l, e]) => l + e).join('');
  return lastBreak ? text : text.replace(/\r?\n$/, '');
});

describe('scanNdjsonIds', () => {
  it('gives every line the id the decoded pre-pass gives; a line it reads quickly, quickNdjsonValue reads too', async () => {
    let quick = 0;
    await fc.assert(fc.asyncProperty(tape, fc.integer({ min: 1, max: 48 }), async (text, chunk) => {
      const bytes = enc.encode(text);
      const [scan, reader] = [await byBytes(bytes, chunk), await byReader(bytes, chunk)];
      expect(scan.rows).toBe(reader.rows);
      // A line with a loanId key twice is the one exception, by design: its first value is read.
      const lines = text.split('\n');
      const twice = (row: number) => KEYS.some((k) => lines[row - 1]!.split(JSON.stringify(k)).length > 2);
      const expected = reader.out.filter(([row]) => !twice(row));
      expect(scan.out.filter(([row]) => !twice(row)).map(([row, id]) => [row, id])).toEqual(expected.map(([row, id]) => [row, id]));
      // (a line starting with a byte-order mark is decoded first: the reader's text has it dropped)
      scan.out.forEach(([row, , q], k) => { if (q && !twice(row)) { quick++; expect(reader.out[k]![2]).toBe(true); } });
    }), { numRuns: RUNS });
    expect(quick).toBeGreaterThan(RUNS / 2); // the quick path is exercised
  });

  it('reads flat lines without decoding them, and hands the rest over trimmed', async () => {
    const text = '{"loanId":"L-1","n":1}\r\n\n  {"Loan ID" : "L-2"}\n{"loanId":"a\\"b"}\n{"loanId":1}\n\ufeff{"loanId":"L-3"}';
    const events: unknown[] = [];
    const rows = await scanNdjsonIds(chunked(enc.encode(text), 7), {
      keys: () => KEYS, quick: (row, key, value) => events.push(['quick', row, key, value]), line: (row, t) => events.push(['line', row, t]),
    });
    expect(rows).toBe(6);
    const twice: unknown[] = [];
    await scanNdjsonIds(chunked(enc.encode('{"loanId":"A","loanId":"B"}'), 3), { keys: () => KEYS, quick: (_r, _k, v) => twice.push(v), line: () => twice.push('parsed') });
    expect(twice).toEqual(['A']); // the key twice: the first value (JSON.parse keeps 'B'; the merge then reads the tape again)
    expect(events).toEqual([
      ['quick', 1, 'loanId', 'L-1'], ['quick', 3, 'Loan ID', 'L-2'], ['line', 4, '{"loanId":"a\\"b"}'], ['line', 5, '{"loanId":1}'], ['line', 6, '{"loanId":"L-3"}'],
    ]);
  });
});
