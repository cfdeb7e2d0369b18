/**
 * A scored tape's loans land in the analytical dataset at their Hive key (with its group sums),
 * the latest-tape index records the tape, and a re-score's new revision replaces the objects; a
 * failed write leaves the tape SCORED and out of the market (embedded S3 and DynamoDB).
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTape, toCsv } from '../../bench/tape-generator.ts';
import { DuckDbEngine } from '../../functions/local/duckdb-engine.ts';
import { MemoryLatestTapeIndex } from '../../functions/market/memory-stores.ts';
import { ANALYTICS_ROOT } from '../../functions/pipeline/loan-parquet.ts';
import type { RescorePorts } from '../../functions/pipeline/ports.ts';
import { runPipeline } from '../../functions/pipeline/run-pipeline.ts';
import { runRescore } from '../../functions/pipeline/run-rescore.ts';
import { BUCKET, startEmbeddedAws, type EmbeddedAws } from './support/embedded-aws.ts';

let aws: EmbeddedAws;
let dir: string;
beforeAll(async () => {
  aws = await startEmbeddedAws();
  dir = await mkdtemp(join(tmpdir(), 'dmbs-analytics-'));
});
afterAll(async () => {
  await aws?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** The object as DuckDB reads it: copied under a fresh directory, queried through dmbs_loans. */
async function datasetFigures(key: string, round: number): Promise<{ loans: number; eligible: number; balance: string }> {
  const out = await aws.clients.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  const root = join(dir, String(round));
  const path = join(root, key.slice(ANALYTICS_ROOT.length));
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, await out.Body!.transformToByteArray());
  const engine = await DuckDbEngine.open({ root });
  try {
    const [row] = await engine.query(`SELECT count(*) AS loans, count(*) FILTER (WHERE eligible) AS eligible,
      CAST(SUM(CASE WHEN eligible THEN current_balance ELSE 0 END) AS VARCHAR) AS balance FROM dmbs_loans WHERE tape = ?`, [key.split('tape=')[1]!.split('/')[0]!]);
    return { loans: Number(row!.loans), eligible: Number(row!.eligible), balance: String(row!.balance) };
  } finally {
    engine.close();
  }
}

describe('the analytical dataset', () => {
  it('holds every scored tape\'s loans at its Hive key; a re-score replaces them', async () => {
    const tapeIndex = new MemoryLatestTapeIndex();
    const ports: RescorePorts = { ...aws.ports, results: aws.results, tapeIndex };
    const csv = toCsv(generateTape({ rows: 400, seed: 5, brokenShare: 0.02 }).rows);
    const { outcome, state } = await runPipeline(await aws.upload('incoming/acme/deal-a/t.csv', csv), ports, { runId: 'analytics-1', sleep: async () => {} });
    expect(outcome).toBe('scored');
    const tapeId = state.tapeId!;
    const tape = (await aws.results.getTape(tapeId))!;
    const key = `analytics/loans/issuer=acme/deal=deal-a/reporting_date=2026-10-31/tape=${tapeId}/loans.parquet`;
    expect(tape.artifacts?.analytics).toBe(key);
    // The group sums beside it: the market statements read those.
    const groups = await aws.clients.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key.replace('analytics/loans/', 'analytics/groups/').replace(/loans\.parquet$/, 'groups.parquet') }));
    expect((await groups.Body!.transformToByteArray()).length).toBeGreaterThan(0);
    const summary = tape.summary!;
    expect(await datasetFigures(key, 1)).toEqual({ loans: summary.eligibleCount + summary.ineligibleCount, eligible: summary.eligibleCount, balance: summary.eligibleBalance });
    expect(await tapeIndex.latest()).toEqual([{
      issuerId: 'acme', dealId: 'deal-a', tapeId, reportingDate: '2026-10-31', uploadedAt: tape.uploadedAt,
      eligibleCount: summary.eligibleCount, eligibleBalance: summary.eligibleBalance, dataQualityScore: summary.dataQualityScore, analyticsKey: key,
    }]);

    // Stricter criteria, then a re-score: fewer eligible loans, in the dataset and the index alike.
    await aws.clients.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'criteria/acme/deal-a.json', Body: JSON.stringify({ eligibility: { E05: { minDscr: 1.6 } } }) }));
    expect((await runRescore({ tapeId, runId: 'analytics-r2', jobId: null }, ports, { sleep: async () => {} })).outcome).toBe('scored');
    const rescored = (await aws.results.getTape(tapeId))!.summary!;
    expect(rescored.eligibleCount).toBeLessThan(summary.eligibleCount);
    expect(await datasetFigures(key, 2)).toEqual({ loans: summary.eligibleCount + summary.ineligibleCount, eligible: rescored.eligibleCount, balance: rescored.eligibleBalance });
    expect(await tapeIndex.latest()).toMatchObject([{ tapeId, eligibleCount: rescored.eligibleCount, eligibleBalance: rescored.eligibleBalance }]);
  });
});

describe('a failed write of the market dataset', () => {
  it('leaves the tape SCORED with its event out, keeps it out of the market and logs an error', async () => {
    const tapeIndex = new MemoryLatestTapeIndex();
    const logged: Array<[string, string]> = [];
    const store = aws.ports.store;
    const createWriter: typeof store.createWriter = (key, options) => {
      if (key.startsWith(ANALYTICS_ROOT)) throw new Error('S3 refused the write');
      return store.createWriter(key, options);
    };
    const failing = new Proxy(store, {
      get: (target, prop) => (prop === 'createWriter' ? createWriter : typeof Reflect.get(target, prop) === 'function' ? (Reflect.get(target, prop) as Function).bind(target) : Reflect.get(target, prop)),
    });
    const ports: RescorePorts = { ...aws.ports, store: failing, results: aws.results, tapeIndex, log: (level, message) => logged.push([level, message]) };
    const csv = toCsv(generateTape({ rows: 50, seed: 9, brokenShare: 0 }).rows);
    let attempts = 0;
    const { outcome, state } = await runPipeline(await aws.upload('incoming/acme/deal-f/t.csv', csv), ports, {
      runId: 'analytics-fail', sleep: async () => {}, invoke: (step, call) => {
        if (step === 'analytics') attempts++;
        return call();
      },
    });
    expect(outcome).toBe('scored');
    const tape = (await aws.results.getTape(state.tapeId!))!;
    expect(tape.status).toBe('SCORED');
    // Retried as a transient error, then given up on without touching the tape.
    expect(attempts).toBe(4);
    expect(await tapeIndex.latest()).toEqual([]);
    expect(logged).toContainEqual(['error', expect.stringContaining('market dataset not written')]);
  });
});
