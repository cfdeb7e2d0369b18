/**
 * The deal's stress model in the pipeline: `stress/{issuerId}/{dealId}.json`, read like its
 * criteria. The pipeline's `stress` section equals `dmbs check`'s for the same tape and model; the
 * loan results carry the stressed figures; a bad file fails the tape naming the JSON path.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTape, toCsv } from '../../bench/tape-generator.ts';
import { checkTape } from '../../functions/core/check-tape.ts';
import { loadStressModel } from '../../functions/core/stress/index.ts';
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

const csv = toCsv(generateTape({ rows: 400, seed: 9, brokenShare: 0.02 }).rows);
const modelDoc = { capRate: { base: 0.0925, marketAdd: { Dallas: 0.01 } }, tranches: [{ name: 'A', share: 0.7 }, { name: 'B', share: 0.3 }] };
const putStress = (key: string, body: string) => aws.clients.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
const run = async (key: string) => runPipeline(await aws.upload(key, csv), aws.ports, { runId: `run-${key}`, sleep: async () => {} });

describe('the stress model in the pipeline', () => {
  it('stress/{issuerId}/{dealId}.json: the same stress section as dmbs check, stressed loan results', async () => {
    await putStress('stress/acme/stressed-deal.json', JSON.stringify(modelDoc));
    const { outcome, state } = await run('incoming/acme/stressed-deal/t.csv');
    expect(outcome).toBe('scored');
    const keys = artifactKeys(state.tapeId!);
    const report = await aws.store.getJson<{ stress: unknown; eligibility: { eligibleCount: number } }>(keys.report);
    const local = await checkTape({ fileName: 't.csv', open: async function* () { yield Buffer.from(csv); }, stress: loadStressModel(modelDoc) });
    expect(report.stress).toEqual(local.report.stress);
    expect(report.stress).toMatchObject({ tranches: [{ name: 'A' }, { name: 'B' }] });
    const lines: Array<{ eligible: boolean; stressedValue: string | null }> = [];
    for await (const line of aws.store.readLines(keys.loanResults, { gzip: true })) lines.push(JSON.parse(line));
    expect(lines.filter((l) => l.stressedValue !== null)).toHaveLength(report.eligibility.eligibleCount);
    expect(lines.filter((l) => !l.eligible).every((l) => l.stressedValue === null)).toBe(true);
  });

  it('a deal without a file gets the default model', async () => {
    const { state } = await run('incoming/acme/plain-stress-deal/t.csv');
    const report = await aws.store.getJson<{ stress: { model: { id: string }; tranches: unknown[] } }>(artifactKeys(state.tapeId!).report);
    expect(report.stress.model.id).toBe('dmbs-stress-default');
    expect(report.stress.tranches).toEqual([]);
  });

  it('a bad stress file fails the tape as a user error naming the JSON path', async () => {
    await putStress('stress/acme/bad-stress.json', JSON.stringify({ tranches: [{ name: 'A', share: 0.9 }] }));
    const { outcome, state } = await run('incoming/acme/bad-stress/t.csv');
    expect(outcome).toBe('failed');
    const tape = await aws.results.getTape(state.tapeId!);
    expect(tape?.failure).toMatchObject({ code: 'STRESS_MODEL_INVALID', userError: true, message: expect.stringMatching(/stress\/acme\/bad-stress\.json: \/tranches: the shares sum to 0\.9, not 1/) });
  });
});
