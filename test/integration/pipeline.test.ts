/**
 * The whole step sequence (validate → evaluate → score → publish, failure handler as the catch)
 * through the real @aws-sdk clients against the embedded S3 and DynamoDB emulators: what a tape
 * leaves in S3 and DynamoDB, what it emits, and that every upload gives exactly one result.
 */
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTape, toCsv } from '../../bench/tape-generator.ts';
import tapeFailedSchema from '../../schemas/tape-failed.v1.schema.json' with { type: 'json' };
import tapeScoredSchema from '../../schemas/tape-scored.v1.schema.json' with { type: 'json' };
import reportSchema from '../../schemas/dmbs-report.v1.schema.json' with { type: 'json' };
import { checkTape } from '../../functions/core/check-tape.ts';
import { buildEvaluationSections, loadCriteria, PoolAccumulator } from '../../functions/core/evaluation/index.ts';
import { compareLoanIds, decodeLoanKey, toCents, type LoanKey } from '../../functions/core/compare/index.ts';
import type { DmbsLoan } from '../../functions/core/generated/loan-tape.ts';
import { decodeLoanPageBlock, type LoanPagesIndex } from '../../functions/pipeline/loan-pages.ts';
import { createAjv } from '../../functions/core/schema/ajv.ts';
import type { PipelinePorts, TapeStore } from '../../functions/pipeline/ports.ts';
import { runPipeline } from '../../functions/pipeline/run-pipeline.ts';
import { artifactKeys, type TapeObject } from '../../functions/pipeline/state.ts';
import { BUCKET, startEmbeddedAws, type EmbeddedAws } from './support/embedded-aws.ts';

let aws: EmbeddedAws;
const noSleep = async () => {};
const ajv = createAjv();
const validScored = ajv.compile(tapeScoredSchema);
const validFailed = ajv.compile(tapeFailedSchema);
const validReport = ajv.compile(reportSchema);
let runs = 0;
const run = (object: TapeObject, ports: PipelinePorts = aws.ports, runId = `run-${++runs}`) => runPipeline(object, ports, { runId, sleep: noSleep });

beforeAll(async () => {
  aws = await startEmbeddedAws();
});
afterAll(async () => {
  await aws?.stop();
});

const upload = (key: string, body: string | Uint8Array) => aws.upload(key, body);

async function artifactsLeft(tapeId: string): Promise<string[]> {
  const out = await aws.clients.s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: artifactKeys(tapeId).prefix }));
  return (out.Contents ?? []).map((o) => o.Key!);
}

/** The embedded store with some methods replaced (fault injection). */
function wrapStore(overrides: Partial<TapeStore>): TapeStore {
  const s = aws.store;
  return {
    bucket: s.bucket,
    open: (o) => s.open(o),
    createWriter: (k, o) => s.createWriter(k, o),
    putJson: (k, v) => s.putJson(k, v),
    getJson: <T,>(k: string) => s.getJson<T>(k),
    readLines: (k, o) => s.readLines(k, o),
    readRange: (k, a, b) => s.readRange(k, a, b),
    deleteObjects: (keys) => s.deleteObjects(keys),
    copyObject: (from, to) => s.copyObject(from, to),
    ...overrides,
  };
}

const eventsFor = (tapeId: string) => aws.events.events.filter((e) => e.detail.tapeId === tapeId);

