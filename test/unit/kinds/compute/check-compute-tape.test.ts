/**
 * A compute tape through the one reading pass (checkTape): the kind detected from the header or
 * named, the report's compute sections equal to the kind's accumulator fed by an independent
 * reading of the example tape, KIND_MISMATCH, duplicated lotIds, the deal's mapping and settings.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { checkTape, type CheckTapeOptions } from '../../../../functions/core/check-tape.ts';
import { checkTapeParallel } from '../../../../functions/core/parallel/check-tape-parallel.ts';
import { checkRange } from '../../../../functions/core/parallel/check-range.ts';
import type { RangeTask } from '../../../../functions/core/parallel/range-task.ts';
import { COMPUTE_KIND } from '../../../../functions/core/kinds/compute/kind.ts';
import { LOAN_TAPE_KIND } from '../../../../functions/core/kinds/loan-tape/kind.ts';
import { detectKind } from '../../../../functions/core/kinds/registry.ts';
import { computeReportSchema, isComputeReport } from '../../../../functions/core/report/compute-report.ts';
import { createAjv } from '../../../../functions/core/schema/ajv.ts';
import { exampleEvaluation } from '../../../support/compute-example.ts';

const example = new URL('../../../../examples/compute-tape.csv', import.meta.url);

async function* bytesOf(text: string | Uint8Array): AsyncGenerator<Uint8Array> {
  yield typeof text === 'string' ? new TextEncoder().encode(text) : text;
}

async function check(text: string | Uint8Array, options: Partial<CheckTapeOptions> = {}) {
  return checkTape({ fileName: 'lots.csv', open: () => bytesOf(text), now: () => new Date('2026-11-01T00:00:00Z'), ...options });
}

const exampleText = async () => readFile(example, 'utf8');

describe('a compute tape through checkTape', () => {
  it('is detected from its header and evaluated as the kind evaluates its lots', async () => {
    const evaluations: Array<Record<string, unknown>> = [];
    const { report, kind } = await check(await exampleText(), { onRowEvaluation: (e) => evaluations.push(e) });
    expect(kind).toBe('compute');
    expect(report.tape.kind).toBe('compute');
    expect(isComputeReport(report)).toBe(true);
    const reference = await exampleEvaluation();
    if (!isComputeReport(report)) throw new Error('not a compute report');
    expect({ eligibility: report.eligibility, pool: report.pool, concentrations: report.concentrations, score: report.score }).toEqual(reference.sections);
    expect(evaluations).toEqual(reference.lots.map((l) => ({ ...l.evaluation, row: l.row })));
    const validate = createAjv({ allErrors: true }).compile(computeReportSchema());
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report).not.toHaveProperty('balanceSheetTransition');
  });

  it('gives the same report from NDJSON as from CSV', async () => {
    const lines = (await exampleText()).trim().split('\n');
    const { report: csv } = await check(lines.join('\n'));
    // NDJSON with the schema's field names: the CSV's columns as keys via the CSV report's plan
    const fields = csv.tape.columns!.map((c) => c.field);
    const ndjson = lines.slice(1).map((line) => JSON.stringify(Object.fromEntries(line.split(',').map((cell, i) => [fields[i], cell]).filter(([f, cell]) => f && cell !== '')))).join('\n');
    const { report } = await check(ndjson, { fileName: 'lots.ndjson' });
    expect(report.tape.kind).toBe('compute');
    const sections = (r: typeof csv) => JSON.stringify([r.eligibility, r.pool, r.concentrations, r.score]);
    expect(sections(report)).toBe(sections(csv));
    expect(report.validation.validRowCount).toBe(csv.validation.validRowCount);
  });

  it('an NDJSON compute tape whose first lines are broken is still a compute tape: the first object decides', async () => {
    const lines = (await exampleText()).trim().split('\n');
    const { report: csv } = await check(lines.join('\n'));
    const fields = csv.tape.columns!.map((c) => c.field);
    const objects = lines.slice(1).map((line) => JSON.stringify(Object.fromEntries(line.split(',').map((cell, i) => [fields[i], cell]).filter(([f, cell]) => f && cell !== ''))));
    const { report, kind } = await check(['{"lotId": "GPU-X"', '{}', ...objects].join('\n'), { fileName: 'lots.ndjson' });
    expect(kind).toBe('compute');
    expect(report.validation.errors.filter((f) => f.row <= 2).map((f) => [f.row, f.code])).toContainEqual([1, 'MALFORMED_ROW']);
    expect(report.validation.validRowCount).toBe(csv.validation.validRowCount);
  });

  it('refuses a compute tape named a loan tape, and a loan tape named a compute tape (KIND_MISMATCH)', async () => {
    await expect(check(await exampleText(), { kind: LOAN_TAPE_KIND })).rejects.toMatchObject({ code: 'KIND_MISMATCH', message: expect.stringContaining('makes a compute tape') });
    const loanTape = await readFile(new URL('../../../../examples/dmbs-tape.csv', import.meta.url), 'utf8');
    await expect(check(loanTape, { kind: COMPUTE_KIND })).rejects.toMatchObject({ code: 'KIND_MISMATCH', message: expect.stringContaining('makes a loan tape') });
    const { kind } = await check(await exampleText(), { kind: COMPUTE_KIND });
    expect(kind).toBe('compute');
  });

  it('makes every row of a duplicated lotId invalid and leaves those lots out of the pool', async () => {
    const lines = (await exampleText()).trim().split('\n');
    const dup = lines[3]!.replace(/^[^,]+/, lines[2]!.split(',')[0]!); // row 4 gets row 3's lotId
    const { report, summary } = await check([...lines.slice(0, 3), dup, ...lines.slice(4)].join('\n'));
    const findings = report.validation.errors.filter((f) => f.code === 'DUPLICATE_ID');
    expect(findings.map((f) => [f.row, f.field, f.loanId])).toEqual([[3, 'lotId', lines[2]!.split(',')[0]], [4, 'lotId', lines[2]!.split(',')[0]]]);
    expect(findings[0]!.message).toContain('give each lot its own id');
    expect(summary.duplicateLoanIds.size).toBe(1);
    if (!isComputeReport(report)) throw new Error('not a compute report');
    expect(report.eligibility.eligibleCount + report.eligibility.ineligibleCount).toBe(report.validation.validRowCount);
    expect(report.validation.validRowCount).toBe(10);
  });

  it('reads a deal mapping of compute fields and refuses one that names a loan-tape field', async () => {
    const text = (await exampleText()).replace(/^Lot ID,/, 'Equipment Batch,');
    const { report } = await check(text, { mapping: { schemaVersion: 'dmbs-mapping/1', columns: { 'Equipment Batch': 'lotId' } } as never });
    expect(report.tape.kind).toBe('compute');
    expect(report.tape.columns![0]).toEqual({ header: 'Equipment Batch', field: 'lotId', matchedBy: 'mapping' });
    await expect(check(await exampleText(), { mapping: { schemaVersion: 'dmbs-mapping/1', columns: { 'Offtaker Rating': 'largestTenantRating' } } as never, mappingSource: 'deal-mapping.json' }))
      .rejects.toMatchObject({ code: 'MAPPING_INVALID', message: expect.stringMatching(/^deal-mapping\.json: \/columns\/Offtaker Rating: 'largestTenantRating' is not a field of the lot tape/) });
  });

  it("reads the deal's criteria for the tape's kind", async () => {
    const { report } = await check(await exampleText(), { dealDocuments: { criteria: { concentrations: { K01: { max: 0.5 } } }, criteriaSource: 'deal.json' } });
    if (!isComputeReport(report)) throw new Error('not a compute report');
    expect(report.concentrations.find((t) => t.id === 'K01')).toMatchObject({ limit: '0.500000', pass: true });
    await expect(check(await exampleText(), { dealDocuments: { criteria: { concentrations: { K01: { max: 2 } } }, criteriaSource: 'deal.json' } }))
      .rejects.toMatchObject({ code: 'CRITERIA_INVALID', message: expect.stringContaining('deal.json') });
  });

  it('is cut into ranges by the parallel check, with the same report (test/unit/parallel has more)', async () => {
    const bytes = new Uint8Array(await readFile(example));
    const kinds: string[] = [];
    const runner = { run: (task: RangeTask) => { kinds.push(task.kind); return checkRange(task, bytesOf(bytes.subarray(task.start, task.end))); } };
    const tape = { size: bytes.length, read: async (offset: number, length: number) => bytes.subarray(offset, offset + length) };
    const options = { fileName: 'lots.csv', open: () => bytesOf(bytes), now: () => new Date('2026-11-01T00:00:00Z') };
    const { report } = await checkTapeParallel({ ...options, tape, runner, ranges: 2 });
    expect(report).toEqual((await checkTape(options)).report);
    expect(kinds).toEqual(['compute', 'compute', 'compute', 'compute']); // 2 ranges: the lotId pre-pass, the check
  });

  it('detects the kind from mapped fields: the compute tape needs lotId and gpuModel and no loanId', () => {
    expect(detectKind(['Lot ID', 'GPU Model', 'Sponsor'])).toBe(COMPUTE_KIND);
    expect(detectKind(['Lot ID', 'GPU Model', 'Loan ID'])).toBe(LOAN_TAPE_KIND);
    expect(detectKind(['Lot ID', 'Sponsor'])).toBe(LOAN_TAPE_KIND);
    expect(detectKind(['Batch', 'GPU Model'], { schemaVersion: 'dmbs-mapping/1', columns: { Batch: 'lotId' } } as never)).toBe(COMPUTE_KIND);
    // a column the deal's mapping ignores does not count (here a stray loan-tape header)
    expect(detectKind(['Lot ID', 'GPU Model', 'Loan ID'], { schemaVersion: 'dmbs-mapping/1', columns: {}, ignore: ['Loan ID'] } as never)).toBe(COMPUTE_KIND);
  });
});
