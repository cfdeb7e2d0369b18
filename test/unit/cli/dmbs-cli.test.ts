import { spawnSync } from 'node:child_process';
import { readFileSync, mkdirSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { createAjv } from '../../../functions/core/schema/ajv.ts';
import reportSchema from '../../../schemas/dmbs-report.v1.schema.json' with { type: 'json' };
import { generateTape, toCsv } from '../../../bench/tape-generator.ts';
import { validRow } from '../../support/rows.ts';
import { tempDir } from '../../support/tape-files.ts';
import { dmbsHere } from '../../support/cli.ts';

// The CLI as a user runs it: the built bin (npm test builds first) for --version, a summary and
// a usage error (the process's exit code and streams); the other checks run its `main` in this
// process (test/support/cli.ts), which prints the same.
const bin = new URL('../../../bin/dmbs.mjs', import.meta.url).pathname;
const dmbs = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, DMBS_DEBUG: '' } });
const tmp = tempDir();
afterAll(() => tmp.cleanup());

const good = tmp.file('good.csv', toCsv([validRow(), validRow({ loanId: 'L-2' })], { columns: Object.keys(validRow()) }));
const { rows } = generateTape({ rows: 200, seed: 4, brokenShare: 0.1 });
const broken = tmp.file('broken.csv', toCsv(rows));

describe('dmbs --version', () => {
  it('prints the package version and exits 0', () => {
    const { version } = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    for (const flag of ['--version', '-v']) {
      const r = dmbs(flag);
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(`dmbs ${version}\n`);
    }
  });
});