describe('a generated tape', () => {
  const generated = generateTape({ rows: 1500, seed: 11, brokenShare: 0.03 });
  const csv = toCsv(generated.rows);

  it('goes to SCORED: the full report in S3, the summary in DynamoDB, one TapeScored', async () => {
    const object = await upload('incoming/acme/deal-7/tape-2026-10.csv', csv);
    const { outcome, state } = await run(object);
    expect(outcome).toBe('scored');
    const tapeId = state.tapeId!;

    // What `dmbs check` would say about the same bytes, plus the evaluation of its valid loans.
    const loans: DmbsLoan[] = [];
    const local = await checkTape({ fileName: 'tape-2026-10.csv', dealId: 'deal-7', open: async function* () { yield Buffer.from(csv); }, maxErrors: 1000, onLoan: (l) => loans.push(l) });
    const acc = new PoolAccumulator(loadCriteria());
    for (const l of loans) if (!local.summary.duplicateLoanIds.has(l.loanId)) acc.add(l);
    const sections = buildEvaluationSections(acc, acc.criteria, local.report.validation.dataQualityScore);
    expect(local.summary.duplicateLoanIds.size).toBeGreaterThan(0); // the evaluate step has something to leave out

    const tape = await aws.results.getTape(tapeId);
    expect(tape).toMatchObject({
      tapeId, status: 'SCORED', issuerId: 'acme', dealId: 'deal-7', fileName: 'tape-2026-10.csv',
      summary: {
        sha256: local.sha256, format: 'csv', reportingDate: '2026-10-31',
        rowCount: 1500, validRowCount: local.report.validation.validRowCount, errorCount: local.report.validation.errorCount,
        dataQualityScore: local.report.validation.dataQualityScore,
        eligibleCount: sections.eligibility.eligibleCount, eligibleBalance: sections.eligibility.eligibleBalance,
        scorePoints: sections.score.points, scoreBand: sections.score.band,
        failedTests: sections.concentrations.filter((t) => !t.pass).map((t) => t.id),
      },
    });

    const report = await aws.store.getJson<Record<string, unknown>>(tape!.artifacts!.report);
    expect(validReport(report), JSON.stringify(validReport.errors)).toBe(true);
    const { generatedAt: _a, ...got } = report;
    const { generatedAt: _b, ...want } = { ...local.report, ...sections };
    expect(got).toEqual(JSON.parse(JSON.stringify(want)));

    const lines = async (key: string, gzip = false) => {
      let n = 0;
      for await (const _ of aws.store.readLines(key, { gzip })) n++;
      return n;
    };
    const keys = artifactKeys(tapeId);
    expect(await lines(keys.findings)).toBe(local.report.validation.errorCount + local.report.validation.warningCount);
    expect(await lines(keys.loans, true)).toBe(loans.length);
    expect(await lines(keys.loanResults, true)).toBe(sections.eligibility.eligibleCount + sections.eligibility.ineligibleCount);

    // What the API reads for big tapes: the loan keys compare merges and the loan pages.
    expect(tape!.artifacts).toMatchObject({ loanKeys: keys.loanKeys, loanPages: keys.loanPages, loanPagesIndex: keys.loanPagesIndex });
    const loanKeys: LoanKey[] = [];
    for await (const line of aws.store.readLines(keys.loanKeys, { gzip: true })) loanKeys.push(decodeLoanKey(line));
    const firstRows = new Map<string, DmbsLoan>();
    for (const l of loans) if (!firstRows.has(l.loanId)) firstRows.set(l.loanId, l);
    expect(loanKeys.map((k) => k.loanId)).toEqual([...firstRows.keys()].sort(compareLoanIds));
    expect(loanKeys.every((k) => k.cents === toCents(firstRows.get(k.loanId)!.currentBalance))).toBe(true);
    expect(loanKeys.map((k) => k.ordinal).sort((a, b) => a - b)).toEqual([...firstRows.keys()].map((_, i) => i));
    const pagesIndex = await aws.store.getJson<LoanPagesIndex>(keys.loanPagesIndex);
    expect(pagesIndex.lists.all?.count).toBe(sections.eligibility.eligibleCount + sections.eligibility.ineligibleCount);
    expect(pagesIndex.lists['eligible=true']?.count).toBe(sections.eligibility.eligibleCount);
    const lastBlock = pagesIndex.lists.all!.blocks.at(-1)!;
    const page = decodeLoanPageBlock(await aws.store.readRange(keys.loanPages, lastBlock[0], lastBlock[0] + lastBlock[1]));
    expect(page.at(-1)?.position).toBe(pagesIndex.lists.all!.count - 1);

    const events = eventsFor(tapeId);
    expect(events.map((e) => e.type)).toEqual(['TapeScored']);
    expect(validScored(events[0]!.detail), JSON.stringify(validScored.errors)).toBe(true);
    expect(events[0]!.detail).toMatchObject({ issuerId: 'acme', dealId: 'deal-7', report: { bucket: BUCKET, key: keys.report } });

    expect((await aws.results.getDeal('acme', 'deal-7'))?.latest).toMatchObject({ tapeId, dataQualityScore: local.report.validation.dataQualityScore });
    expect((await aws.results.listTapesByDeal('acme', 'deal-7')).items.map((t) => t.tapeId)).toEqual([tapeId]);
  });

  it('the same object version notified twice gives one result', async () => {
    const object = await upload('incoming/acme/deal-8/tape.csv', csv);
    const first = await run(object);
    const second = await run(object);
    expect(first.outcome).toBe('scored');
    expect(second).toMatchObject({ outcome: 'stopped', state: { stop: { reason: 'DUPLICATE_NOTIFICATION', tapeId: first.state.tapeId } } });
    // Delivered twice at the same moment, to two runs.
    const again = await upload('incoming/acme/deal-9/tape.csv', csv);
    const both = await Promise.all([run(again), run(again)]);
    expect(both.map((r) => r.outcome).sort()).toEqual(['scored', 'stopped']);
    for (const tapeId of [first.state.tapeId!, both[0].state.tapeId!]) {
      expect(eventsFor(tapeId).map((e) => e.type)).toEqual(['TapeScored']);
      expect((await aws.results.getTape(tapeId))?.status).toBe('SCORED');
    }
  });

  it('byte-identical content uploaded again to the same deal records no new tape version', async () => {
    const original = await run(await upload('incoming/beta/deal-1/march.csv', csv));
    const copy = await run(await upload('incoming/beta/deal-1/march-again.csv', csv));
    expect(copy).toMatchObject({ outcome: 'stopped', state: { stop: { reason: 'DUPLICATE_CONTENT', tapeId: original.state.tapeId } } });
    expect(await aws.results.getTape(copy.state.tapeId!)).toMatchObject({ status: 'DUPLICATE', duplicateOf: original.state.tapeId });
    expect((await aws.results.listTapesByDeal('beta', 'deal-1')).items.map((t) => t.tapeId)).toEqual([original.state.tapeId]);
    expect(await artifactsLeft(copy.state.tapeId!)).toEqual([]);
    expect(eventsFor(copy.state.tapeId!)).toEqual([]);
    // A changed file is a new version.
    const changed = await run(await upload('incoming/beta/deal-1/march.csv', toCsv(generated.rows.slice(0, 100))));
    expect(changed.outcome).toBe('scored');
    expect((await aws.results.listTapesByDeal('beta', 'deal-1')).items).toHaveLength(2);
  });
});

