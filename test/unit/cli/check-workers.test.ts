import { execFile, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { GENERATED_FIELDS, generateTape, rng, toCsv, toNdjson } from '../../../bench/tape-generator.ts';
import { writeXlsx } from '../../../bench/xlsx-writer.ts';
import { COMPUTE_FIELDS, generateComputeTape } from '../../../functions/local/compute-tape-generator.ts';
import { tempDir } from '../../support/tape-files.ts';

// The CLI as a user runs it (the built bin; `npm test` builds first): worker threads for real.
const bin = new URL('../../../bin/dmbs.mjs', import.meta.url).pathname;
/** keepBatchesMb: the XLSX worker's budget for keeping checked batches (check-worker.ts); '0' forces the second read. */
const env = (keepBatchesMb = '128') => ({ ...process.env, DMBS_DEBUG: '', DMBS_KEEP_BATCHES_MB: keepBatchesMb });
const dmbs = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: env() });
const tmp = tempDir();
afterAll(() => tmp.cleanup());

const { rows } = generateTape({ rows: 3000, seed: 77, brokenShare: 0.05, ndShare: 0.05 });
const random = rng(78);
rows.forEach((r, i) => {
  if (random() < 0.25) r.facilityName = `Campus "${i}",\r\nHall ${i % 4}`;
});
const csv = tmp.file('tape.csv', toCsv(rows, { eol: '\r\n', bom: true }));
const ndjson = tmp.file('tape.ndjson', toNdjson(rows));
const xlsx = tmp.file('tape.xlsx', writeXlsx([[...GENERATED_FIELDS], ...rows.map((r) => GENERATED_FIELDS.map((f) => r[f]))]));
// A compute (GPU lot) tape with a lotId on two rows far apart and a bad cell.
const lots = generateComputeTape({ rows: 3000, seed: 9 });
lots[2900]!.lotId = lots[5]!.lotId;
lots[1500]!.unitCount = 'many';
const computeCsv = tmp.file('lots.csv', toCsv(lots, { columns: COMPUTE_FIELDS }));

/** `dmbs check FILE --workers N`, not blocking: the runs a test compares go at once (each is mostly process and thread start). */
async function check(file: string, workers: number, keepBatchesMb?: string) {
  const errors = `${tmp.dir}/errors-${workers}-${keepBatchesMb ?? ''}-${file.split('/').pop()}.ndjson`;
  const args = [bin, 'check', file, '--json', '--workers', String(workers), '--errors-out', errors];
  const r = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = execFile(process.execPath, args, { encoding: 'utf8', env: env(keepBatchesMb), maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      if (error && (error.killed || typeof error.code === 'string')) reject(error);
      else resolve({ status: child.exitCode, stdout, stderr });
    });
  });
  const report = JSON.parse(r.stdout) as { generatedAt?: string };
  delete report.generatedAt;
  return { status: r.status, stderr: r.stderr, report, errors: readFileSync(errors, 'utf8') };
}

describe('dmbs check --workers N: the same report and findings for any N (worker threads)', () => {
  for (const file of [csv, ndjson, xlsx, computeCsv]) {
    const name = file === computeCsv ? 'a compute tape (CSV, a duplicated lotId): ranges checked as the compute kind'
      : { csv: 'CSV with BOM, CRLF, quoted line breaks and duplicated ids', ndjson: 'NDJSON', xlsx: 'XLSX (read here, checked by a worker)' }[file.split('.').pop()!];
    it(name!, async () => {
      const [one, ...others] = await Promise.all([1, 2, 3].map((workers) => check(file, workers)));
      expect(one!.status).toBe(1);
      expect(one!.stderr).toBe('');
      for (const many of others) {
        expect(many.stderr).toBe('');
        expect(many.status).toBe(one!.status);
        expect(many.report).toEqual(one!.report);
        expect(many.errors).toBe(one!.errors);
      }
    });
  }

  it('XLSX with duplicated ids gives the same report whether the worker kept its batches or the tape is read again', async () => {
    const [one, again, kept] = await Promise.all([check(xlsx, 1), check(xlsx, 2, '0'), check(xlsx, 2)]);
    expect(one!.errors).toContain('DUPLICATE_ID');
    expect(again!.report).toEqual(one!.report);
    expect(again!.errors).toBe(one!.errors);
    expect(kept!.report).toEqual(one!.report);
  });

  it('a compute tape is cut into ranges (not read in one pass)', () => {
    const r = spawnSync(process.execPath, [bin, 'check', computeCsv, '--json', '--workers', '2'], { encoding: 'utf8', env: { ...env(), DMBS_PHASES: '1' } });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^phase ranges \d+ ms$/m);
    expect(JSON.parse(r.stdout).tape.kind).toBe('compute');
  });

  it('refuses --workers 0', () => {
    const r = dmbs('check', csv, '--workers', '0');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--workers/);
  });
});
