/**
 * The parallel check of a compute (GPU lot) tape: the tape cut into ranges, each validated and
 * evaluated as the compute kind (the task names the kind; settings travel as data), the ranges'
 * aggregates merged with their rows made the tape's — the very report of one pass.
 */
import { describe, expect, it } from 'vitest';
import { checkTape, type CheckTapeOptions } from '../../../functions/core/check-tape.ts';
import { checkRange, RangeChecker } from '../../../functions/core/parallel/check-range.ts';
import { checkTapeParallel, type RangeRunner } from '../../../functions/core/parallel/check-tape-parallel.ts';
import type { PipeRunner } from '../../../functions/core/parallel/check-tape-piped.ts';
import { forEachRecord } from '../../../functions/core/parallel/record-batches.ts';
import type { RangeTask } from '../../../functions/core/parallel/range-task.ts';
import { COMPUTE_KIND } from '../../../functions/core/kinds/compute/kind.ts';
import type { Finding } from '../../../functions/core/generated/report.ts';
import { COMPUTE_FIELDS, ISSUER_HEADERS, generateComputeTape, type ComputeRow } from '../../../functions/local/compute-tape-generator.ts';
import { toCsv, toNdjson, generateTape } from '../../../bench/tape-generator.ts';
import { writeXlsx } from '../../../bench/xlsx-writer.ts';
import { chunked } from '../../support/tape-files.ts';

const enc = (s: string) => new TextEncoder().encode(s);

/** Ranges run in this thread, through structured clone as a worker receives and returns them; XLSX piped the same way. */
function inlineRunner(bytes: Uint8Array): RangeRunner & PipeRunner & { tasks: RangeTask[] } {
  const tasks: RangeTask[] = [];
  return {
    tasks,
    async run(task, onProgress) {
      const t = structuredClone(task);
      tasks.push(t);
      const result = await checkRange(t, chunked(bytes.subarray(t.start, t.end), 4096), (bytesRead, rows) => onProgress({ index: t.index, bytesRead, rows }));
      return structuredClone(result);
    },
    openPipe(task) {
      const t = structuredClone(task);
      tasks.push(t);
      const checker = new RangeChecker(t);
      let rows = 0;
      return {
        push: async (batch) => {
          forEachRecord(structuredClone(batch), (row, cells) => checker.spans(row, cells));
          rows += batch.rows.length;
        },
        finish: async () => structuredClone(checker.finish(rows, true)),
      };
    },
  };
}

const tapeOf = (bytes: Uint8Array) => ({ size: bytes.length, read: async (offset: number, length: number) => bytes.slice(offset, Math.min(bytes.length, offset + length)) });

/** The report (minus nothing: the clock is pinned) and every finding as streamed, one pass or `ranges` ranges. */
async function outcome(bytes: Uint8Array, fileName: string, ranges: number, extra: Partial<CheckTapeOptions> = {}) {
  const findings: Finding[] = [];
  const options: CheckTapeOptions = { fileName, open: () => chunked(bytes, 1 << 16), now: () => new Date(0), onFinding: (f) => findings.push(f), ...extra };
  const runner = inlineRunner(bytes);
  const result = ranges === 1 ? await checkTape(options) : await checkTapeParallel({ ...options, tape: tapeOf(bytes), runner, ranges });
  return { report: result.report, kind: result.kind, findings, tasks: runner.tasks };
}

/**
 * Generated lots with a lotId on two rows far apart (in different ranges), invalid cells, and
 * group names written another way on many rows (case, spaces), so that which row names a group
 * depends on rows counted across the whole tape, not within a range.
 */
function lots(rows: number, seed: number): ComputeRow[] {
  const tape = generateComputeTape({ rows, seed });
  tape[rows - 40]!.lotId = tape[12]!.lotId;
  tape[rows - 90]!.lotId = tape[rows - 91]!.lotId;
  tape.forEach((r, i) => {
    if (i % 7 === 3) r.siteId = ` ${r.siteId.toLowerCase()} `;
    if (i % 5 === 1) r.customer = r.customer.toUpperCase();
    if (i % 11 === 4 && r.customerParent) r.customerParent = `${r.customerParent.toLowerCase()}  `;
    if (i % 97 === 50) r.unitCount = 'many';
    if (i % 131 === 7) r.contractExpiryDate = '2020-01-01';
  });
  return tape;
}

