/**
 * Re-scores on the local stack, through the API and the `dmbs rescore` command: a new result
 * revision of the same tape under the deal's current criteria, the earlier revision kept, listed
 * and readable; issuers refused; a job over every deal's latest tape with its progress.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAjv } from '../../functions/core/schema/ajv.ts';
import tapeScoredSchema from '../../schemas/tape-scored.v1.schema.json' with { type: 'json' };
import { generateTape, toCsv } from '../../bench/tape-generator.ts';
import type { DmbsReport } from '../../functions/core/generated/report.ts';
import type { LoanPage, RescoreJob, Tape } from '../../functions/api/generated/api.ts';
import { runRescoreCommand } from '../../functions/cli/rescore-command.ts';
import { S3TapeStore } from '../../functions/aws/s3-tape-store.ts';
import type { RescorePorts } from '../../functions/pipeline/ports.ts';
import { runRescore } from '../../functions/pipeline/run-rescore.ts';
import { throttleFirstCalls } from '../../functions/pipeline/step-invoker.ts';
import { collect, startTestStack, type TestStack } from './support/local-stack-harness.ts';

let t: TestStack;
const tapes: Record<string, string> = {};

async function post<T>(path: string, body: unknown, token = t.reviewerToken): Promise<{ status: number; body: T; location: string | null }> {
  const res = await fetch(`${t.stack.endpoints.api}${path}`, {
    method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T, location: res.headers.get('location') };
}

async function waitForJob(jobId: string): Promise<RescoreJob> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { body } = await t.api<RescoreJob>(`/v1/rescores/${jobId}`);
    if (body.status === 'DONE') return body;
    if (Date.now() > deadline) throw new Error(`job ${jobId} not done: ${JSON.stringify(body)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  t = await startTestStack();
  for (const [deal, seed] of [['deal-r1', 1], ['deal-r2', 2], ['deal-r3', 3]] as const) {
    const { tapeId } = await t.upload(`incoming/demo/${deal}/tape.csv`, toCsv(generateTape({ rows: 40, seed, dealId: deal }).rows));
    tapes[deal] = tapeId;
    expect((await t.waitForFinal(tapeId)).status).toBe('SCORED');
  }
}, 60_000);
afterAll(async () => t?.stop());

describe('POST /v1/tapes/{tapeId}/rescore', () => {
  it('refuses issuers (403) and answers 404 for an unknown tape', async () => {
    const issuer = await post<{ code: string }>(`/v1/tapes/${tapes['deal-r1']}/rescore`, {}, t.issuerToken);
    expect(issuer.status).toBe(403);
    expect(issuer.body.code).toBe('ROLE_FORBIDDEN');
    const missing = await post<{ code: string }>(`/v1/tapes/${'0'.repeat(32)}/rescore`, {});
    expect(missing.status).toBe(404);
    const job = await post<{ code: string }>('/v1/rescores', { all: true }, t.issuerToken);
    expect(job.status).toBe(403);
  });

  it('writes a new revision under the deal\'s current criteria and keeps the earlier one listed and readable', async () => {
    const tapeId = tapes['deal-r1']!;
    const before = (await t.api<Tape>(`/v1/tapes/${tapeId}`)).body;
    expect(before).toMatchObject({ revision: 1, revisions: [], rescoring: null });
    expect(before.summary!.eligibleCount).toBeGreaterThan(0);
    const reportBefore = (await t.api<DmbsReport>(`/v1/tapes/${tapeId}/report`)).body;

    // The deal's criteria change: no loan meets a DSCR of 50.
    await t.upload('criteria/demo/deal-r1.json', Buffer.from(JSON.stringify({ eligibility: { E05: { minDscr: 50 } } })));
    const started = await post<RescoreJob>(`/v1/tapes/${tapeId}/rescore`, {});
    expect(started.status).toBe(202);
    expect(started.location).toBe(`/v1/rescores/${started.body.jobId}`);
    expect(started.body).toMatchObject({ scope: { tapeId }, status: 'RUNNING' });
    const job = await waitForJob(started.body.jobId);
    expect(job).toMatchObject({ total: 1, done: 1, scored: 1, failed: 0, skipped: 0 });

    const after = (await t.api<Tape>(`/v1/tapes/${tapeId}`)).body;
    expect(after.status).toBe('SCORED');
    expect(after.revision).toBe(2);
    expect(after.rescoring).toBeNull();
    expect(after.summary!.eligibleCount).toBe(0);
    expect(after.summary!.rowCount).toBe(before.summary!.rowCount);
    expect(after.revisions).toEqual([expect.objectContaining({
      revision: 1, scoredAt: before.scoredAt, eligibleCount: before.summary!.eligibleCount, scorePoints: before.summary!.scorePoints,
      links: { report: `/v1/tapes/${tapeId}/report?revision=1`, loans: `/v1/tapes/${tapeId}/loans?revision=1` },
    })]);

    const current = (await t.api<DmbsReport>(`/v1/tapes/${tapeId}/report`)).body;
    expect(current.eligibility!.eligibleCount).toBe(0);
    const old = await t.api<DmbsReport>(`/v1/tapes/${tapeId}/report?revision=1`);
    expect(old.status).toBe(200);
    expect(old.body).toEqual(reportBefore);
    const ineligible = (await t.api<LoanPage>(`/v1/tapes/${tapeId}/loans?criterion=E05&limit=1000`)).body;
    expect(ineligible.items.length).toBe(before.summary!.validRowCount);
    expect((await t.api<{ code: string }>(`/v1/tapes/${tapeId}/report?revision=7`)).status).toBe(404);
    // The revision has its own loan pages and keys (what /loans and compare read) and criteria.
    const record = (await t.stack.results.getTape(tapeId))!;
    for (const k of [record.artifacts!.loanPages, record.artifacts!.loanPagesIndex, record.artifacts!.loanKeys, record.artifacts!.loanResults]) {
      expect(k).toMatch(new RegExp(`^reports/${tapeId}/r2/`));
    }
    const eligibleBefore = (await t.api<LoanPage>(`/v1/tapes/${tapeId}/loans?revision=1&eligible=true&limit=1000`)).body;
    expect(eligibleBefore.items).toHaveLength(before.summary!.eligibleCount!);
    const criteria = async (query: string) => JSON.stringify((await t.api(`/v1/tapes/${tapeId}/criteria${query}`)).body);
    expect(await criteria('')).toContain('50');
    expect(await criteria('?revision=1')).not.toEqual(await criteria(''));
    // No new tape version: the deal still lists one tape.
    const list = (await t.api<{ items: unknown[] }>('/v1/deals/deal-r1/tapes')).body;
    expect(list.items).toHaveLength(1);
    // TapeScored again, carrying the revision, valid against its schema.
    const validScored = createAjv().compile(tapeScoredSchema);
    const events = (await readFile(t.stack.eventsFile, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { 'detail-type': string; detail: { tapeId: string; revision?: number } });
    const scored = events.filter((e) => e['detail-type'] === 'TapeScored' && e.detail.tapeId === tapeId);
    expect(scored.map((e) => e.detail.revision)).toEqual([undefined, 2]);
    for (const e of scored) expect(validScored(e.detail), JSON.stringify(validScored.errors)).toBe(true);
  });
});

describe('no race with a running pipeline or another re-score (conditional claim)', () => {
  const claim = (tapeId: string, runId: string, now = new Date().toISOString(), leaseMs = 60_000) =>
    t.stack.results.claimRescore({ tapeId, runId, jobId: null, now, leaseMs });

  it('a tape whose upload run is still going is skipped, not claimed', async () => {
    const object = { bucket: t.stack.bucket, key: 'incoming/demo/deal-busy/tape.csv', versionId: null, eTag: 'e1', size: 10, eventTime: new Date().toISOString() };
    const tapeId = '1'.repeat(32);
    await t.stack.results.receiveTape({ tapeId, runId: 'upload-run', object, tape: { issuerId: 'demo', dealId: 'deal-busy', fileName: 'tape.csv' }, now: object.eventTime });
    expect(await claim(tapeId, 'rescore-x')).toEqual({ outcome: 'skipped', reason: expect.stringMatching(/is RECEIVED; only SCORED tapes/) });
    expect((await t.stack.results.getTape(tapeId))?.rescoring).toBeUndefined();
  });

  it('a second re-score is refused while the first holds the tape, and takes over only after the lease; the first can then not publish', async () => {
    const tapeId = tapes['deal-r3']!;
    const first = await claim(tapeId, 'rescore-a');
    expect(first).toMatchObject({ outcome: 'claimed' });
    expect(await claim(tapeId, 'rescore-b')).toMatchObject({ outcome: 'skipped', reason: expect.stringMatching(/is being re-scored/) });
    const conflict = await post<{ code: string }>(`/v1/tapes/${tapeId}/rescore`, {});
    expect(conflict.status).toBe(409);
    expect(conflict.body.code).toBe('RESCORE_IN_PROGRESS');
    // Much later, the claim of a run that died is taken over.
    const later = new Date(Date.now() + 3 * 60 * 60 * 1000).toISOString();
    const second = await claim(tapeId, 'rescore-b', later);
    expect(second).toMatchObject({ outcome: 'claimed', revision: first.outcome === 'claimed' ? first.revision : -1 });
    const tape = (await t.stack.results.getTape(tapeId))!;
    await expect(t.stack.results.publishScored(tapeId, 'rescore-a', { summary: tape.summary!, artifacts: tape.artifacts! }, later, { revision: tape.rescoring!.revision, jobId: null }))
      .rejects.toThrow(/no longer holds tape/);
    expect(await t.stack.results.releaseRescore(tapeId, 'rescore-a', { code: 'INTERNAL', message: 'x', userError: false }, later)).toBe(false);
    expect(await t.stack.results.releaseRescore(tapeId, 'rescore-b', { code: 'INTERNAL', message: 'test over', userError: false }, later)).toBe(true);
    const after = (await t.stack.results.getTape(tapeId))!;
    expect(after).toMatchObject({ status: 'SCORED', lastRescoreFailure: { message: 'test over' } });
    expect([after.revision ?? 1, after.rescoring]).toEqual([1, undefined]);
  });
});

describe('dmbs rescore', () => {
  it('--all re-scores every deal\'s latest tape, printing progress to stderr', async () => {
    const out = collect();
    const err = collect();
    const target = ['--endpoint', t.stack.endpoints.api, '--token', t.reviewerToken];
    expect(await runRescoreCommand(['--all', ...target], { out, err, pollMs: 20 })).toBe(0);
    expect(err.text()).toMatch(/rescore [0-9a-f]{32}: 3\/3 done \(3 scored, 0 failed, 0 skipped\)/);
    expect(out.text()).toMatch(/re-scored every deal's latest tape: 3 new revision\(s\), 0 failed, 0 skipped of 3/);
    for (const deal of ['deal-r2', 'deal-r3']) expect((await t.api<Tape>(`/v1/tapes/${tapes[deal]}`)).body.revision).toBe(2);
    // A successful re-score clears the earlier failure.
    expect((await t.api<Tape>(`/v1/tapes/${tapes['deal-r3']}`)).body.lastRescoreFailure).toBeUndefined();
    expect((await t.api<Tape>(`/v1/tapes/${tapes['deal-r1']}`)).body.revision).toBe(3);
  });

  it('--deal re-scores one deal; a bad criteria file fails the re-score and keeps the current revision', async () => {
    await t.upload('criteria/demo/deal-r2.json', Buffer.from('{ not json'));
    const out = collect();
    const target = ['--endpoint', t.stack.endpoints.api, '--token', t.reviewerToken];
    expect(await runRescoreCommand(['--deal', 'deal-r2', '--json', ...target], { out, err: collect(), pollMs: 20 })).toBe(1);
    expect(JSON.parse(out.text())).toMatchObject({ scope: { issuerId: 'demo', dealId: 'deal-r2' }, total: 1, failed: 1, status: 'DONE' });
    const tape = (await t.api<Tape>(`/v1/tapes/${tapes['deal-r2']}`)).body;
    expect(tape).toMatchObject({ status: 'SCORED', revision: 2, rescoring: null, lastRescoreFailure: { code: 'CRITERIA_INVALID', userError: true } });
    expect((await t.api(`/v1/tapes/${tapes['deal-r2']}/report`)).status).toBe(200);
  });

  it('the jobs\' tape lists under rescores/ are not taken for uploads', async () => {
    await t.stack.runner.whenIdle();
    const failed = await t.stack.results.listTapesByStatus('FAILED');
    expect(failed.items.map((x) => x.object.key)).toEqual([]);
    expect(t.runs.map((r) => r.object.key).filter((k) => !k.startsWith('incoming/'))).toEqual([]);
  });
});

describe('a re-score item under the pipeline\'s contracts', () => {
  it('throttled invocations are retried apart; a TapeScored the bus refuses stays in the tape\'s outbox', async () => {
    const tapeId = tapes['deal-r3']!;
    await t.stack.runner.whenIdle();
    const revision = (await t.stack.results.getTape(tapeId))!.revision ?? 1;
    const store = new S3TapeStore({ client: t.stack.clients.s3, bucket: t.stack.bucket });
    const refused = Object.assign(new Error('bus down'), { name: 'InternalException' });
    const ports: RescorePorts = { store, results: t.stack.results, events: { publish: async () => { throw refused; } } };
    const invoke = throttleFirstCalls(3);
    const out = await runRescore({ tapeId, runId: 'test-rescore-outbox', jobId: null }, ports, { invoke, sleep: async () => undefined });
    expect(invoke.throttled).toBe(3);
    // The revision was published (the conditional write), but its event could not go out: the run failed after it.
    expect(out.outcome).toBe('failed');
    const tape = (await t.stack.results.getTape(tapeId))!;
    expect(tape.revision).toBe(revision + 1);
    const owed = await t.stack.results.pendingEvents({ scoredBefore: new Date(Date.now() + 60_000).toISOString() });
    expect(owed.filter((e) => e.tapeId === tapeId).map((e) => (e.event.detail as { revision?: number }).revision)).toEqual([revision + 1]);
    expect((await t.stack.sweepEvents({ graceSeconds: 0 })).published).toBeGreaterThanOrEqual(1);
    expect((await t.stack.results.pendingEvents({ scoredBefore: new Date(Date.now() + 60_000).toISOString() })).filter((e) => e.tapeId === tapeId)).toEqual([]);
  });
});
