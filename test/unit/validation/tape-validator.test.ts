import { describe, expect, it } from 'vitest';
import { noLoans, TapeValidator } from '../../../functions/core/validation/tape-validator.ts';
import { LOAN_TAPE_VALIDATION } from '../../../functions/core/kinds/loan-tape/validation.ts';
import type { Finding } from '../../../functions/core/generated/report.ts';
import { asRecords, validRow } from '../../support/rows.ts';

function run(rows: Record<string, string>[], header?: string[]) {
  const recs = asRecords(rows);
  const v = new TapeValidator(LOAN_TAPE_VALIDATION);
  const findings: Finding[] = [...v.header(header ?? recs.header)];
  const results = recs.cells.map((cells, i) => v.record(i + 2, cells));
  for (const r of results) findings.push(...r.findings);
  const summary = v.finish();
  findings.push(...summary.lateFindings);
  return { findings, summary, results };
}
const codes = (fs: Finding[]) => fs.map((f) => `${f.row}:${f.field}:${f.code}`);

describe('TapeValidator', () => {
  it('accepts a valid row with no finding', () => {
    const { findings, summary, results } = run([validRow()]);
    expect(findings).toEqual([]);
    expect(summary).toMatchObject({ rowCount: 1, validRowCount: 1, invalidRowCount: 0, errorCount: 0, reportingDate: '2026-10-31' });
    expect(results[0]!.loan).toMatchObject({ loanId: 'L-1', currentBalance: 90000000, dscr: 1.6 });
  });

  it('names row, field, column, value, rule and what to do', () => {
    const { findings } = run([validRow(), validRow({ loanId: 'L-2', maturityDate: '2023-02-30' })], undefined);
    expect(findings).toEqual([{
      row: 3, field: 'maturityDate', code: 'FORMAT', severity: 'error', value: '2023-02-30', loanId: 'L-2',
      message: "Row 3, maturityDate: '2023-02-30' is not a calendar date: there is no day 30 in February 2023 (it has 28 days); check the date.",
    }]);
  });

  it('links an unknown column to the required column it probably is, with the mapping line', () => {
    const rows = [validRow()];
    const header = asRecords(rows).header.map((h) => (h === 'currentBalance' ? 'Curr Bal' : h === 'sponsor' ? 'Notes' : h));
    const { findings } = run(rows, header);
    const unknown = findings.filter((f) => f.code === 'UNKNOWN_COLUMN');
    const byValue = new Map(unknown.map((f) => [f.value, f.message]));
    expect([...byValue.keys()].sort()).toEqual(['Curr Bal', 'Notes']);
    expect(byValue.get('Curr Bal')).toContain('it is probably currentBalance, a required column that is missing: map it ("Curr Bal": "currentBalance" under "columns" in the deal\'s column mapping: `dmbs check --mapping F`, or PUT /v1/deals/{dealId}/mapping)');
    expect(byValue.get('Notes')).not.toContain('probably');
    // the suggestion as a field of its own, for a form to pre-select (none for a header nothing is close to)
    expect(Object.fromEntries(unknown.map((f) => [f.value, f.suggestedField]))).toEqual({ 'Curr Bal': 'currentBalance', Notes: undefined });
    expect(unknown.every((f) => f.loanId === undefined)).toBe(true);
    expect(byValue.get('Notes')).toContain('(map it, or list it under "ignore", in the deal\'s column mapping: `dmbs check --mapping F`, or PUT /v1/deals/{dealId}/mapping)');
    const missing = new Map(findings.filter((f) => f.code === 'MISSING_COLUMN').map((f) => [f.field, f.message]));
    expect([...missing.keys()].sort()).toEqual(['currentBalance', 'sponsor']);
    expect(missing.get('currentBalance')).toContain(`column ${header.indexOf('Curr Bal') + 1} 'Curr Bal' is probably it: map it ("Curr Bal": "currentBalance" under "columns" in the deal's column mapping: \`dmbs check --mapping F\`, or PUT /v1/deals/{dealId}/mapping)`);
    expect(missing.get('sponsor')).not.toContain('probably');
  });

  it('names the tape\'s own column when it differs from the field', () => {
    const rows = [validRow({ maturityDate: 'soon' })];
    const recs = asRecords(rows);
    const header = recs.header.map((h) => (h === 'maturityDate' ? 'Maturity Date' : h));
    const { findings } = run(rows, header);
    expect(findings[0]).toMatchObject({ column: 'Maturity Date', message: "Row 2, maturityDate (column 'Maturity Date'): 'soon' is not a date; use YYYY-MM-DD." });
  });

  it('applies every cross-field rule', () => {
    const { findings } = run([
      validRow({ loanId: 'a', maturityDate: '2024-01-15' }),
      validRow({ loanId: 'b', originationDate: '2026-11-01', maturityDate: '2031-01-01' }),
      validRow({ loanId: 'c', currentBalance: '100000000.01', ltv: '0.666667' }),
      validRow({ loanId: 'd', leasedMw: '60.1' }),
      validRow({ loanId: 'e', commissionedMw: '61' }),
      validRow({ loanId: 'f', region: 'GB-LND' }),
    ]);
    expect(codes(findings)).toEqual(['2:maturityDate:CROSS_FIELD', '3:originationDate:CROSS_FIELD', '4:currentBalance:CROSS_FIELD',
      '5:leasedMw:CROSS_FIELD', '6:commissionedMw:CROSS_FIELD', '7:region:CROSS_FIELD']);
  });

  it('warns (does not invalidate) when dscr or ltv differ from their recomputation by more than 2 %', () => {
    // NCF / DS = 9360000 / 5850000 = 1.6; balance / value = 0.6
    const { findings, summary } = run([
      validRow({ loanId: 'a', dscr: '1.632' }), // exactly 2 %: within
      validRow({ loanId: 'b', dscr: '1.6321' }), // just over
      validRow({ loanId: 'c', ltv: '0.612' }), // exactly 2 %
      validRow({ loanId: 'd', ltv: '0.5879' }), // just over
    ]);
    expect(codes(findings)).toEqual(['3:dscr:RECOMPUTE_MISMATCH', '5:ltv:RECOMPUTE_MISMATCH']);
    expect(findings.every((f) => f.severity === 'warning')).toBe(true);
    expect(summary.validRowCount).toBe(4);
  });

  it('requires index and margin only for FLOATING, and refuses ND codes there', () => {
    const { findings } = run([
      validRow({ loanId: 'a', interestRateType: 'FLOATING', floatingIndex: 'SOFR', marginBps: '250' }),
      validRow({ loanId: 'b', interestRateType: 'FLOATING', floatingIndex: '', marginBps: '250' }),
      validRow({ loanId: 'c', interestRateType: 'FLOATING', floatingIndex: 'ND3', marginBps: '250' }),
      validRow({ loanId: 'd', interestRateType: 'FIXED', floatingIndex: 'ND5', marginBps: '' }),
    ]);
    expect(codes(findings)).toEqual(['3:floatingIndex:REQUIRED', '4:floatingIndex:ND_NOT_ALLOWED']);
    expect(findings[0]!.message).toMatch(/required when interestRateType is FLOATING/);
  });

  it('requires expectedCompletionDate unless OPERATIONAL', () => {
    const { findings } = run([
      validRow({ loanId: 'a', constructionStatus: 'UNDER_CONSTRUCTION', expectedCompletionDate: '2027-06-30' }),
      validRow({ loanId: 'b', constructionStatus: 'COMMISSIONING', expectedCompletionDate: '' }),
    ]);
    expect(codes(findings)).toEqual(['3:expectedCompletionDate:REQUIRED']);
  });

  it('makes every row carrying a duplicated loanId invalid', () => {
    const { findings, summary } = run([validRow({ loanId: 'X' }), validRow({ loanId: 'Y' }), validRow({ loanId: 'X' }), validRow({ loanId: 'X', sponsor: '' })]);
    expect(codes(findings).filter((c) => c.endsWith('DUPLICATE_ID'))).toEqual(['2:loanId:DUPLICATE_ID', '4:loanId:DUPLICATE_ID', '5:loanId:DUPLICATE_ID']);
    expect(summary).toMatchObject({ rowCount: 4, validRowCount: 1, invalidRowCount: 3 });
    expect([...summary.duplicateLoanIds]).toEqual(['X']);
    expect(findings.find((f) => f.code === 'DUPLICATE_ID')!.message).toMatch(/appears on rows 2, 4, 5/);
  });

  it('names the loan of a row\'s findings when its loanId is readable, and of no header or column finding', () => {
    const header = [...asRecords([validRow()]).header, 'Notes'];
    const { findings } = run([
      validRow({ loanId: 'A-1', maturityDate: 'soon' }), // a cell finding
      validRow({ loanId: 'bad id!', dscr: 'x' }), // the loanId itself invalid: no loan named
      validRow({ loanId: 'ND1', ltv: 'x' }), // a no-data code: no loan named
      validRow({ loanId: 'A-2', originationDate: '10/31/2020', maturityDate: '2031-01-01' }), // DATE_PATTERN: about the column
      validRow({ loanId: 'A-1' }), // DUPLICATE_ID on rows 2 and 6
    ].map((r) => ({ ...r, Notes: '' })), header);
    const byCode = findings.map((f) => `${f.row}:${f.code}:${f.loanId ?? '-'}`);
    expect(byCode).toEqual(expect.arrayContaining(['1:UNKNOWN_COLUMN:-', '2:FORMAT:A-1', '3:TYPE:-', '4:TYPE:-', '5:DATE_PATTERN:-', '2:DUPLICATE_ID:A-1', '6:DUPLICATE_ID:A-1']));
    const unnamed = findings.filter((f) => f.row === 3 || f.row === 4);
    expect(unnamed.map((f) => f.field)).toContain('loanId');
    expect(unnamed.every((f) => f.loanId === undefined)).toBe(true);
  });

  it('names the loan on ROW_LENGTH and REPORTING_DATE_MISMATCH findings, not on a MALFORMED_ROW', () => {
    const rows = [validRow({ loanId: 'a' }), validRow({ loanId: 'b', reportingDate: '2026-09-30', originationDate: '2024-01-15' })];
    const recs = asRecords(rows);
    const v = new TapeValidator(LOAN_TAPE_VALIDATION);
    v.header(recs.header);
    v.record(2, recs.cells[0]!);
    expect(v.record(3, recs.cells[1]!).findings.map((f) => [f.code, f.loanId])).toEqual([['REPORTING_DATE_MISMATCH', 'b']]);
    expect(v.record(4, [...recs.cells[0]!.map((c, i) => (i === recs.header.indexOf('loanId') ? 'c' : c)), 'x']).findings.map((f) => [f.code, f.loanId])).toEqual([['ROW_LENGTH', 'c']]);
    const n = new TapeValidator(LOAN_TAPE_VALIDATION);
    expect(n.ndjson(2, '[1, 2]').findings.map((f) => [f.code, f.loanId])).toEqual([['MALFORMED_ROW', undefined]]);
  });

  it('holds one reportingDate per tape (the first row\'s)', () => {
    const { findings, summary } = run([validRow({ loanId: 'a' }), validRow({ loanId: 'b', reportingDate: '2026-09-30', originationDate: '2024-01-15' })]);
    expect(codes(findings)).toEqual(['3:reportingDate:REPORTING_DATE_MISMATCH']);
    expect(summary.validRowCount).toBe(1);
  });

  it('reports a missing required column once and invalidates every row', () => {
    const row = validRow();
    delete row.sponsor;
    const { findings, summary } = run([row, { ...row, loanId: 'L-2' }]);
    expect(codes(findings)).toEqual(['1:sponsor:MISSING_COLUMN']);
    expect(summary).toMatchObject({ validRowCount: 0, invalidRowCount: 2, errorCount: 1 });
  });

  it('warns about case-normalised codes but keeps the row valid', () => {
    const { findings, summary } = run([validRow({ paymentStatus: 'Current', currency: 'usd' })]);
    expect(codes(findings)).toEqual(['2:currency:CASE_NORMALISED', '2:paymentStatus:CASE_NORMALISED']);
    expect(summary.validRowCount).toBe(1);
  });

  it('a code read in upper case that then fails the schema gets the error only, not the case warning too', () => {
    const { findings, summary } = run([validRow({ currency: 'usdx', paymentStatus: 'Current' })]);
    expect(codes(findings)).toEqual(['2:paymentStatus:CASE_NORMALISED', '2:currency:FORMAT']);
    expect(summary).toMatchObject({ validRowCount: 0, errorCount: 1, warningCount: 1 });
  });

  it('reports rows with too few or too many cells', () => {
    const recs = asRecords([validRow()]);
    const v = new TapeValidator(LOAN_TAPE_VALIDATION);
    v.header(recs.header);
    expect(v.record(2, recs.cells[0]!.slice(0, -1)).findings.map((f) => `${f.code}:${f.severity}`)).toEqual(['REQUIRED:error', 'ROW_LENGTH:warning']);
  });

  it('ROW_LENGTH: an extra cell holding a value is an error and the row invalid; extra blank cells a warning', () => {
    const recs = asRecords([validRow(), validRow({ loanId: 'L-2' }), validRow({ loanId: 'L-3' })]);
    const v = new TapeValidator(LOAN_TAPE_VALIDATION);
    v.header(recs.header);
    const shifted = v.record(2, [...recs.cells[0]!, ' extra ']);
    expect(shifted.valid).toBe(false);
    expect(shifted.loan).toBeUndefined();
    expect(shifted.findings).toEqual([expect.objectContaining({ code: 'ROW_LENGTH', severity: 'error', value: 'extra', message: expect.stringMatching(/^Row 2: 'extra' is cell 34, but the header has 33 cells: .*quote values/) })]);
    const trailing = v.record(3, [...recs.cells[1]!, '', ' ']);
    expect(trailing.valid).toBe(true);
    expect(trailing.findings).toEqual([expect.objectContaining({ code: 'ROW_LENGTH', severity: 'warning', value: null })]);
    expect(v.record(4, recs.cells[2]!).findings).toEqual([]);
    expect(v.finish()).toMatchObject({ rowCount: 3, validRowCount: 2, invalidRowCount: 1, errorCount: 1, warningCount: 1 });
  });

  it('NO_LOANS: a header without loan rows is an error on row 1', () => {
    const recs = asRecords([validRow()]);
    const v = new TapeValidator(LOAN_TAPE_VALIDATION);
    v.header(recs.header);
    const empty = noLoans(v.finish());
    expect(empty?.finding).toMatchObject({ row: 1, field: null, code: 'NO_LOANS', severity: 'error' });
    expect(empty?.summary).toMatchObject({ rowCount: 0, errorCount: 1 });
    const full = new TapeValidator(LOAN_TAPE_VALIDATION);
    full.header(recs.header);
    full.record(2, recs.cells[0]!);
    expect(noLoans(full.finish())).toBeUndefined();
  });

  it('scores data quality from x-criticality: ND codes earn part credit, errors none', () => {
    const full = run([validRow()]).summary.dataQuality.result();
    const nd = run([validRow({ pue: 'ND1' })]).summary.dataQuality.result();
    const bad = run([validRow({ pue: '9' })]).summary.dataQuality.result();
    const withValue = run([validRow({ pue: '1.3' })]).summary.dataQuality.result();
    expect(Number(withValue.score)).toBeGreaterThan(Number(nd.score));
    expect(Number(nd.score)).toBeGreaterThan(Number(full.score));
    expect(Number(bad.score)).toBe(Number(full.score));
    expect(nd.fields.find((f) => f.field === 'pue')).toMatchObject({ noData: 1, score: '50.00' });
  });

  it('matches NDJSON keys like headers and treats missing keys as blank', () => {
    const v = new TapeValidator(LOAN_TAPE_VALIDATION);
    const obj = { ...validRow(), 'Current Balance': '90000000.00', __proto__x: 1 } as Record<string, unknown>;
    delete obj.currentBalance;
    obj.dscr = 1.6; // a JSON number
    const r = v.object(1, obj);
    expect(r.findings.map((f) => f.code)).toEqual(['UNKNOWN_COLUMN']);
    expect(r.loan).toMatchObject({ currentBalance: 90000000, dscr: 1.6 });
    const r2 = v.object(2, { loanId: 'L-9' });
    expect(r2.valid).toBe(false);
    expect(r2.findings.filter((f) => f.code === 'REQUIRED').length).toBeGreaterThan(20);
  });

  it('does not pollute prototypes through __proto__ keys', () => {
    const v = new TapeValidator(LOAN_TAPE_VALIDATION);
    const obj = JSON.parse(`{"__proto__": {"polluted": true}, "constructor": "x", "loanId": "L-1"}`);
    v.object(1, obj);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
