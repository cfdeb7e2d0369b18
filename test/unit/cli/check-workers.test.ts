import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { GENERATED_FIELDS, generateTape, rng, toCsv, toNdjson } from '../../../bench/tape-generator.ts';
import { writeXlsx } from '../../../bench/xlsx-writer.ts';
import { tempDir } from '../../support/tape-files.ts';

// The CLI as a user runs it (the built bin; `npm test` builds first): worker threads for real.
const bin = new URL('../../../bin/dmbs.mjs', import.meta.url).pathname;
const dmbs = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, DMBS_DEBUG: '', DMBS_KEEP_BATCHES_MB: keepBatchesMb } });
/** The XLSX worker's budget for keeping checked batches (check-worker.ts); '0' forces the second read. */
let keepBatchesMb = '128';
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

function check(file: string, workers: number) {
  const errors = `${tmp.dir}/errors-${workers}-${file.split('/').pop()}.ndjson`;
  const r = dmbs('check', file, '--json', '--workers', String(workers), '--errors-out', errors);
  const report = JSON.parse(r.stdout) as { generatedAt?: string };
  delete report.generatedAt;
  return { status: r.status, stderr: r.stderr, report, errors: readFileSync(errors, 'utf8') };
}

describe('dmbs check --workers N: the same report and findings for any N (worker threads)', () => {
  for (const file of [csv, ndjson, xlsx]) {
    const name = { csv: 'CSV with BOM, CRLF, quoted line breaks and duplicated ids', ndjson: 'NDJSON', xlsx: 'XLSX (read here, checked by a worker)' }[file.split('.').pop()!];
    it(name!, () => {
      const one = check(file, 1);
      expect(one.status).toBe(1);
      expect(one.stderr).toBe('');
      for (const workers of [2, 3]) {
        const many = check(file, workers);
        expect(many.stderr).toBe('');
        expect(many.status).toBe(one.status);
        expect(many.report).toEqual(one.report);
        expect(many.errors).toBe(one.errors);
      }
    });
  }

  it('XLSX with duplicated ids gives the same report whether the worker kept its batches or the tape is read again', () => {
    const one = check(xlsx, 1);
    expect(one.errors).toContain('DUPLICATE_ID');
    keepBatchesMb = '0';
    try {
      const again = check(xlsx, 2);
      expect(again.report).toEqual(one.report);
      expect(again.errors).toBe(one.errors);
    } finally {
      keepBatchesMb = '128';
    }
    expect(check(xlsx, 2).report).toEqual(one.report);
  });

  it('refuses --workers 0', () => {
    const r = dmbs('check', csv, '--workers', '0');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--workers/);
  });
});
