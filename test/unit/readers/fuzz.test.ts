/**
 * Fuzzing (issue 9): random bytes and mutated valid tapes through every reader and through
 * checkTape. Whatever the input, the outcome is a report or a DmbsError (a message for a person),
 * never another exception, and it always terminates. Run counts are bounded to keep CI fast;
 * FUZZ_RUNS raises them.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkTape } from '../../../functions/core/check-tape.ts';
import { isDmbsError } from '../../../functions/core/errors.ts';
import { readCsv } from '../../../functions/core/readers/csv-reader.ts';
import { readNdjson } from '../../../functions/core/readers/ndjson-reader.ts';
import { readXlsx } from '../../../functions/core/readers/xlsx-reader.ts';
import { toCsv, toNdjson, generateTape } from '../../../bench/tape-generator.ts';
import { writeXlsx } from '../../../bench/xlsx-writer.ts';
import { chunked } from '../../support/tape-files.ts';
import { fuzzRuns } from '../../support/fuzz-runs.ts';

const RUNS = fuzzRuns(60);
const { rows } = generateTape({ rows: 6, seed: 11, brokenShare: 0.3 });
const columns = Object.keys(rows[0]!);
const enc = new TextEncoder();
const seeds = {
  csv: enc.encode(toCsv(rows)),
  ndjson: enc.encode(toNdjson(rows)),
  xlsx: writeXlsx([columns, ...rows.map((r) => columns.map((c) => (r as Record<string, string>)[c]!))]),
};

/** Drains a reader; returns 'ok' or the DmbsError code; rethrows anything else. */
async function outcome(run: () => AsyncIterable<unknown> | Promise<unknown>): Promise<string> {
  try {
    const r = run();
    if (Symbol.asyncIterator in (r as object)) for await (const _ of r as AsyncIterable<unknown>) { /* drain */ }
    else await r;
    return 'ok';
  } catch (e) {
    if (isDmbsError(e)) return e.code;
    throw e;
  }
}

/** A valid tape with a few bytes flipped, inserted or cut. */
const mutated = (seed: Uint8Array) =>
  fc.tuple(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('flip', 'insert', 'cut')), { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 4096 }))
    .map(([edits, chunk]) => {
      let bytes = Array.from(seed);
      for (const [at, value, kind] of edits) {
        const i = at % (bytes.length + 1);
        if (kind === 'flip') bytes[i % bytes.length] = value;
        else if (kind === 'insert') bytes.splice(i, 0, value);
        else bytes = bytes.slice(0, i);
      }
      return { bytes: Uint8Array.from(bytes), chunk };
    });

const randomBytes = fc.tuple(fc.uint8Array({ maxLength: 3000 }), fc.integer({ min: 1, max: 512 })).map(([bytes, chunk]) => ({ bytes, chunk }));

const readers = {
  csv: (b: Uint8Array, c: number) => readCsv(chunked(b, c)),
  ndjson: (b: Uint8Array, c: number) => readNdjson(chunked(b, c)),
  xlsx: (b: Uint8Array, c: number) => readXlsx(chunked(b, c)),
};

describe('fuzzing the readers', () => {
  for (const [format, read] of Object.entries(readers)) {
    const seed = seeds[format as keyof typeof seeds];
    it(`${format}: random bytes end in records or a DmbsError`, async () => {
      await fc.assert(fc.asyncProperty(randomBytes, async ({ bytes, chunk }) => {
        expect(await outcome(() => read(bytes, chunk))).toMatch(/^(ok|[A-Z_]+)$/);
      }), { numRuns: RUNS });
    });
    it(`${format}: mutated valid tapes end in records or a DmbsError`, async () => {
      await fc.assert(fc.asyncProperty(mutated(seed), async ({ bytes, chunk }) => {
        expect(await outcome(() => read(bytes, chunk))).toMatch(/^(ok|[A-Z_]+)$/);
      }), { numRuns: RUNS });
    });
  }
});

describe('fuzzing checkTape', () => {
  for (const [format, seed] of Object.entries(seeds)) {
    it(`${format}: mutated tapes give a report or a DmbsError`, async () => {
      await fc.assert(fc.asyncProperty(mutated(seed), async ({ bytes, chunk }) => {
        const o = await outcome(() => checkTape({ fileName: `fuzz.${format}`, open: () => chunked(bytes, chunk) }));
        expect(o).toMatch(/^(ok|[A-Z_]+)$/);
      }), { numRuns: RUNS });
    });
  }
});

/** What issuers' tools and broken exports put in tapes (the v1.1 edge pins), inserted anywhere. */
const SNIPPETS = [
  '0.7999999999999999', '1250000.005', '1e-400', '-1e400', `0.${'0'.repeat(400)}1`, `9${'9'.repeat(30)}`, ',', ',,', ',x', ';',
  '2030-13-01', '2031-02-30', '"', '\n', '\r\n', '\n\n', 'ND2', 'x'.repeat(300), '[[[[', ']', '{', '\\u0041',
  `"notes":${'['.repeat(70)}${']'.repeat(70)},`,
];

const withSnippets = (seed: string) =>
  fc.tuple(fc.array(fc.tuple(fc.nat(), fc.constantFrom(...SNIPPETS), fc.boolean()), { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 4096 }))
    .map(([edits, chunk]) => {
      let text = seed;
      for (const [at, snippet, replace] of edits) {
        const i = at % (text.length + 1);
        // replace: the snippet takes the place of the value there (up to the next delimiter or quote)
        const end = replace ? i + Math.max(0, text.slice(i).search(/[,"\n]/)) : i;
        text = text.slice(0, i) + snippet + text.slice(end);
      }
      return { bytes: enc.encode(text), chunk };
    });

/** The report (minus generatedAt) or the DmbsError code; rethrows anything else. */
async function reportOf(bytes: Uint8Array, fileName: string, chunk: number, ndjsonScan = true): Promise<unknown> {
  try {
    const { report } = await checkTape({ fileName, open: () => chunked(bytes, chunk), now: () => new Date(0), ndjsonScan });
    return report;
  } catch (e) {
    if (isDmbsError(e)) return e.code;
    throw e;
  }
}

describe('fuzzing checkTape with the edge snippets (more digits, numbers beyond range, extra cells, deep nesting)', () => {
  for (const format of ['csv', 'ndjson'] as const) {
    it(`${format}: a report or a DmbsError, the same whatever the chunking${format === 'ndjson' ? ', scanned or parsed' : ''}`, async () => {
      await fc.assert(fc.asyncProperty(withSnippets(new TextDecoder().decode(seeds[format])), async ({ bytes, chunk }) => {
        const whole = await reportOf(bytes, `fuzz.${format}`, 1 << 20);
        expect(await reportOf(bytes, `fuzz.${format}`, chunk)).toEqual(whole);
        if (format === 'ndjson') expect(await reportOf(bytes, 'fuzz.ndjson', chunk, false)).toEqual(whole);
      }), { numRuns: RUNS });
    });
  }
});
