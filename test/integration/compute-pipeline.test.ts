/**
 * A compute tape through the pipeline: validated, evaluated and scored as its kind (the same
 * sections as `dmbs check`), its lot results, its TapeScored event with the kind; the deal's kind
 * declared by its first tape, a tape of the other kind then failing with KIND_MISMATCH; the deal's
 * compute criteria and residual curve read from the tapes bucket.
 */
import { readFile } from 'node:fs/promises';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { DeleteItemCommand } from '@aws-sdk/client-dynamodb';
import { LOCAL_TABLE_NAME } from '../../functions/aws/table-definition.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTape, toCsv } from '../../bench/tape-generator.ts';
import { checkTape } from '../../functions/core/check-tape.ts';
import { runPipeline } from '../../functions/pipeline/run-pipeline.ts';
import { artifactKeys } from '../../functions/pipeline/state.ts';
import { BUCKET, startEmbeddedAws, type EmbeddedAws } from './support/embedded-aws.ts';

let aws: EmbeddedAws;
beforeAll(async () => {
  aws = await startEmbeddedAws();
});
afterAll(async () => {
  await aws?.stop();
});

const lots = () => readFile(new URL('../../examples/compute-tape.csv', import.meta.url), 'utf8');
const loans = toCsv(generateTape({ rows: 50, seed: 3 }).rows);
const put = (key: string, body: string) => aws.clients.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
const run = async (key: string, body: string) => runPipeline(await aws.upload(key, body), aws.ports, { runId: `run-${key}`, sleep: async () => {} });

describe('a compute tape in the pipeline', () => {
  it('is scored with the sections dmbs check gives, its lot results and a TapeScored event of its kind', async () => {
    const text = await lots();
    const { outcome, state } = await run('incoming/gpuco/gpu-deal/lots.csv', text);
    expect(outcome).toBe('scored');
    const keys = artifactKeys(state.tapeId!);
    const report = await aws.store.getJson<Record<string, unknown> & { tape: { kind?: string } }>(keys.report);
    const local = await checkTape({ fileName: 'lots.csv', dealId: 'gpu-deal', open: async function* () { yield Buffer.from(text); } });
    expect(report.tape.kind).toBe('compute');
    const { generatedAt: _a, ...pipeline } = report;
    const { generatedAt: _b, ...checked } = local.report as unknown as Record<string, unknown>;
    expect(pipeline).toEqual(checked);
    const results: Array<{ row: number; lotId: string; eligible: boolean; failures: unknown[] }> = [];
    for await (const line of aws.store.readLines(keys.loanResults, { gzip: true })) results.push(JSON.parse(line));
    expect(results).toHaveLength(12);
    expect(results.filter((r) => r.eligible)).toHaveLength(7);
    expect(results[0]).toMatchObject({ row: 2, lotId: 'GPU-007-000001', eligible: true, failures: [] });
    const scored = aws.events.events.filter((e) => e.type === 'TapeScored' && (e.detail as { tapeId: string }).tapeId === state.tapeId);
    expect(scored[0]?.detail).toMatchObject({ kind: 'compute', eligibility: { eligibleCount: 7, ineligibleCount: 5 } });
  });

  it("fails a loan tape sent to a compute deal, and a compute tape sent to a loan deal, with KIND_MISMATCH", async () => {
    const loanDeal = await run('incoming/gpuco/loan-deal/loans.csv', loans);
    expect(loanDeal.outcome).toBe('scored');
    const wrong = await run('incoming/gpuco/loan-deal/lots.csv', await lots());
    expect(wrong.outcome).toBe('failed');
    expect((await aws.results.getTape(wrong.state.tapeId!))?.failure).toMatchObject({ code: 'KIND_MISMATCH', userError: true, message: expect.stringMatching(/makes a compute tape .*deal loan-deal holds loan tapes.*upload it under a deal of compute tapes/) });
    await run('incoming/gpuco/lot-deal/lots.csv', await lots());
    const other = await run('incoming/gpuco/lot-deal/loans.csv', loans);
    expect((await aws.results.getTape(other.state.tapeId!))?.failure).toMatchObject({ code: 'KIND_MISMATCH', message: expect.stringContaining('makes a loan tape') });
  });

  it('a first tape that fails declares nothing: a compute tape whose GPU column is not recognised, then the corrected one', async () => {
    const text = await lots();
    const unrecognised = text.replace(/^(.*?)GPU Model,/, '$1Accelerator Type,'); // no alias: read as a loan tape, every row invalid
    const failed = await run('incoming/gpuco/fresh-deal/first.csv', unrecognised);
    expect((await aws.results.getTape(failed.state.tapeId!))?.failure).toMatchObject({ code: 'NO_VALID_LOANS' });
    expect(await aws.results.dealKind({ issuerId: 'gpuco', dealId: 'fresh-deal' })).toBeUndefined();
    expect((await run('incoming/gpuco/fresh-deal/second.csv', text)).outcome).toBe('scored');
    expect(await aws.results.dealKind({ issuerId: 'gpuco', dealId: 'fresh-deal' })).toMatchObject({ kind: 'compute' });
  });

  it('a deal scored before kinds existed (no kind item, a SCORED tape) is a loan deal', async () => {
    expect((await run('incoming/gpuco/old-deal/loans.csv', loans)).outcome).toBe('scored');
    await aws.clients.dynamoDb.send(new DeleteItemCommand({ TableName: LOCAL_TABLE_NAME, Key: { PK: { S: 'DEAL#gpuco#old-deal' }, SK: { S: 'KIND' } } }));
    expect(await aws.results.dealKind({ issuerId: 'gpuco', dealId: 'old-deal' })).toBeUndefined();
    const lotTape = await run('incoming/gpuco/old-deal/lots.csv', await lots());
    expect((await aws.results.getTape(lotTape.state.tapeId!))?.failure).toMatchObject({ code: 'KIND_MISMATCH' });
    expect(await aws.results.dealKind({ issuerId: 'gpuco', dealId: 'old-deal' })).toMatchObject({ kind: 'loan' });
  });

  it("reads the deal's compute criteria and residual curve, and fails a bad curve naming it", async () => {
    await put('criteria/gpuco/tuned.json', JSON.stringify({ concentrations: { K01: { max: 0.5 } } }));
    await put('curve/gpuco/tuned.json', JSON.stringify({ default: [[0, 1], [60, 0.2]] }));
    const { outcome, state } = await run('incoming/gpuco/tuned/lots.csv', await lots());
    expect(outcome).toBe('scored');
    const report = await aws.store.getJson<{ concentrations: Array<{ id: string; limit: string; pass: boolean }> }>(artifactKeys(state.tapeId!).report);
    expect(report.concentrations.find((t) => t.id === 'K01')).toMatchObject({ limit: '0.500000', pass: true });
    await put('curve/gpuco/bad-curve.json', JSON.stringify({ default: [[3, 1]] }));
    const bad = await run('incoming/gpuco/bad-curve/lots.csv', await lots());
    expect((await aws.results.getTape(bad.state.tapeId!))?.failure).toMatchObject({ code: 'RESIDUAL_CURVE_INVALID', message: expect.stringContaining('curve/gpuco/bad-curve.json') });
  });
});