describe('per-deal criteria', () => {
  const csv = toCsv(generateTape({ rows: 300, seed: 5 }).rows);

  it('a criteria file at criteria/{issuerId}/{dealId}.json overrides the defaults for that deal only', async () => {
    await aws.clients.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'criteria/acme/strict-deal.json', Body: JSON.stringify({ concentrations: { C01: { max: 0.01 } }, eligibility: { E05: { minDscr: 1.5 } } }) }));
    const strict = await run(await upload('incoming/acme/strict-deal/t.csv', csv));
    const plain = await run(await upload('incoming/acme/plain-deal/t.csv', csv));
    const reportOf = async (tapeId: string) => aws.store.getJson<{ concentrations: Array<{ id: string; limit: string; pass: boolean }>; eligibility: { eligibleCount: number } }>(artifactKeys(tapeId).report);
    const [a, b] = [await reportOf(strict.state.tapeId!), await reportOf(plain.state.tapeId!)];
    expect(a.concentrations.find((t) => t.id === 'C01')).toMatchObject({ limit: '0.010000', pass: false });
    expect(b.concentrations.find((t) => t.id === 'C01')).toMatchObject({ limit: '0.300000' });
    expect(a.eligibility.eligibleCount).toBeLessThan(b.eligibility.eligibleCount);
  });

  it('a bad criteria file fails the tape with the path of the bad value', async () => {
    await aws.clients.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'criteria/acme/bad-deal.json', Body: JSON.stringify({ concentrations: { C01: { max: 7 } } }) }));
    const { outcome, state } = await run(await upload('incoming/acme/bad-deal/t.csv', csv));
    expect(outcome).toBe('failed');
    const tape = await aws.results.getTape(state.tapeId!);
    expect(tape?.failure).toMatchObject({ code: 'CRITERIA_INVALID', userError: true, message: expect.stringMatching(/criteria\/acme\/bad-deal\.json: \/concentrations\/C01\/max/) });
  });
});

