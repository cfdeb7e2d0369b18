/**
 * The NDJSON scanner (ndjson-scan.ts; TapeValidator.ndjsonLine) against the JSON.parse path it
 * replaces: it may decline any line, but a line it reads must give exactly what JSON.parse +
 * ndjsonText + object() give — and a whole tape checked with it the same report, findings, loans
 * and errors as with `ndjsonScan: false`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkTape, type CheckTapeOptions } from '../../../functions/core/check-tape.ts';
import { isDmbsError } from '../../../functions/core/errors.ts';
import { parseNdjsonLine } from '../../../functions/core/readers/ndjson-reader.ts';
import { jsonNumberText, memberNumberTokens, memberText, ndjsonMembers, scanFlatObject, ValueKind } from '../../../functions/core/readers/ndjson-scan.ts';
import { ndjsonText, TapeValidator } from '../../../functions/core/validation/tape-validator.ts';
import { LOAN_TAPE_VALIDATION } from '../../../functions/core/kinds/loan-tape/validation.ts';
import { finding } from '../../../functions/core/validation/findings.ts';
import { generateTape } from '../../../bench/tape-generator.ts';
import type { ColumnMapping } from '../../../functions/core/generated/column-mapping.ts';
import { chunked } from '../../support/tape-files.ts';
import { fuzzRuns } from '../../support/fuzz-runs.ts';

const RUNS = fuzzRuns(150);
/** ≈ 1 s each on an idle machine; a shared one has taken over a minute. */
const SLOW_MACHINE_TIMEOUT = 240_000;

describe('scanFlatObject', () => {
  const m = ndjsonMembers(2);

  it('reads a flat object: keys, string spans, number kinds and literals', () => {
    const line = '{ "loanId" : " L-1 ","n":12.5,"z":-0,"e":1e3,"t":true,"f":false,"u":null,"s":"{[x]}" }';
    expect(scanFlatObject(line, m)).toBe(true);
    expect(m.count).toBe(8);
    const keys = Array.from({ length: m.count }, (_, j) => line.slice(m.keyStarts[j], m.keyEnds[j]));
    expect(keys).toEqual(['loanId', 'n', 'z', 'e', 't', 'f', 'u', 's']);
    expect(Array.from(m.kinds.subarray(0, m.count))).toEqual([
      ValueKind.String, ValueKind.Number, ValueKind.NumberOther, ValueKind.NumberOther, ValueKind.True, ValueKind.False, ValueKind.Null, ValueKind.String,
    ]);
    expect(Array.from({ length: m.count }, (_, j) => memberText(m, j))).toEqual(['L-1', '12.5', '0', '1000', 'true', 'false', '', '{[x]}']);
    expect(scanFlatObject('{}', m) && m.count).toBe(0);
  });

  it.each([
    ['an escape', '{"a":"x\\"y"}'],
    ['an escaped key', '{"a\\u0062":1}'],
    ['a raw tab in a string', '{"a":"x\ty"}'],
    ['a tab between tokens', '{"a":\t1}'],
    ['a nested object', '{"a":{"b":1}}'],
    ['an array', '{"a":[1]}'],
    ['an array line', '[1,2]'],
    ['a number line', '42'],
    ['text after the object', '{"a":1} x'],
    ['a second object', '{"a":1}{"b":2}'],
    ['a trailing comma', '{"a":1,}'],
    ['a missing colon', '{"a" 1}'],
    ['a missing comma', '{"a":1 "b":2}'],
    ['a leading zero', '{"a":01}'],
    ['a bare point', '{"a":1.}'],
    ['a leading point', '{"a":.5}'],
    ['a plus sign', '{"a":+1}'],
    ['an empty exponent', '{"a":1e}'],
    ['a bad literal', '{"a":tru}'],
    ['a literal run on', '{"a":truex}'],
    ['NaN', '{"a":NaN}'],
    ['an unterminated string', '{"a":"x}'],
    ['an unterminated object', '{"a":1'],
    ['a single quote', "{'a':1}"],
    ['a no-break space between tokens', '{"a":\u00a01}'],
  ])('is unsure of %s', (_, line) => {
    expect(scanFlatObject(line, m)).toBe(false);
  });

  it('reads a number in place only when its text is numberToText(JSON.parse(text)) (property)', () => {
    const digits = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
    const number = fc.tuple(fc.boolean(), fc.oneof(fc.constant('0'), fc.tuple(fc.constantFrom(...'123456789'), digits(0, 22)).map(([a, b]) => a + b)),
      fc.option(digits(1, 20)), fc.option(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), digits(1, 3))))
      .map(([neg, int, frac, exp]) => `${neg ? '-' : ''}${int}${frac === null ? '' : `.${frac}`}${exp === null ? '' : exp.join('')}`);
    const texts = fc.oneof(number, fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => JSON.stringify(d)), fc.integer().map(String));
    fc.assert(fc.property(texts, (text) => {
      const line = `{"n":${text}}`;
      expect(scanFlatObject(line, m)).toBe(true);
      // the parsed line's text: a number that parsed as 0 or Infinity keeps its own text when beyond a double's range
      const n = JSON.parse(line).n as number;
      const expected = n === 0 || !Number.isFinite(n) ? jsonNumberText(memberNumberTokens(line).get('n')!) : ndjsonText(n);
      expect(memberText(m, 0)).toBe(expected);
      if (m.kinds[0] === ValueKind.Number) expect(text).toBe(expected);
    }), { numRuns: 5000 });
  });

  it('agrees with JSON.parse on every line it reads (property)', () => {
    const value = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 2 }), fc.dictionary(fc.string(), fc.integer(), { maxKeys: 1 }));
    const entries = fc.array(fc.tuple(fc.string(), value), { maxLength: 6 });
    fc.assert(fc.property(entries, fc.constantFrom('', ' ', '  '), (list, sp) => {
      const line = `{${list.map(([k, v]) => `${sp}${JSON.stringify(k)}${sp}:${sp}${JSON.stringify(v)}`).join(',')}${sp}}`;
      if (!scanFlatObject(line, m)) return;
      const parsed = JSON.parse(line) as Record<string, unknown>;
      expect(m.count).toBe(list.length);
      for (let j = 0; j < m.count; j++) {
        const key = line.slice(m.keyStarts[j], m.keyEnds[j]);
        expect(key).toBe(list[j]![0]);
        // The last occurrence of a key is the one JSON.parse keeps (the validator declines a key twice).
        if (list.findLastIndex(([k]) => k === key) === j) expect(memberText(m, j)).toBe(ndjsonText(parsed[key]));
      }
    }), { numRuns: 3000 });
  });
});

