/**
 * The bad-input corpus (issue 9): every file in test/fixtures/bad gets a clear answer from
 * `dmbs check` within bounded time and memory — a report (exit 0/1) with exactly the expected
 * findings, or one line `dmbs: FILE: reason` (exit 2) — and never a stack trace. The corpus files
 * (a few KB each) are checked in this process by the CLI's own `main`, and three of them by the
 * real `dmbs` process too, which must answer byte for byte the same (exit code, stdout, stderr).
 * Large cases are generated here and run as processes with a 512 MB heap cap, to show memory
 * stays bounded.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { writeXlsx } from '../../../bench/xlsx-writer.ts';
import { afterAll, describe, expect, it } from 'vitest';
import { validRow } from '../../support/rows.ts';
import { toCsv } from '../../../bench/tape-generator.ts';
import { tempDir } from '../../support/tape-files.ts';
import { dmbsHere } from '../../support/cli.ts';

const bin = new URL('../../../bin/dmbs.mjs', import.meta.url).pathname;
const dir = new URL('../../fixtures/bad/', import.meta.url).pathname;
const expected: Record<string, { exit: number; stderr?: string; findings?: string[]; findingsInclude?: string[] }> =
  JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8'));
delete (expected as Record<string, unknown>).$comment;

const argv = (args: string[]) => ['--max-old-space-size=512', bin, 'check', ...args];
function dmbs(...args: string[]) {
  return spawnSync(process.execPath, argv(args), { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 << 20 });
}

/** The same, without blocking: the corpus files run a few at a time (each is mostly process start). */
function dmbsAsync(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string; error?: Error }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, argv(args), { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      // An exit code is not an error here (spawnSync's `error` is set only when the process could not run or was killed).
      const failed = error && (error.killed || typeof error.code === 'string') ? error : undefined;
      resolve({ status: child.exitCode, stdout, stderr, ...(failed ? { error: failed } : {}) });
    });
  });
}

/** `dmbs check ARGS` in this process (test/support/cli.ts). */
const checkHere = (...args: string[]) => dmbsHere('check', ...args);

/** The report's one line that differs between two runs. */
const withoutTime = (stdout: string) => stdout.replace(/^ {2}"generatedAt": "[^"]*",\n/m, '');

function findingsOf(stdout: string): string[] {
  const report = JSON.parse(stdout);
  return [...new Set<string>(report.validation.errors.map((e: { row: number; field: string | null; code: string }) => `${e.row}:${e.field ?? '-'}:${e.code}`))].sort();
}

describe('bad-input corpus', () => {
  it('has an expected outcome for every file, and 30 or more files', () => {
    const files = readdirSync(dir).filter((f) => f !== 'expected.json');
    expect(files.sort()).toEqual(Object.keys(expected).sort());
    expect(files.length).toBeGreaterThanOrEqual(30);
  });

  it('the dmbs process answers as the in-process check does: exit 0, 1 and 2', async () => {
    for (const file of ['formula-text.csv', 'duplicate-loan-ids.csv', 'png-renamed.csv']) {
      const path = join(dir, file);
      const [spawned, here] = await Promise.all([dmbsAsync(path, '--json'), checkHere(path, '--json')]);
      expect(spawned.error).toBeUndefined();
      expect(spawned.status).toBe(expected[file]!.exit);
      if (spawned.status === 2) expect(spawned.stdout).toBe('');
      else expect(JSON.parse(spawned.stdout).schemaVersion).toBe('dmbs-report/1');
      expect({ status: spawned.status, stdout: withoutTime(spawned.stdout), stderr: spawned.stderr }).toEqual({ ...here, stdout: withoutTime(here.stdout) });
    }
  });

  it.for(Object.entries(expected))('%s', async ([file, outcome], { expect }) => {
    const r = await checkHere(join(dir, file), '--json');
    expect(r.status, r.stderr).toBe(outcome.exit);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    if (outcome.exit === 2) {
      expect(r.stderr).toMatch(new RegExp(`^dmbs: ${join(dir, file).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: .*${outcome.stderr}`));
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stdout).toBe('');
    } else {
      const got = findingsOf(r.stdout);
      if (outcome.findings) expect(got).toEqual([...outcome.findings].sort());
      for (const f of outcome.findingsInclude ?? []) expect(got).toContain(f);
    }
  });
});

