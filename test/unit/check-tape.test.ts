import { describe, expect, it } from 'vitest';
import { checkTape } from '../../functions/core/check-tape.ts';
import { createAjv } from '../../functions/core/schema/ajv.ts';
import reportSchema from '../../schemas/dmbs-report.v1.schema.json' with { type: 'json' };
import { generateTape, toCsv, toNdjson, rng, GENERATED_FIELDS } from '../../bench/tape-generator.ts';
import { FIELDS } from '../../functions/core/schema/loan-tape-schema.ts';
import { chunked } from '../support/tape-files.ts';
import { validRow } from '../support/rows.ts';

const validateReport = createAjv().compile(reportSchema);
const enc = (s: string) => new TextEncoder().encode(s);
const check = (bytes: Uint8Array, fileName: string, chunk = 65536) => checkTape({ fileName, open: () => chunked(bytes, chunk) });

/** An alias (never the canonical name) for each field, in a random style of writing. */
function aliasHeaders(seed: number): Record<string, string> {
  const random = rng(seed);
  const styles = [(s: string) => s, (s: string) => s.toUpperCase(), (s: string) => s.toLowerCase().replace(/ /g, '_'), (s: string) => s.replace(/ /g, '-')];
  return Object.fromEntries(FIELDS.map((f) => {
    const pool = f.aliases.filter((a) => !/[,"\n]/.test(a));
    const a = pool[Math.floor(random() * pool.length)] ?? f.name;
    return [f.name, styles[Math.floor(random() * styles.length)]!(a)];
  }));
}

describe('checkTape on a generated tape with planted defects', () => {
  const { rows, defects } = generateTape({ rows: 3000, seed: 42, brokenShare: 0.04, ndShare: 0.05 });
  // Quoted commas, doubled quotes and line breaks in text fields that carry no defect.
  rows.forEach((r, i) => { if (i % 7 === 3) r.facilityName = `Campus "${i}", Building A\r\nHall ${i % 3}`; if (i % 11 === 5) r.borrower = `Propco, LLC "${i}"`; });
  const expected = [...defects.entries()].map(([i, d]) => `${i + 2}:${d.field}:${d.code}`).sort();
  const random = rng(9);
  const shuffled = [...GENERATED_FIELDS].sort(() => random() - 0.5);

  it('CSV with shuffled aliased headers, CRLF, BOM and quoted cells: exactly the broken rows, spreadsheet numbering', async () => {
    const csv = toCsv(rows, { columns: shuffled, headers: aliasHeaders(5), eol: '\r\n', bom: true });
    const { report, summary } = await check(enc(csv), 'tape.csv', 100_003);
    const errors = report.validation.errors.filter((e) => e.severity === 'error');
    expect(errors.map((e) => `${e.row}:${e.field}:${e.code}`).sort()).toEqual(expected);
    expect(new Set(errors.map((e) => e.row)).size).toBe(defects.size);
    expect(report.validation).toMatchObject({ rowCount: 3000, invalidRowCount: defects.size, validRowCount: 3000 - defects.size });
    expect(report.tape.columns!.every((c) => c.matchedBy === 'alias' || c.matchedBy === 'name')).toBe(true);
    expect(summary.duplicateLoanIds.size).toBeGreaterThan(0);
    expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
  });

  it('NDJSON of the same loans gives the same findings (row = line number = CSV row - 1)', async () => {
    const { report } = await check(enc(toNdjson(rows)), 'tape.ndjson', 4096);
    const errors = report.validation.errors.filter((e) => e.severity === 'error');
    expect(errors.map((e) => `${e.row + 1}:${e.field}:${e.code}`).sort()).toEqual(expected);
  });

  it('gives the same report whatever the chunking', async () => {
    const csv = enc(toCsv(rows.slice(0, 400)));
    const a = await check(csv, 't.csv', 1);
    const b = await check(csv, 't.csv', 1 << 20);
    expect({ ...a.report, generatedAt: 0 }).toEqual({ ...b.report, generatedAt: 0 });
  });
});

describe('checkTape basics', () => {
  it('reports the delimiter, hash and reportingDate', async () => {
    const csv = toCsv([validRow()], { columns: Object.keys(validRow()), delimiter: ';' });
    const { report } = await check(enc(csv), 'semi.csv');
    expect(report.tape).toMatchObject({ delimiter: ';', format: 'csv', reportingDate: '2026-10-31', dealId: null });
    expect(report.tape.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(report.validation).toMatchObject({ rowCount: 1, validRowCount: 1, errorCount: 0 });
  });

  it('detects NDJSON by content and reports broken lines as findings', async () => {
    const text = `${JSON.stringify(validRow())}\n{"loanId": \n[1,2]\n`;
    const { report } = await check(enc(text), 'tape.txt');
    expect(report.tape.format).toBe('ndjson');
    expect(report.validation.errors.map((e) => `${e.row}:${e.code}`)).toEqual(['2:MALFORMED_ROW', '3:MALFORMED_ROW']);
    expect(report.validation).toMatchObject({ rowCount: 3, validRowCount: 1, invalidRowCount: 2 });
  });

  it('refuses an empty file; a file of blank lines or a header only is a NO_LOANS error', async () => {
    await expect(check(enc(''), 'e.csv')).rejects.toMatchObject({ code: 'TAPE_EMPTY' });
    const header = Object.keys(validRow()).join(',');
    for (const [text, name] of [['\ufeff\r\n\r\n', 'e.csv'], [`${header}\n`, 'h.csv'], [`${header}\r\n\r\n\n`, 'hb.csv'], ['\n\n', 'e.ndjson']] as const) {
      const { report } = await check(enc(text), name);
      expect(report.validation.errors.map((e) => `${e.row}:${e.code}:${e.severity}`), name).toEqual(['1:NO_LOANS:error']);
      expect(report.validation, name).toMatchObject({ rowCount: 0, validRowCount: 0, errorCount: 1 });
    }
  });

  it('caps the kept findings but counts them all', async () => {
    const rows = Array.from({ length: 50 }, (_, i) => validRow({ loanId: `L${i}`, sponsor: '' }));
    const seen: unknown[] = [];
    const { report } = await checkTape({ fileName: 'c.csv', maxErrors: 10, open: () => chunked(enc(toCsv(rows, { columns: Object.keys(rows[0]!) })), 999), onFinding: (f) => seen.push(f) });
    expect(report.validation.errors).toHaveLength(10);
    expect(report.validation).toMatchObject({ errorCount: 50, errorsTruncated: true });
    expect(seen).toHaveLength(50);
  });
});

describe('checkTape({ evaluate: false })', () => {
  it('validates exactly as with evaluation, reads the tape once even with duplicated ids, and evaluates nothing', async () => {
    const { rows } = generateTape({ rows: 600, seed: 9, brokenShare: 0.1 });
    const bytes = new TextEncoder().encode(toCsv(rows));
    let opens = 0;
    const open = () => { opens++; return chunked(bytes, 4096); };
    const full = await checkTape({ fileName: 't.csv', open, now: () => new Date(0) });
    expect(full.summary.duplicateLoanIds.size).toBeGreaterThan(0);
    expect(opens).toBe(2);
    opens = 0;
    const evaluations: unknown[] = [];
    const only = await checkTape({ fileName: 't.csv', open, now: () => new Date(0), evaluate: false, onLoanEvaluation: (e) => evaluations.push(e) });
    expect(opens).toBe(1);
    expect(evaluations).toEqual([]);
    expect(only.report.validation).toEqual(full.report.validation);
    expect(only.report.tape).toEqual(full.report.tape);
    expect(only.report.eligibility.eligibleCount + only.report.eligibility.ineligibleCount).toBe(0);
  });
});