// ---------------------------------------------------------------------------------------------
// Tapes: lines built from generated loans, with values and lines in many forms.

const base = generateTape({ rows: 30, seed: 7, brokenShare: 0.3 }).rows as unknown as Record<string, string>[];
const FIELD_NAMES = Object.keys(base[0]!);

/** A JSON number's text, canonical or not. */
const numberText = fc.oneof(
  fc.constantFrom('0', '-0', '0.0', '1.50', '1e3', '1E-7', '-2.5e+2', '100', '123456789012345678', '1e21', '0.1', '-12.25', '0.0000001', '1234567.891', '9007199254740993'),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => JSON.stringify(d)),
  fc.integer({ min: -1e6, max: 1e9 }).map(String),
);

/** The JSON text of a value for field `name` whose generated text is `text`. */
function valueText(text: string): fc.Arbitrary<string> {
  const asNumber = Number(text);
  const numeric = text.trim() !== '' && Number.isFinite(asNumber) && /^-?(0|[1-9]\d*)(\.\d+)?$/.test(text.trim());
  return fc.oneof(
    { weight: 12, arbitrary: fc.constant(JSON.stringify(text)) },
    { weight: numeric ? 4 : 0, arbitrary: fc.constant(text.trim()) }, // the generated decimal as a JSON number, as written (1.50 and all)
    { weight: numeric ? 2 : 0, arbitrary: fc.constant(JSON.stringify(asNumber)) },
    { weight: 1, arbitrary: numberText },
    { weight: 1, arbitrary: fc.constantFrom(' ', '\u00a0', '\u2028', '\ufeff', '\t', '  ').map((s) => JSON.stringify(`${s}${text}${s === ' ' ? '' : s}`)) },
    { weight: 1, arbitrary: fc.constant(JSON.stringify(text.toLowerCase())) },
    { weight: 1, arbitrary: fc.constantFrom('"ND1"', '"nd2"', '" ND3 "', '"ND4-2024-01-31"', '"ND1-2024-01-31"', '"Nd5"') },
    { weight: 1, arbitrary: fc.constantFrom('true', 'false', 'null', '""', '"  "', '"é"', '"日本"', '"😀"', '"a\\"b"', '"a\\\\b"', '"\\u0041BC"', '"x\\ny"', '{"a":1}', '[1,"x"]', '[]', '{}') },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 8 }).map((s) => JSON.stringify(s)) },
    { weight: 1, arbitrary: fc.constantFrom('"a\tb"', '01', '.5', '+1', '1.', 'tru', 'NaN', '"open') }, // not JSON: the line is malformed
  );
}