describe('generated bad inputs', () => {
  const tmp = tempDir('dmbs-bad-');
  afterAll(() => tmp.cleanup());
  const row = validRow();
  const cols = Object.keys(row);

  it('10,000 columns: over the column limit, exit 2', async () => {
    const header = [...cols, ...Array.from({ length: 10_000 - cols.length }, (_, i) => `extra${i}`)].join(',');
    const r = await checkHere(tmp.file('wide.csv', `${header}\n`));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^dmbs: .*wide\.csv: Row 1: more columns than the limit of 2000 \(maxColumns\)/);
  });

  it('a 64 MB field: over the field limit, exit 2, without reading it all into memory', () => {
    const path = join(tmp.dir, 'big-field.csv');
    const text = toCsv([row], { columns: cols });
    writeFileSync(path, `${text.trimEnd()}\n"${'x'.repeat(64 << 20)}"\n`);
    const r = dmbs(path);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^dmbs: .*big-field\.csv: Row 3, column 1: a field is longer than the limit of 1048576 characters/);
  });

  it('an XLSX zip bomb is refused quickly, exit 2', () => {
    // A real workbook whose sheet part is replaced by 32 MiB of spaces (compresses ≈ 1000:1, five
    // times the 200:1 limit; more bytes would only make the test slower to build the bomb).
    const parts = unzipSync(writeXlsx([cols, cols.map((c) => row[c]!)]));
    parts['xl/worksheets/sheet1.xml'] = new Uint8Array(32 << 20).fill(0x20);
    const bomb = zipSync(parts, { level: 9 });
    const started = Date.now();
    const r = dmbs(tmp.file('bomb.xlsx', bomb));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^dmbs: .*bomb\.xlsx: .*(compress|ratio)/i);
    expect(Date.now() - started).toBeLessThan(60_000); // bounded (not a speed goal): the process was not killed by the timeout
  });

  it('the limits are configurable: --max-columns and --max-field-chars', async () => {
    const header = [...cols, ...Array.from({ length: 2500 - cols.length }, (_, i) => `extra${i}`)].join(',');
    const wide = tmp.file('wide-ok.csv', `${header}\n${toCsv([row], { columns: cols }).trimEnd().split('\n')[1]}\n`);
    expect((await checkHere(wide)).status).toBe(2);
    expect((await checkHere(wide, '--max-columns', '3000')).status).toBe(0);
    const small = tmp.file('small.csv', toCsv([row], { columns: cols }));
    const r = await checkHere(small, '--max-field-chars', '8');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/longer than the limit of 8 characters \(maxFieldChars\)/);
  });

  it('ten rows of 1 MiB fields: findings carry 200 characters of each value and its length, not the value', () => {
    const big = 'x'.repeat(1 << 20);
    // three 1 MiB cells a row: under the row limit (4 × the field limit)
    const rows = Array.from({ length: 10 }, (_, i) => ({ ...row, loanId: `L-${i}`, dscr: big, ltv: big, market: big }));
    const r = dmbs(tmp.file('big-fields.csv', toCsv(rows, { columns: cols })), '--json');
    expect(r.status, r.stderr).toBe(1);
    const errors = JSON.parse(r.stdout).validation.errors as Array<{ value: string; valueLength?: number; message: string }>;
    expect(errors.length).toBeGreaterThanOrEqual(30);
    for (const e of errors) {
      expect(e.value).toHaveLength(200);
      expect(e.valueLength).toBe(1 << 20);
      expect(e.message).toContain('(1048576 characters)');
    }
  });

  it('a row of fields each under the field limit but together over 4 MiB: over the row limit, exit 2', () => {
    const field = 'y'.repeat(1 << 20);
    const r = dmbs(tmp.file('long-row.csv', `${cols.join(',')}\n${cols.map((c, i) => (i < 5 ? field : row[c])).join(',')}\n`));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^dmbs: .*long-row\.csv: Row 2: the record is longer than the limit of 4194304 characters \(4 × maxFieldChars\)/);
  });

  it('XLSX: a header only is NO_LOANS and an extra cell with a value a ROW_LENGTH error, alike on one thread and two', () => {
    const values = cols.map((c) => row[c]!);
    const header = tmp.file('header-only.xlsx', writeXlsx([cols]));
    const shifted = tmp.file('shifted.xlsx', writeXlsx([cols, [...values, 'shifted'], values.map((v, i) => (i === cols.indexOf('loanId') ? 'L-2' : v))]));
    for (const [file, expected] of [[header, ['1:-:NO_LOANS']], [shifted, ['2:-:ROW_LENGTH']]] as const) {
      for (const workers of ['1', '2']) {
        const r = dmbs(file, '--json', '--workers', workers);
        expect(r.status, `${file} ${workers}: ${r.stderr}`).toBe(1);
        expect(findingsOf(r.stdout)).toEqual(expected);
      }
    }
  });

  it('an NDJSON value nested a million levels deep is a MALFORMED_ROW, not a stack overflow', () => {
    const line = JSON.stringify({ ...row, loanId: 'L-1' }).slice(0, -1);
    const r = dmbs(tmp.file('deep.ndjson', `${line},"notes":${'['.repeat(1e6)}${']'.repeat(1e6)}}\n${JSON.stringify({ ...row, loanId: 'L-2' })}\n`), '--json');
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toBe('');
    expect(findingsOf(r.stdout)).toEqual(['1:-:MALFORMED_ROW']);
    expect(JSON.parse(r.stdout).validation.errors[0].message).toMatch(/nests values more than 64 levels deep/);
  });

  it('a directory and a missing path', async () => {
    mkdirSync(join(tmp.dir, 'folder.csv'));
    expect((await checkHere(join(tmp.dir, 'folder.csv'))).stderr).toMatch(/is a directory/);
    expect((await checkHere(join(tmp.dir, 'nope.csv'))).stderr).toMatch(/no such file/);
  });
});
