import { describe, expect, it } from 'vitest';
import { checkTape, type CheckTapeOptions } from '../../../functions/core/check-tape.ts';
import { checkRange } from '../../../functions/core/parallel/check-range.ts';
import { checkTapeParallel, type RangeRunner } from '../../../functions/core/parallel/check-tape-parallel.ts';
import type { Finding } from '../../../functions/core/generated/report.ts';
import type { DmbsLoan } from '../../../functions/core/generated/loan-tape.ts';
import { buildEvaluationSections, loadCriteria, PoolAccumulator } from '../../../functions/core/evaluation/index.ts';
import { writeXlsx } from '../../../bench/xlsx-writer.ts';
import { generateTape, toCsv, toNdjson, GENERATED_FIELDS, rng } from '../../../bench/tape-generator.ts';
import { chunked } from '../../support/tape-files.ts';

const enc = (s: string) => new TextEncoder().encode(s);

/** Runs ranges in this thread, through structured clone as a worker would receive and return them. */
function inlineRunner(bytes: Uint8Array, chunk = 65536): RangeRunner & { tasks: number } {
  const runner = {
    tasks: 0,
    async run(task: Parameters<RangeRunner['run']>[0], onProgress: Parameters<RangeRunner['run']>[1]) {
      runner.tasks++;
      const t = structuredClone(task);
      const result = await checkRange(t, chunked(bytes.subarray(t.start, t.end), chunk), (bytesRead, rows) => onProgress({ index: t.index, bytesRead, rows }));
      return structuredClone(result);
    },
  };
  return runner;
}

function tapeOf(bytes: Uint8Array) {
  return { size: bytes.length, read: async (offset: number, length: number) => bytes.slice(offset, Math.min(bytes.length, offset + length)) };
}

interface Outcome { report?: unknown; error?: { name: string; code: string; message: string; row?: number }; findings: Finding[] }

/** The full report (minus generatedAt), or the error, plus every finding as streamed. */
async function outcome(bytes: Uint8Array, fileName: string, workers: number, extra: Partial<CheckTapeOptions> = {}, chunk?: number): Promise<Outcome & { tasks: number }> {
  const findings: Finding[] = [];
  const options: CheckTapeOptions = { fileName, open: () => chunked(bytes, 1 << 20), now: () => new Date(0), onFinding: (f) => findings.push(f), ...extra };
  const runner = inlineRunner(bytes, chunk);
  try {
    const result = workers === 1 ? await checkTape(options) : await checkTapeParallel({ ...options, tape: tapeOf(bytes), runner, ranges: workers });
    return { report: result.report, findings, tasks: runner.tasks };
  } catch (e) {
    const err = e as { name: string; code: string; message: string; row?: number };
    return { error: { name: err.name, code: err.code, message: err.message, ...(err.row !== undefined ? { row: err.row } : {}) }, findings, tasks: runner.tasks };
  }
}

/** A generated tape with planted defects (duplicated ids across the whole tape included), quoted line breaks and commas. */
function brokenRows(rows: number, seed: number) {
  const tape = generateTape({ rows, seed, brokenShare: 0.05, ndShare: 0.05 });
  const random = rng(seed + 1);
  tape.rows.forEach((r, i) => {
    const x = random();
    // Quoted line breaks (CRLF and LF), doubled quotes and delimiters inside quotes, many of them, so
    // that some sit right at the nominal split offsets whatever the range count.
    if (x < 0.3) r.facilityName = `Campus "${i}",\r\nBuilding ${'A'.repeat(i % 5)}\n"Hall"`;
    else if (x < 0.4) r.borrower = `"Propco", LLC\n${i}`;
    else if (x < 0.45) r.largestTenantParent = `${r.largestTenantParent}\r\n`;
  });
  return tape;
}