describe('npm run gen', () => {
  const gen = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', new URL('../../../bench/gen.ts', import.meta.url).pathname, ...args], { encoding: 'utf8' });

  it('--help prints the options and writes nothing', () => {
    const r = gen('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^usage: npm run gen -- /);
    for (const option of ['--kind', '--rows', '--seed', '--format', '--out', '--broken', '--quoted', '--eol', '--nd-share', '--delimiter', '--facilities']) expect(r.stdout).toContain(option);
  });

  it('--kind compute writes a compute tape of GPU lots, with the planted defects a check finds', async () => {
    const out = `${tmp.dir}/lots.csv`;
    const r = gen('--kind', 'compute', '--rows', '400', '--broken', '0.1', '--quoted', '0.1', '--out', out);
    expect(r.status).toBe(0);
    const check = await dmbsHere('check', out, '--json');
    const report = JSON.parse(check.stdout) as { tape: { kind: string }; validation: { rowCount: number; errors: Array<{ code: string }> } };
    expect(report.tape.kind).toBe('compute');
    expect(report.validation.rowCount).toBe(400); // quoted line breaks inside the borrower cells do not split rows
    const codes = new Set(report.validation.errors.map((f) => f.code));
    for (const code of ['DUPLICATE_ID', 'TYPE', 'FORMAT', 'ENUM', 'REQUIRED', 'CROSS_FIELD']) expect(codes).toContain(code);
    expect(gen('--kind', 'gpu').stderr.split('\n')[0]).toBe('gen: --kind must be loan or compute, not gpu');
  });

  it('an unknown option is one line and the usage, exit 2', () => {
    const r = gen('--bogus');
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe("gen: Unknown option '--bogus'");
    expect(r.stderr).not.toMatch(/\bat \S+ \(/);
  });
});

describe('dmbs check', () => {
  it('exits 0 with a summary for a clean tape', () => {
    const r = dmbs('check', good);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/good\.csv {2}\(csv, 2 rows, reportingDate 2026-10-31\)/);
    expect(r.stdout).toMatch(/2 valid, 0 invalid rows · 0 errors, 0 warnings · data quality/);
    expect(r.stderr).toBe('');
  });

  it('exits 1 and lists the first findings as a table', async () => {
    const r = await dmbsHere('check', broken);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/ROW\s+FIELD\s+CODE\s+MESSAGE/);
    expect(r.stdout).toMatch(/Row \d+, \w+/);
  });

  it('--json prints one dmbs-report/1 document with all findings, valid against its schema', async () => {
    const r = await dmbsHere('check', broken, '--json');
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout);
    const validate = createAjv().compile(reportSchema);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.validation.errors.length).toBe(report.validation.errorCount + report.validation.warningCount);
    expect(report.validation.errorCount).toBeGreaterThan(5);
  });

  it('--max-errors caps the list and --errors-out writes every finding as NDJSON', async () => {
    const out = `${tmp.dir}/errors.ndjson`;
    const r = await dmbsHere('check', broken, '--json', '--max-errors', '3', '--errors-out', out);
    const report = JSON.parse(r.stdout);
    expect(report.validation.errors).toHaveLength(3);
    expect(report.validation.errorsTruncated).toBe(true);
    const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(report.validation.errorCount + report.validation.warningCount);
  });

  it('reads a mapping file (their header -> our field, percent unit)', async () => {
    const row = validRow({ interestRate: '6.5' });
    const headers = { ...Object.fromEntries(Object.keys(row).map((k) => [k, k])), interestRate: 'Coupon %' };
    const tape = tmp.file('mapped.csv', toCsv([row], { columns: Object.keys(row), headers }));
    const mapping = tmp.file('mapping.json', JSON.stringify({ schemaVersion: 'dmbs-column-mapping/1', columns: { 'Coupon %': { field: 'interestRate', unit: 'percent' } } }));
    expect((await dmbsHere('check', tape)).status).toBe(1); // 'Coupon %' is unknown: interestRate missing
    const r = await dmbsHere('check', tape, '--mapping', mapping, '--json');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).tape.columns).toContainEqual({ header: 'Coupon %', field: 'interestRate', matchedBy: 'mapping' });
  });

  it('--criteria overrides limits and --loans-out writes one line per valid loan, without duplicated ids', async () => {
    const criteria = tmp.file('deal.json', JSON.stringify({ concentrations: { C01: { max: 0.05 } } }));
    const loans = `${tmp.dir}/loans.ndjson`;
    const r = await dmbsHere('check', broken, '--json', '--criteria', criteria, '--loans-out', loans);
    const report = JSON.parse(r.stdout);
    expect(report.concentrations.find((t: { id: string }) => t.id === 'C01').limit).toBe('0.050000');
    const lines = readFileSync(loans, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(report.validation.validRowCount);
    expect(new Set(lines.map((l: { loanId: string }) => l.loanId)).size).toBe(lines.length);
    expect(lines.filter((l: { eligible: boolean }) => l.eligible)).toHaveLength(report.eligibility.eligibleCount);
    expect(lines[0]).toMatchObject({ row: expect.any(Number), loanId: expect.any(String), eligible: expect.any(Boolean), failures: expect.any(Array) });
  });

  it('prints eligibility, pool, tests, score and the transition schedule', async () => {
    const r = await dmbsHere('check', broken);
    expect(r.stdout).toMatch(/^eligibility: \d+ eligible, \d+ ineligible/m);
    expect(r.stdout).toMatch(/^ {2}C01 {3}(pass|FAIL)/m);
    expect(r.stdout).toMatch(/^score: [\d.]+ \/ 100 — .* range/m);
    expect(r.stdout).toMatch(/^balance-sheet transition/m);
  });

  it.each([
    ['a bad criteria file', () => [good, '--criteria', tmp.file('c.json', '{"concentrations":{"C01":{"max":2}}}')], /^dmbs: .*c\.json: \/concentrations\/C01\/max/],
    ['a missing file', () => [`${tmp.dir}/nope.csv`], /^dmbs: .*nope\.csv: no such file\n$/],
    ['a directory', () => { mkdirSync(`${tmp.dir}/d`, { recursive: true }); return [`${tmp.dir}/d`]; }, /^dmbs: .*\/d: is a directory, not a tape file\n$/],
    ['an empty file', () => [tmp.file('empty.csv', '')], /^dmbs: .*empty\.csv: the file is empty; a tape needs a header row and one row per loan\n$/],
    ['a header of unknown columns', () => [tmp.file('junk.csv', 'a,b,c\n1,2,3\n')], /^dmbs: .*junk\.csv: row 1 matches no field/],
    ['duplicate columns', () => [tmp.file('dup.csv', 'Loan ID,loan_id\n1,2\n')], /both map to loanId/],
    ['a bad mapping file', () => [good, '--mapping', tmp.file('m.json', '{"schemaVersion":"dmbs-column-mapping/1","columns":{"x":"nope"}}')], /^dmbs: .*m\.json: \/columns\/x: 'nope' is not a field/],
    ['no file', () => [], /^dmbs: check takes exactly one FILE/],
    ['an unknown option', () => [good, '--frobnicate'], /^dmbs: Unknown option '--frobnicate'/],
  ])('exits 2 with one clear line for %s, never a stack trace', async (_name, args, message) => {
    const r = await dmbsHere('check', ...(args() as string[]));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('the process prints a usage error on stderr alone and exits 2', () => {
    const r = dmbs('check', good, '--frobnicate');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^dmbs: Unknown option '--frobnicate'/);
  });
});
