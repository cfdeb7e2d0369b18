import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { createAjv } from '../../../functions/core/schema/ajv.ts';
import reportSchema from '../../../schemas/dmbs-report.v1.schema.json' with { type: 'json' };
import { toCsv } from '../../../bench/tape-generator.ts';
import { validRow } from '../../support/rows.ts';
import { tempDir } from '../../support/tape-files.ts';

// `dmbs check TAPE --prior PRIOR` as a user runs it: the built CLI.
const bin = new URL('../../../bin/dmbs.mjs', import.meta.url).pathname;
const dmbs = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, DMBS_DEBUG: '' } });
const tmp = tempDir();
afterAll(() => tmp.cleanup());

const columns = [...Object.keys(validRow()), 'offBalanceSheet'];
const tape = (name: string, rows: Array<Record<string, string>>) => tmp.file(name, toCsv(rows.map((r) => ({ offBalanceSheet: 'false', ...r })), { columns }));
// A balance as annualDebtService x dscr keeps the reported dscr consistent with the cash flow (no warnings in the way).
const prior = tape('2026-09.csv', [
  validRow({ loanId: 'L-1', reportingDate: '2026-09-30' }),
  validRow({ loanId: 'L-2', reportingDate: '2026-09-30', offBalanceSheet: 'true' }),
  validRow({ loanId: 'L-3', reportingDate: '2026-09-30', largestTenantRating: 'A' }),
  validRow({ loanId: 'L-5', reportingDate: '2026-09-30' }),
]);
const current = tape('2026-10.csv', [
  validRow({ loanId: 'L-1', dscr: '1.28', underwrittenNcf: '7488000.00' }), // 1.28 = 0.8 x 1.6: a fall of exactly 20 %
  validRow({ loanId: 'L-2', offBalanceSheet: 'false' }), // back on the balance sheet
  validRow({ loanId: 'L-3', largestTenantRating: 'BBB+' }), // two notches down
  validRow({ loanId: 'L-4', paymentStatus: 'DPD_30' }), // new this month: only the codes that need no prior
  validRow({ loanId: 'L-5' }),
]);

describe('dmbs check --prior', () => {
  it('adds the watchlist against the prior tape, valid against the report schema', () => {
    const r = dmbs('check', current, '--prior', prior, '--json');
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout);
    const validate = createAjv().compile(reportSchema);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.watchlist.priorTape).toMatchObject({ tapeId: null, reportingDate: '2026-09-30', fileName: '2026-09.csv', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(report.watchlist.loans).toEqual([
      { row: 2, loanId: 'L-1', codes: ['W02'] },
      { row: 3, loanId: 'L-2', codes: ['W07'] },
      { row: 4, loanId: 'L-3', codes: ['W06'] },
      { row: 5, loanId: 'L-4', codes: ['W03'] },
    ]);
    expect(report.watchlist).toMatchObject({ loanCount: 4, balance: '360000000.00', share: '0.800000' });
    expect(report.watchlist.countsByCode).toEqual({ W01: 0, W02: 1, W03: 1, W04: 0, W05: 0, W06: 1, W07: 1, W08: 0 });
  });

  it('prints the watchlist for people; thresholds from a file; no --prior, no watchlist', () => {
    const human = dmbs('check', current, '--prior', prior);
    expect(human.stdout).toMatch(/^watchlist against 2026-09\.csv \(2026-09-30\): 4 loans, USD 360,000,000\.00 \(80\.00 %\) · W02 1, W03 1, W06 1, W07 1$/m);
    const strict = tmp.file('w.json', JSON.stringify({ W02: { enabled: false }, W03: { enabled: false } }));
    const r = JSON.parse(dmbs('check', current, '--prior', prior, '--watchlist', strict, '--json').stdout);
    expect(r.watchlist.loans.map((l: { loanId: string }) => l.loanId)).toEqual(['L-2', 'L-3']);
    expect(JSON.parse(dmbs('check', current, '--json').stdout).watchlist).toBeUndefined();
  });

  it('--loans-out with --prior: each loan\'s line carries its watchlist codes', () => {
    const out = `${tmp.dir}/loans.ndjson`;
    expect(dmbs('check', current, '--prior', prior, '--loans-out', out).status).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { loanId: string; watchlist: string[] });
    expect(lines.map((l) => [l.loanId, l.watchlist])).toEqual([['L-1', ['W02']], ['L-2', ['W07']], ['L-3', ['W06']], ['L-4', ['W03']], ['L-5', []]]);
  });

  it('a bad thresholds file or a missing prior is one line, exit 2', () => {
    const bad = tmp.file('bad.json', JSON.stringify({ W02: { fall: 3 } }));
    const r = dmbs('check', current, '--prior', prior, '--watchlist', bad);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/bad\.json: \/W02\/fall: must be <= 1/);
    const missing = dmbs('check', current, '--prior', `${tmp.dir}/nope.csv`);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/nope\.csv: no such file/);
  });
});