describe('checkTapeParallel gives the report of one pass, for any number of workers', () => {
  const { rows, defects } = brokenRows(2500, 21);
  const crossRange = [...defects.values()].filter((d) => d.code === 'DUPLICATE_ID').length;
  const csv = enc(toCsv(rows, { eol: '\r\n', bom: true }));

  it('CSV with BOM, CRLF, quoted line breaks near split points, duplicated ids across ranges', async () => {
    expect(crossRange).toBeGreaterThan(4);
    const one = await outcome(csv, 'tape.csv', 1);
    expect(one.error).toBeUndefined();
    // the findings compared below name their loans: every DUPLICATE_ID its id, and cell findings too
    const duplicates = one.findings.filter((f) => f.code === 'DUPLICATE_ID');
    expect(duplicates.every((f) => f.loanId === f.value)).toBe(true);
    expect(one.findings.filter((f) => f.code !== 'DUPLICATE_ID' && f.loanId !== undefined).length).toBeGreaterThan(10);
    for (const workers of [2, 3, 5]) {
      const many = await outcome(csv, 'tape.csv', workers);
      // split into `workers` ranges, each read twice: the loanId pre-pass found exactly the
      // duplicated ids the check found (else a third, evaluation-only read would follow)
      expect(many.tasks).toBe(2 * workers);
      expect(many.report).toEqual(one.report);
      expect(many.findings).toEqual(one.findings);
    }
  });

  it('whatever the chunking of each range, and with a cap on the findings kept', async () => {
    const one = await outcome(csv, 'tape.csv', 1, { maxErrors: 7 });
    const many = await outcome(csv, 'tape.csv', 3, { maxErrors: 7 }, 997);
    expect(many.report).toEqual(one.report);
    expect((one.report as { validation: { errorsTruncated?: boolean } }).validation.errorsTruncated).toBe(true);
  });

  it('split points anywhere: every range count from 2 to 12 on a small tape', async () => {
    const small = enc(toCsv(brokenRows(300, 5).rows, { eol: '\n' }));
    const one = await outcome(small, 't.csv', 1);
    for (let workers = 2; workers <= 12; workers++) {
      expect((await outcome(small, 't.csv', workers)).report, `${workers} workers`).toEqual(one.report);
    }
  });

  it('a tape without quotes: speculative split points, verified by the range before them', async () => {
    const plainRows = generateTape({ rows: 1200, seed: 8 }).rows;
    plainRows[1100]!.loanId = plainRows[10]!.loanId;
    plainRows[700]!.sponsor = '';
    const plain = enc(toCsv(plainRows));
    expect(plain.indexOf(0x22)).toBe(-1);
    const one = await outcome(plain, 'plain.csv', 1);
    const many = await outcome(plain, 'plain.csv', 4);
    expect(many.tasks).toBe(8); // 4 ranges, read twice: the loanId pre-pass, then the check (no evaluation pass)
    expect(many.report).toEqual(one.report);
  });

  it('a wrong speculation (a long quoted field without quotes across a split point) falls back to one pass', async () => {
    const some = generateTape({ rows: 200, seed: 9 }).rows;
    // 200 kB of text and line breaks inside one quoted cell; long lines, as each line the range after
    // the wrong split point reads becomes a record (with its findings) that is then thrown away.
    some[100]!.facilityName = `${'Hall '.repeat(20)}\n`.repeat(2000);
    const bytes = enc(toCsv(some));
    const one = await outcome(bytes, 'long.csv', 1);
    const many = await outcome(bytes, 'long.csv', 2);
    expect(many.tasks).toBe(4); // split (pre-pass and check), found wrong by the first range's end, then read in one pass
    expect(many.report).toEqual(one.report);
  });

  it('LF-only, semicolon-delimited, mapped aliases in a shuffled order', async () => {
    const random = rng(3);
    const columns = [...GENERATED_FIELDS].sort(() => random() - 0.5);
    const text = enc(toCsv(rows.slice(0, 800), { columns, delimiter: ';' }));
    const one = await outcome(text, 'semi.csv', 1);
    expect((one.report as { tape: { delimiter: string } }).tape.delimiter).toBe(';');
    expect((await outcome(text, 'semi.csv', 3)).report).toEqual(one.report);
  });

  it('v1.1 edge cases (PRECISION digits, extra cells with a value or blank, underflowing numbers, long values): the same report', async () => {
    const plainRows = generateTape({ rows: 1500, seed: 17 }).rows;
    plainRows.forEach((r, i) => {
      if (i % 13 === 0 && r.dscr.includes('.')) r.dscr = `${r.dscr}${'0'.repeat(15)}1`;
      if (i % 17 === 0 && /\.\d\d$/.test(r.currentBalance)) r.currentBalance = `${r.currentBalance}5`;
      if (i % 19 === 0) r.ltv = `0.${'0'.repeat(400)}1`;
      if (i % 23 === 0) r.maturityDate = '2030-13-01';
      if (i % 29 === 0) r.market = 'M'.repeat(5000);
    });
    const lines = toCsv(plainRows).split('\n');
    for (let i = 5; i < lines.length - 1; i += 31) lines[i] += i % 2 ? ',shifted' : ',,';
    const text = enc(lines.join('\n'));
    const one = await outcome(text, 'edge.csv', 1);
    const codes = new Set(one.findings.map((f) => `${f.code}:${f.severity}`));
    for (const c of ['PRECISION:warning', 'ROW_LENGTH:error', 'ROW_LENGTH:warning', 'TYPE:error', 'FORMAT:error']) expect(codes, c).toContain(c);
    expect(one.findings.some((f) => f.valueLength === 5000)).toBe(true);
    for (const workers of [2, 3]) {
      const many = await outcome(text, 'edge.csv', workers);
      expect(many.report).toEqual(one.report);
      expect(many.findings).toEqual(one.findings);
    }
    // NDJSON: JSON numbers beyond a double's range and with more than 15 digits, scanned or parsed
    const ndLines = toNdjson(plainRows.slice(0, 600)).split('\n').filter(Boolean).map((l, i) => i % 11 === 0
      ? l.replace(/"currentBalance":"[^"]*"/, '"currentBalance":1e-400').replace(/"interestRate":"[^"]*"/, '"interestRate":0.06499999999999999')
      : i % 11 === 5 ? l.replace(/"appraisedValue":"[^"]*"/, '"appraisedValue":1e400').replace('"sponsor":"', '"sponsor":"\\u0041') : l);
    const nd = enc(`${ndLines.join('\n')}\n`);
    const scanned = await outcome(nd, 'edge.ndjson', 1);
    expect(scanned.findings.filter((f) => f.code === 'TYPE').length).toBeGreaterThan(50);
    expect((await outcome(nd, 'edge.ndjson', 1, { ndjsonScan: false })).report).toEqual(scanned.report);
    for (const workers of [2, 3]) expect((await outcome(nd, 'edge.ndjson', workers)).report).toEqual(scanned.report);
  });

  it('a tape without loan rows: NO_LOANS from one pass and from the parallel entry alike', async () => {
    const header = enc(`${GENERATED_FIELDS.join(',')}\n\n`);
    const one = await outcome(header, 'h.csv', 1);
    expect(one.findings.map((f) => f.code)).toEqual(['NO_LOANS']);
    expect((await outcome(header, 'h.csv', 3)).report).toEqual(one.report);
  });

  it('NDJSON with broken lines and unknown keys reported once', async () => {
    const lines = toNdjson(rows).split('\n');
    for (let i = 40; i < lines.length; i += 97) lines[i] = i % 2 ? '{"loanId": ' : JSON.stringify({ ...JSON.parse(lines[i]!), extraKey: 'x', other: 1 });
    const text = enc(lines.join('\n'));
    const one = await outcome(text, 'tape.ndjson', 1);
    for (const workers of [2, 3]) {
      const many = await outcome(text, 'tape.ndjson', workers);
      expect(many.tasks).toBeGreaterThanOrEqual(workers);
      expect(many.report).toEqual(one.report);
      expect(many.findings).toEqual(one.findings);
    }
  });

  it('NDJSON: the loanId pre-pass finds the duplicated ids, so no second read, and lines it cannot read safely change nothing', async () => {
    const plain = enc(toNdjson(rows));
    for (const workers of [2, 3]) {
      const phases: string[] = [];
      const one = await outcome(plain, 'tape.ndjson', 1);
      const many = await outcome(plain, 'tape.ndjson', workers, { onPhase: (p: string) => phases.push(p) } as never);
      expect(many.report).toEqual(one.report);
      expect(many.tasks).toBe(2 * workers); // pre-pass + check: the guess was right
      expect(phases).not.toContain('second pass');
    }
    // Lines the fast read must leave to JSON.parse (escapes, nesting, a key twice, an alias key, a
    // number id, spaces, a BOM, raw control characters) and a nested decoy that would fool a naive search.
    const lines = toNdjson(rows.slice(0, 1200)).split('\n').filter(Boolean);
    const object = (i: number) => JSON.parse(lines[i]!) as Record<string, unknown>;
    const tricky = [
      (i: number) => JSON.stringify({ ...object(i), facilityName: 'Hall \\ "B"' }),
      (i: number) => JSON.stringify({ meta: { loanId: 'DECOY-1' }, ...object(i) }),
      (i: number) => JSON.stringify({ meta: { loanId: String(object(5).loanId) }, ...object(i), loanId: 'X-NESTED' }),
      (i: number) => `${lines[i]!.slice(0, -1)},"loanId":"LAST-WINS"}`,
      (i: number) => { const o = object(i); const id = o.loanId; delete o.loanId; return JSON.stringify({ 'Loan ID': id, ...o }); },
      (i: number) => JSON.stringify({ ...object(i), loanId: 12345 }),
      (i: number) => `  {  "loanId" :  ${JSON.stringify(String(object(i).loanId))} , ${lines[i]!.slice(lines[i]!.indexOf(',') + 1)}`,
      (i: number) => lines[i]!.replace('"loanId":"', '"loanId":"\t'),
      (i: number) => JSON.stringify({ ...object(i), loanId: String(object(7).loanId) }), // a duplicate the fast read sees
      (i: number) => JSON.stringify({ note: '{"loanId":"DECOY-2"}', ...object(i) }),
    ];
    lines[0] = `\ufeff${lines[0]}`;
    for (let i = 30, k = 0; i < lines.length; i += 41, k++) lines[i] = tricky[k % tricky.length]!(i);
    const text = enc(lines.join('\n'));
    const one = await outcome(text, 'tricky.ndjson', 1);
    expect(one.error).toBeUndefined();
    for (const workers of [2, 4]) {
      const many = await outcome(text, 'tricky.ndjson', workers);
      expect(many.report).toEqual(one.report);
      expect(many.findings).toEqual(one.findings);
    }
  });

  it('the second read (rows found valid coerced again, not validated) evaluates exactly the validated loans', async () => {
    const tapes = [
      { name: 't.csv', bytes: csv },
      { name: 't.ndjson', bytes: enc(toNdjson(rows)) },
      { name: 't.xlsx', bytes: writeXlsx([[...GENERATED_FIELDS], ...rows.slice(0, 800).map((r) => GENERATED_FIELDS.map((f) => r[f]))]) },
    ];
    for (const { name, bytes } of tapes) {
      const loans: DmbsLoan[] = [];
      const { report, summary } = await checkTape({ fileName: name, open: () => chunked(bytes, 65536), onLoan: (loan) => loans.push(loan) });
      expect(summary.duplicateLoanIds.size, name).toBeGreaterThan(0);
      const criteria = loadCriteria();
      const acc = new PoolAccumulator(criteria);
      for (const loan of loans) if (!summary.duplicateLoanIds.has(loan.loanId)) acc.add(loan);
      const { eligibility, pool, concentrations, score, balanceSheetTransition, stress } = report;
      expect({ eligibility, pool, concentrations, score, balanceSheetTransition, stress }, name).toEqual(buildEvaluationSections(acc, criteria, report.validation.dataQualityScore));
    }
  });

  it('an error in a later range: the same error, row and findings before it', async () => {
    const text = toCsv(rows.slice(0, 1500));
    const at = Math.floor(text.length * 0.8);
    const nl = text.indexOf('\n', at);
    const bad = new Uint8Array([...enc(text.slice(0, nl + 1)), ...enc('X-1,2026-10-31,'), 0xff, 0xfe, ...enc(text.slice(nl + 1))]);
    const one = await outcome(bad, 'bad.csv', 1);
    expect(one.error?.code).toBe('TAPE_ENCODING');
    const many = await outcome(bad, 'bad.csv', 3);
    expect(many.tasks).toBe(6); // 3 ranges: the loanId pre-pass (which leaves the error to the check), the check
    expect(many.error).toEqual(one.error);
    expect(many.findings).toEqual(one.findings);
  });

  it('a quote never closed in the last range', async () => {
    const text = enc(`${toCsv(rows.slice(0, 900))}X-1,"2026-10-31\nmore,rows\n`);
    const one = await outcome(text, 'q.csv', 1);
    expect(one.error?.code).toBe('TAPE_MALFORMED');
    expect(await outcome(text, 'q.csv', 3)).toMatchObject({ error: one.error, findings: one.findings, tasks: 6 });
  });
});

describe('dates written MM/DD/YYYY across a column', () => {
  it('give one DATE_PATTERN finding with the mapping line; every such row is invalid; the same for any number of ranges', async () => {
    const tape = generateTape({ rows: 3000, seed: 77 });
    for (const r of tape.rows) {
      const [y, m, d] = r.maturityDate.split('-');
      r.maturityDate = `${m}/${d}/${y}`;
    }
    const bytes = enc(toCsv(tape.rows));
    const one = await outcome(bytes, 'us-dates.csv', 1);
    const validation = (one.report as { validation: { errors: Finding[]; errorCount: number; invalidRowCount: number } }).validation;
    const onColumn = validation.errors.filter((f) => f.field === 'maturityDate');
    expect(onColumn).toHaveLength(1);
    expect(onColumn[0]).toMatchObject({ code: 'DATE_PATTERN', row: 2, severity: 'error' });
    expect(onColumn[0]!.message).toContain('is written MM/DD/YYYY, not YYYY-MM-DD');
    expect(onColumn[0]!.message).toContain('"maturityDate": {"field": "maturityDate", "datePattern": "MM/DD/YYYY"}');
    expect(validation).toMatchObject({ errorCount: 1, invalidRowCount: 3000 });
    // With the mapping line the finding gives, every row reads.
    const mapped = await outcome(bytes, 'us-dates.csv', 1, { mapping: { schemaVersion: 'dmbs-column-mapping/1', columns: { maturityDate: { field: 'maturityDate', datePattern: 'MM/DD/YYYY' } } } });
    expect((mapped.report as { validation: { errorCount: number; invalidRowCount: number } }).validation).toMatchObject({ errorCount: 0, invalidRowCount: 0 });
    for (const workers of [2, 3]) {
      const parallel = await outcome(bytes, 'us-dates.csv', workers, {}, 4096);
      expect(parallel.tasks).toBeGreaterThan(0);
      expect(parallel.report).toEqual(one.report);
      expect(parallel.findings).toEqual(one.findings);
    }
  });

  it('a date that is simply wrong stays a FORMAT finding on its row', async () => {
    const tape = generateTape({ rows: 20, seed: 78 });
    tape.rows[3]!.maturityDate = '2031-02-30';
    tape.rows[5]!.maturityDate = 'soon';
    const report = (await outcome(enc(toCsv(tape.rows)), 't.csv', 1)).report as { validation: { errors: Finding[] } };
    expect(report.validation.errors.map((f) => `${f.row}:${f.code}`)).toEqual(['5:FORMAT', '7:FORMAT']);
  });
});