describe('checkTapeParallel on a compute tape gives the report of one pass', () => {
  const rows = lots(1200, 5);
  const csv = enc(toCsv(rows, { columns: COMPUTE_FIELDS, eol: '\r\n', bom: true }));

  it('CSV with a duplicated lotId across ranges, cut into 2 to 4 ranges', async () => {
    const one = await outcome(csv, 'lots.csv', 1);
    expect(one.kind).toBe('compute');
    const duplicates = one.findings.filter((f) => f.code === 'DUPLICATE_ID');
    expect(duplicates.map((f) => f.row)).toEqual([14, 1111, 1112, 1162]);
    expect(one.findings.filter((f) => f.code !== 'DUPLICATE_ID').length).toBeGreaterThan(10);
    for (const ranges of [2, 3, 4]) {
      const many = await outcome(csv, 'lots.csv', ranges);
      // every range validated and evaluated as the compute kind, with the deal's settings as data
      expect(many.tasks.length).toBe(2 * ranges); // the lotId pre-pass and the check: no third read
      expect(many.tasks.every((t) => t.kind === 'compute')).toBe(true);
      expect(many.kind).toBe('compute');
      expect(many.report).toEqual(one.report);
      expect(many.findings).toEqual(one.findings);
    }
  });

  it('CSV with the issuer-style headers and a deal mapping, the kind named, the deal\'s criteria and curve', async () => {
    const text = toCsv(rows.slice(0, 700), { columns: COMPUTE_FIELDS, headers: { ...ISSUER_HEADERS, lotId: 'Equipment Batch' } });
    const bytes = enc(text);
    const extra: Partial<CheckTapeOptions> = {
      kind: COMPUTE_KIND,
      mapping: { schemaVersion: 'dmbs-column-mapping/1', columns: { 'Equipment Batch': 'lotId' } } as never,
      dealDocuments: {
        criteria: { concentrations: { K01: { max: 0.5 } }, eligibility: { G05: { maxAgeMonths: 24 } } },
        curve: { default: [[0, 1], [12, 0.5], [48, 0]] },
      },
    };
    const one = await outcome(bytes, 'issuer.csv', 1, extra);
    const concentrations = (one.report as unknown as { concentrations: Array<{ id: string; limit: string }> }).concentrations;
    expect(concentrations.find((t) => t.id === 'K01')!.limit).toBe('0.500000');
    expect(one.report).not.toEqual((await outcome(bytes, 'issuer.csv', 1, { ...extra, dealDocuments: {} })).report);
    for (const ranges of [2, 3]) expect((await outcome(bytes, 'issuer.csv', ranges, extra)).report).toEqual(one.report);
  });

  it('NDJSON with a duplicated lotId, broken lines and unknown keys', async () => {
    const lines = toNdjson(rows).split('\n');
    for (let i = 60; i < lines.length - 1; i += 151) lines[i] = i % 2 ? '{"lotId": ' : JSON.stringify({ ...JSON.parse(lines[i]!), extraKey: 'x' });
    // a broken first line and an empty object: the first object with keys decides the kind, in one pass and in ranges
    lines.unshift('{"lotId": "GPU-broken', '{}');
    const bytes = enc(lines.join('\n'));
    const one = await outcome(bytes, 'lots.ndjson', 1);
    expect(one.kind).toBe('compute');
    expect(one.findings.filter((f) => f.code === 'DUPLICATE_ID').length).toBeGreaterThanOrEqual(2);
    for (const ranges of [2, 3, 4]) {
      const many = await outcome(bytes, 'lots.ndjson', ranges);
      expect(many.tasks.some((t) => !t.idsOnly && t.start > 0)).toBe(true); // really cut
      expect(many.report).toEqual(one.report);
      expect(many.findings).toEqual(one.findings);
    }
  });

  it('XLSX, read here and checked by a piped worker as the compute kind', async () => {
    const bytes = writeXlsx([[...COMPUTE_FIELDS], ...rows.slice(0, 400).map((r) => COMPUTE_FIELDS.map((f) => r[f]))]);
    const one = await outcome(bytes, 'lots.xlsx', 1);
    const piped = await outcome(bytes, 'lots.xlsx', 2);
    expect(piped.tasks.map((t) => t.kind)).toEqual(['compute']);
    expect(piped.report).toEqual(one.report);
  });

  it('a compute tape named a loan tape is refused as in one pass (KIND_MISMATCH)', async () => {
    const { LOAN_TAPE_KIND } = await import('../../../functions/core/kinds/loan-tape/kind.ts');
    await expect(outcome(csv, 'lots.csv', 3, { kind: LOAN_TAPE_KIND })).rejects.toMatchObject({ code: 'KIND_MISMATCH' });
  });
});

describe('the loan tape in parallel reads the deal\'s documents too', () => {
  it('criteria and stress given as documents (as the CLI passes them): the report of one pass', async () => {
    const bytes = enc(toCsv(generateTape({ rows: 900, seed: 4, brokenShare: 0.03 }).rows));
    const extra: Partial<CheckTapeOptions> = { dealDocuments: { criteria: { concentrations: { C01: { max: 0.05 } } }, stress: { capRate: { base: 0.09 } } } };
    const one = await outcome(bytes, 'loans.csv', 1, extra);
    const defaults = await outcome(bytes, 'loans.csv', 1);
    expect(one.report).not.toEqual(defaults.report);
    const many = await outcome(bytes, 'loans.csv', 3, extra);
    expect(many.tasks.every((t) => t.kind === 'loan')).toBe(true);
    expect(many.report).toEqual(one.report);
  });
});