describe('failures', () => {
  it('an empty file ends FAILED with its reason; nothing is left half-written', async () => {
    const { outcome, state } = await run(await upload('incoming/acme/deal-2/empty.csv', new Uint8Array(0)));
    expect(outcome).toBe('failed');
    const tape = await aws.results.getTape(state.tapeId!);
    expect(tape).toMatchObject({
      status: 'FAILED',
      failure: { code: 'TAPE_EMPTY', message: 'the file is empty; a tape needs a header row and one row per loan', userError: true },
    });
    expect(tape?.summary).toBeUndefined();
    expect(await artifactsLeft(state.tapeId!)).toEqual([]);
    const events = eventsFor(state.tapeId!);
    expect(events.map((e) => e.type)).toEqual(['TapeFailed']);
    expect(validFailed(events[0]!.detail), JSON.stringify(validFailed.errors)).toBe(true);
    expect(events[0]!.detail).toMatchObject({ code: 'TAPE_EMPTY', userError: true, issuerId: 'acme', dealId: 'deal-2', fileName: 'empty.csv' });
  });

  it('a key outside incoming/{issuerId}/{dealId}/{fileName} is recorded FAILED with the reason, not dropped', async () => {
    const { outcome, state } = await run(await upload('incoming/acme/tape.csv', 'loanId\n1\n'));
    expect(outcome).toBe('failed');
    const tape = await aws.results.getTape(state.tapeId!);
    expect(tape).toMatchObject({ status: 'FAILED', failure: { code: 'OBJECT_KEY_INVALID', userError: true } });
    expect(tape!.failure!.message).toBe("object key 'incoming/acme/tape.csv' has 2 parts after incoming/ where 3 are expected; upload as incoming/{issuerId}/{dealId}/{fileName}, e.g. incoming/acme/deal-1/tape-2026-06.csv");
    expect((await aws.results.listTapesByStatus('FAILED', { limit: 1000 })).items.map((t) => t.tapeId)).toContain(state.tapeId);
    expect(eventsFor(state.tapeId!)[0]?.detail).toMatchObject({ issuerId: null, dealId: null, code: 'OBJECT_KEY_INVALID' });
  });

  it('a transient store error is retried and the tape still scores', async () => {
    let failures = 1;
    const flaky = wrapStore({
      putJson: async (key: string, value: unknown) => {
        if (failures-- > 0) throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
        return aws.store.putJson(key, value);
      },
    });
    const { outcome } = await run(await upload('incoming/acme/deal-3/tape.csv', toCsv(generateTape({ rows: 50, seed: 5 }).rows)), { ...aws.ports, store: flaky });
    expect(outcome).toBe('scored');
    expect(failures).toBeLessThan(0);
  });

  it('an internal error ends FAILED with a reference for the operators, no stack trace, no artifacts', async () => {
    const broken = wrapStore({ getJson: async () => { throw new Error('boom: internal detail'); } });
    const { outcome, state } = await run(await upload('incoming/acme/deal-4/tape.csv', toCsv(generateTape({ rows: 50, seed: 6 }).rows)), { ...aws.ports, store: broken }, 'run-internal-1');
    expect(outcome).toBe('failed');
    const tape = await aws.results.getTape(state.tapeId!);
    expect(tape).toMatchObject({ status: 'FAILED', failure: { code: 'INTERNAL', userError: false } });
    expect(tape!.failure!.message).toContain('run-internal-1');
    expect(tape!.failure!.message).not.toContain('boom');
    expect(await artifactsLeft(state.tapeId!)).toEqual([]);
  });
});