/** One line of a tape (without its line break). */
const lineArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 20, arbitrary: fc.tuple(
    fc.nat(base.length - 1),
    fc.array(fc.tuple(fc.nat(FIELD_NAMES.length - 1), fc.nat()), { maxLength: 3 }),
    fc.constantFrom('', '', '', ' ', '  '),
    fc.array(fc.constantFrom('unknownKey', 'Loan ID', '1', '0', '__proto__', 'reportingDate', 'loanId', 'dealId', ' loanId', 'Deal ID'), { maxLength: 1 }),
    fc.boolean(),
    fc.constantFrom('', '', '', '\r', ' ', '\ufeff'),
  ).chain(([index, changes, sp, extraKeys, drop, end]) => {
    const row = base[index]!;
    const names = FIELD_NAMES.filter((_, k) => !(drop && changes.some(([c]) => c === k)));
    const changed = new Set(changes.map(([c]) => FIELD_NAMES[c]!));
    return fc.tuple(
      fc.tuple(...names.map((name) => (changed.has(name) ? valueText(row[name]!) : fc.constant(JSON.stringify(row[name]!))))),
      fc.tuple(...extraKeys.map((key) => fc.tuple(fc.constant(key), valueText(key === 'loanId' ? row.loanId! : 'x')))),
      fc.nat(names.length),
    ).map(([values, extra, at]) => {
      const members = names.map((name, k) => `${sp}${JSON.stringify(name)}${sp}:${sp}${values[k]}`);
      members.splice(at, 0, ...extra.map(([k, v]) => `${JSON.stringify(k)}:${v}`));
      return `{${members.join(',')}${sp}}${end}`;
    });
  }) },
  { weight: 1, arbitrary: fc.constantFrom('', '   ', '\ufeff', '[1,2]', '42', '"x"', 'null', '{"loanId":"L-1"', '{"loanId":"L-1"}}', '{"loanId":"L-1",}', 'not json', '{}', '{"a":{"loanId":"L-9"}}') },
);

/** A tape's lines; a few lines repeat (a duplicated loanId: the second read that evaluates without them). */
const tapeArb = fc.tuple(fc.array(lineArb, { minLength: 1, maxLength: 25 }), fc.array(fc.nat(), { maxLength: 2 }), fc.boolean(), fc.integer({ min: 1, max: 700 }))
  .map(([lines, repeats, bom, chunk]) => {
    for (const r of repeats) lines.push(lines[r % lines.length]!);
    return { text: `${bom ? '\ufeff' : ''}${lines.join('\n')}`, chunk };
  });

const MAPPING: ColumnMapping = {
  schemaVersion: 'dmbs-column-mapping/1',
  columns: { 'Loan ID': 'loanId', paymentStatus: { field: 'paymentStatus', values: { C: 'CURRENT' } }, interestRate: { field: 'interestRate', unit: 'percent' } },
  ignore: ['unknownKey'],
};

/** Everything a check of a tape shows: the report, every finding and loan as delivered, or the error. */
async function checked(text: string, chunk: number, options: Partial<CheckTapeOptions>): Promise<unknown> {
  const bytes = new TextEncoder().encode(text);
  const seen: unknown[] = [];
  try {
    const result = await checkTape({
      fileName: 'fuzz.ndjson',
      open: () => chunked(bytes, chunk),
      now: () => new Date(0),
      onFinding: (f) => seen.push(['finding', f]),
      onLoan: (loan, row) => seen.push(['loan', row, loan]),
      onLoanEvaluation: (e) => seen.push(['evaluation', e]),
      onEvaluationRestart: () => seen.push(['restart']),
      ...options,
    });
    return { report: result.report, summary: { ...result.summary, dataQuality: result.summary.dataQuality.counts }, seen };
  } catch (e) {
    if (!isDmbsError(e)) throw e;
    return { error: e.code, message: e.message, seen };
  }
}

describe('checking an NDJSON tape with the scanner gives what JSON.parse gives', () => {
  it('declines a line with a field twice: one key twice, or two keys on one field (COLUMN_DUPLICATE from the parsed line)', () => {
    const v = new TapeValidator(LOAN_TAPE_VALIDATION);
    v.ndjson(1, '{"Loan ID":"A"}');
    v.ndjson(2, '{"loanId":"B"}');
    expect(v.ndjsonLine(3, '{"loanId":"B"}')?.values.loanId).toBe('B');
    expect(v.ndjsonLine(4, '{"loanId":"B","loanId":"C"}')).toBeUndefined();
    expect(v.ndjson(4, '{"loanId":"B","loanId":"C"}').values.loanId).toBe('C');
    expect(v.ndjsonLine(5, '{"loanId":"B","Loan ID":"C"}')).toBeUndefined();
    expect(() => v.ndjson(5, '{"loanId":"B","Loan ID":"C"}')).toThrow(/both map to loanId/);
  });

  it('gives the same report when the scanner backs off after many lines it cannot read, and reads again after', async () => {
    const flat = base.slice(0, 20).map((r) => JSON.stringify(r));
    const nested = base.slice(0, 20).map((r) => JSON.stringify({ ...r, tags: [1] }));
    const lines = [...nested, ...nested, ...nested, ...nested, ...flat, ...nested.slice(0, 3), ...flat, ...flat.map((l) => l.replace('"loanId":"', '"loanId":"X'))];
    const text = lines.join('\n');
    expect(await checked(text, 4096, {})).toEqual(await checked(text, 4096, { ndjsonScan: false }));
  });

  it('declines a key not seen before, so that its UNKNOWN_COLUMN finding comes from the parsed line', () => {
    const v = new TapeValidator(LOAN_TAPE_VALIDATION);
    expect(v.ndjsonLine(1, '{"loanId":"A","colour":"red"}')).toBeUndefined();
    expect(v.ndjson(1, '{"loanId":"A","colour":"red"}').findings.map((f) => f.code)).toContain('UNKNOWN_COLUMN');
    expect(v.ndjsonLine(2, '{"loanId":"B","colour":"red"}')?.findings.map((f) => f.code)).not.toContain('UNKNOWN_COLUMN');
  });

  for (const [name, mapping] of [['no mapping', undefined], ['a mapping', MAPPING]] as const) {
    it(`identical reports, findings, loans and errors, scanner on and off (property; ${name})`, async () => {
      await fc.assert(fc.asyncProperty(tapeArb, async ({ text, chunk }) => {
        const options = mapping ? { mapping } : {};
        const scanned = await checked(text, chunk, options);
        const parsed = await checked(text, chunk, { ...options, ndjsonScan: false });
        expect(scanned).toEqual(parsed);
      }), { numRuns: RUNS, endOnFailure: true }); // no shrinking: a tape is large, and its first failure is already small enough to read
    }, SLOW_MACHINE_TIMEOUT);
  }

  it('line by line: a line the scanner reads validates and yields the loan exactly as the parsed object does, and a good share of lines are read (property)', () => {
    let lines = 0;
    let scannedLines = 0;
    fc.assert(fc.property(tapeArb, ({ text }) => {
      const scanner = new TapeValidator(LOAN_TAPE_VALIDATION, { duplicates: 'collect' });
      const reference = new TapeValidator(LOAN_TAPE_VALIDATION, { duplicates: 'collect' });
      const raws = text.split('\n');
      for (let k = 0; k < raws.length; k++) {
        const row = k + 1;
        const record = parseNdjsonLine(raws[k]!, row); // the reader's JSON.parse path
        if (!record) continue;
        const line = raws[k]!.trim(); // what readNdjsonTexts gives (trim drops a BOM too)
        lines++;
        if (record.error !== undefined) {
          expect(scanner.ndjsonLine(row, line)).toBeUndefined();
          expect(scanner.ndjson(row, line)).toEqual(reference.malformed(row, finding('MALFORMED_ROW', row, null, null, record.error)));
          continue;
        }
        let expected;
        try {
          expected = reference.object(row, record.object);
        } catch (e) {
          expect(scanner.ndjsonLine(row, line)).toBeUndefined();
          expect(() => scanner.ndjson(row, line)).toThrow((e as Error).message); // COLUMN_DUPLICATE ends the check
          return;
        }
        const quick = scanner.ndjsonLine(row, line);
        if (quick) {
          scannedLines++;
          expect(quick).toEqual(expected);
          if (quick.valid) expect(scanner.loanOfNdjson(row, line)).toEqual(reference.loanOfObject(row, record.object));
        } else expect(scanner.ndjson(row, line)).toEqual(expected);
      }
      const a = scanner.finish();
      const b = reference.finish();
      expect({ ...a, dataQuality: a.dataQuality.counts }).toEqual({ ...b, dataQuality: b.dataQuality.counts });
    }), { numRuns: RUNS, endOnFailure: true }); // no shrinking: a tape is large, and its first failure is already small enough to read
    expect(scannedLines / lines).toBeGreaterThan(0.2); // ≈ 0.3: the lines are mostly odd on purpose
  }, SLOW_MACHINE_TIMEOUT);
});
