/**
 * The local stack end to end: the embedded emulators on free ports, uploads through the real
 * @aws-sdk/client-s3 and the aws CLI, the runner, and results read through the API.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tape, TapePage } from '../../functions/api/generated/api.ts';
import type { S3NotificationRecord } from '../../functions/aws/object-created.ts';
import { runCheck } from '../../functions/cli/check-command.ts';
import { runReportCommand } from '../../functions/cli/report-command.ts';
import { runStatusCommand } from '../../functions/cli/status-command.ts';
import { runUploadCommand } from '../../functions/cli/upload-command.ts';
import { isDmbsError } from '../../functions/core/errors.ts';
import { AWS_CLI_ENV } from '../../functions/local/banner.ts';
import { DataDirInUseError } from '../../functions/local/data-dir-lock.ts';
import { monthlyVersions } from '../../functions/local/demo-history.ts';
import { startLocalStack } from '../../functions/local/local-stack.ts';
import { tapeIdFor } from '../../functions/pipeline/tape-id.ts';
import { generateTape, toCsv } from '../../bench/tape-generator.ts';
import { asOfflineFirstTape, collect, startTestStack, withoutGeneratedAt, type TestStack } from './support/local-stack-harness.ts';

const run = promisify(execFile);
const awsOnPath = spawnSync('aws', ['--version'], { stdio: 'ignore' }).status === 0;
if (!awsOnPath) console.log('local-stack: the aws CLI upload test does not run: `aws` is not on PATH');

let t: TestStack;
let work: string;

beforeAll(async () => {
  t = await startTestStack();
  work = await mkdtemp(join(tmpdir(), 'dmbs-local-files-'));
});

afterAll(async () => {
  await t?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

const tape = (rows: number, seed: number, dealId: string, brokenShare = 0) => toCsv(generateTape({ rows, seed, dealId, brokenShare }).rows);

/** What `dmbs check --json --deal D FILE` prints, parsed. */
async function checkJson(file: string, dealId: string): Promise<unknown> {
  const out = collect();
  await runCheck({ file, json: true, dealId }, out);
  return JSON.parse(out.text());
}

describe('local stack', () => {
  it('answers GET /health 200 when S3, DynamoDB and the runner are ready', async () => {
    const response = await fetch(`${t.stack.endpoints.api}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', checks: { s3: 'ok', dynamodb: 'ok', runner: 'ok' } });
  });

  it('applies a deal criteria file uploaded to criteria/{issuerId}/{dealId}.json, which is not taken for a tape', async () => {
    await t.upload('criteria/demo/deal-strict.json', Buffer.from(JSON.stringify({ concentrations: { C04: { max: 0.001 } } })));
    const { tapeId } = await t.upload('incoming/demo/deal-strict/tape.csv', Buffer.from(tape(120, 21, 'deal-strict')));
    expect((await t.waitForFinal(tapeId)).status).toBe('SCORED');
    const report = (await t.api(`/v1/tapes/${tapeId}/report`)).body as { concentrations: Array<{ id: string; limit: string; pass: boolean }> };
    expect(report.concentrations.find((c) => c.id === 'C04')).toMatchObject({ limit: '0.001000', pass: false });
    await t.stack.runner.whenIdle();
    const failed = (await t.api('/v1/deals')).body as { items: Array<{ dealId: string }> };
    expect(failed.items.map((d) => d.dealId)).not.toContain('deal-strict.json');
  });

  it('reads a tape with its deal\'s column mapping (PUT through the API), which is not taken for a tape', async () => {
    const mapping = await readFile('examples/issuer-mapping.json', 'utf8');
    const put = await fetch(`${t.stack.endpoints.api}/v1/deals/deal-mapped/mapping`, {
      method: 'PUT', headers: { authorization: `Bearer ${t.issuerToken}`, 'content-type': 'application/json' }, body: mapping,
    });
    expect(put.status, await put.clone().text()).toBe(200);
    expect(await put.json()).toEqual(JSON.parse(mapping));
    const { tapeId } = await t.upload('incoming/demo/deal-mapped/issuer-tape.csv', await readFile('examples/issuer-tape.csv'));
    const done = await t.waitForFinal(tapeId);
    expect(done.status, JSON.stringify(done.failure)).toBe('SCORED');
    expect(done.summary).toMatchObject({ validRowCount: 12, invalidRowCount: 0 });
    await t.stack.runner.whenIdle();
    expect(t.runs.map((r) => r.object.key)).not.toContain('mapping/demo/deal-mapped.json');
  });

  it('fails a tape whose deal mapping file is invalid with MAPPING_INVALID and the JSON path', async () => {
    await t.upload('mapping/demo/deal-badmap.json', Buffer.from(JSON.stringify({ schemaVersion: 'dmbs-column-mapping/1', columns: { 'Curr Bal': 'balanceNow' } })));
    const { tapeId } = await t.upload('incoming/demo/deal-badmap/issuer-tape.csv', await readFile('examples/issuer-tape.csv'));
    const done = await t.waitForFinal(tapeId);
    expect(done.status).toBe('FAILED');
    expect(done.failure).toMatchObject({ code: 'MAPPING_INVALID', userError: true, message: expect.stringMatching(/mapping\/demo\/deal-badmap\.json: \/columns\/Curr Bal: 'balanceNow' is not a field/) });
    await t.upload('mapping/demo/deal-badjson.json', Buffer.from('{ "columns": '));
    const second = await t.waitForFinal((await t.upload('incoming/demo/deal-badjson/issuer-tape.csv', await readFile('examples/issuer-tape.csv'))).tapeId);
    expect(second.failure).toMatchObject({ code: 'MAPPING_INVALID', message: expect.stringMatching(/^mapping\/demo\/deal-badjson\.json: is not valid JSON/) });
  });

  it('creates keys.json with SHA-256 digests only, and refuses a second stack on the same data directory', async () => {
    const text = await readFile(t.stack.keysFile, 'utf8');
    expect(text).not.toContain(t.reviewerToken);
    expect(text).not.toContain(t.issuerToken);
    expect((JSON.parse(text) as { keys: Array<Record<string, unknown>> }).keys.map((k) => [k.role, k.issuerId, typeof k.tokenSha256, k.token]))
      .toEqual([['reviewer', undefined, 'string', undefined], ['issuer', 'demo', 'string', undefined]]);
    expect((await t.api('/v1/deals', 'not-a-known-token-at-all')).status).toBe(401);
    await expect(startLocalStack({ dataDir: t.dataDir, apiPort: 0, s3Port: 0, dynamoDbPort: 0 })).rejects.toThrow(DataDirInUseError);
  });

  it('scores a tape uploaded with the SDK; its report equals `dmbs check --json` except generatedAt', async () => {
    const file = join(work, 'tape-2026-10.csv');
    await writeFile(file, tape(200, 11, 'deal-1', 0.05));
    const { tapeId } = await t.upload('incoming/demo/deal-1/tape-2026-10.csv', await readFile(file));
    const result = await t.waitForFinal(tapeId);
    expect(result.status).toBe('SCORED');
    expect(result.summary?.rowCount).toBe(200);
    const report = await t.api(`/v1/tapes/${tapeId}/report`);
    expect(report.status).toBe(200);
    expect(asOfflineFirstTape(report.body)).toEqual(withoutGeneratedAt(await checkJson(file, 'deal-1')));
    // The issuer of the deal sees it too; the event for onboarding is in the events log (written after the status).
    expect((await t.api(`/v1/tapes/${tapeId}`, t.issuerToken)).status).toBe(200);
    await t.stack.runner.whenIdle();
    const events = (await readFile(t.stack.eventsFile, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { 'detail-type': string; detail: { tapeId: string } });
    expect(events.filter((e) => e.detail.tapeId === tapeId).map((e) => e['detail-type'])).toEqual(['TapeScored', 'LoansWatchlisted']);
  });

  it('compares a deal\'s next month with the one before: the same watchlist as `dmbs check --prior` offline', async () => {
    const [aug, sep] = monthlyVersions({ rows: 120, seed: 9, dealId: 'deal-months', reportingDates: ['2026-08-31', '2026-09-30'] }).map((rows) => toCsv(rows));
    const [augFile, sepFile] = [join(work, 'months-08.csv'), join(work, 'months-09.csv')];
    await writeFile(augFile, aug!);
    await writeFile(sepFile, sep!);
    const first = await t.waitForFinal((await t.upload('incoming/demo/deal-months/months-08.csv', await readFile(augFile))).tapeId);
    const second = await t.waitForFinal((await t.upload('incoming/demo/deal-months/months-09.csv', await readFile(sepFile))).tapeId);
    const piped = (await t.api<{ watchlist: { priorTape: unknown } }>(`/v1/tapes/${second.tapeId}/report`)).body.watchlist;
    const out = collect();
    await runCheck({ file: sepFile, prior: augFile, json: true, dealId: 'deal-months' }, out);
    const offline = (JSON.parse(out.text()) as { watchlist: { priorTape: unknown } }).watchlist;
    expect(piped.priorTape).toEqual({ tapeId: first.tapeId, reportingDate: '2026-08-31' });
    expect({ ...piped, priorTape: null }).toEqual({ ...offline, priorTape: null });
    await t.stack.runner.whenIdle();
    const events = (await readFile(t.stack.eventsFile, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { 'detail-type': string; detail: { tapeId: string; priorTape?: { tapeId: string } } });
    expect(events.find((e) => e['detail-type'] === 'LoansWatchlisted' && e.detail.tapeId === second.tapeId)?.detail.priorTape).toEqual({ tapeId: first.tapeId });
  });

  it.runIf(awsOnPath)('scores tapes uploaded with the aws CLI, single PUT and multipart (ObjectCreated:Post)', async () => {
    const small = join(work, 'small.csv');
    const large = join(work, 'large.csv');
    await writeFile(small, tape(150, 21, 'deal-cli'));
    await writeFile(large, tape(20_000, 22, 'deal-cli')); // ≈ 11 MB: above the CLI's 8 MB multipart threshold
    const env = { ...process.env, ...Object.fromEntries(AWS_CLI_ENV.split(' ').map((kv) => kv.split('=') as [string, string])) };
    for (const [file, key] of [[small, 'incoming/demo/deal-cli/small.csv'], [large, 'incoming/demo/deal-cli/large.csv']] as const) {
      await run('aws', ['--endpoint-url', t.stack.endpoints.s3, 's3', 'cp', file, `s3://${t.stack.bucket}/${key}`, '--only-show-errors'], { env });
    }
    await t.stack.runner.whenIdle();
    const page = await t.api<TapePage>('/v1/deals/deal-cli/tapes');
    expect(page.body.items.map((i) => [i.fileName, i.status, i.rowCount])).toEqual([['large.csv', 'SCORED', 20_000], ['small.csv', 'SCORED', 150]]);
    const large1 = page.body.items[0]!;
    // Both tapes carry the same reportingDate: neither is the other's prior (only an earlier date is).
    expect(asOfflineFirstTape((await t.api(`/v1/tapes/${large1.tapeId}/report`)).body)).toEqual(withoutGeneratedAt(await checkJson(large, 'deal-cli')));
  });

  it('gives one result when the same notification is delivered three times', async () => {
    const key = 'incoming/demo/deal-dup-notify/tape.csv';
    const body = tape(120, 31, 'deal-dup-notify');
    const { tapeId, versionId } = await t.upload(key, body);
    // The runner got the emulator's notification as the PUT returned; deliver it twice more while it runs.
    const record: S3NotificationRecord = {
      eventName: 'ObjectCreated:Put', eventTime: new Date().toISOString(),
      s3: { bucket: { name: t.stack.bucket }, object: { key, versionId: versionId!, size: Buffer.byteLength(body) } },
    };
    t.stack.runner.submit([record]);
    t.stack.runner.submit([record]);
    await t.stack.runner.whenIdle();
    const runs = t.runs.filter((r) => r.tapeId === tapeId);
    expect(runs).toHaveLength(3);
    expect(runs.map((r) => r.outcome).sort()).toEqual(['scored', 'stopped', 'stopped']);
    expect(runs.filter((r) => r.outcome === 'stopped').map((r) => r.run?.state.stop?.reason)).toEqual(['DUPLICATE_NOTIFICATION', 'DUPLICATE_NOTIFICATION']);
    expect((await t.waitForFinal(tapeId)).status).toBe('SCORED');
    const page = await t.api<TapePage>('/v1/deals/deal-dup-notify/tapes');
    expect(page.body.items.map((i) => i.tapeId)).toEqual([tapeId]);
    const events = (await readFile(t.stack.eventsFile, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { 'detail-type': string; detail: { tapeId: string } });
    expect(events.filter((e) => e.detail.tapeId === tapeId && e['detail-type'] === 'TapeScored')).toHaveLength(1);
  });

  it('records no new tape version for byte-identical content, and a new one for a changed file', async () => {
    const v1 = tape(100, 41, 'deal-versions');
    const first = await t.upload('incoming/demo/deal-versions/tape.csv', v1);
    expect((await t.waitForFinal(first.tapeId)).status).toBe('SCORED');

    const again = await t.upload('incoming/demo/deal-versions/tape.csv', v1);
    const renamed = await t.upload('incoming/demo/deal-versions/tape-copy.csv', v1);
    for (const same of [again, renamed]) {
      expect(same.tapeId).not.toBe(first.tapeId); // a new object version ...
      const result = await t.waitForFinal(same.tapeId);
      expect(result.status).toBe('DUPLICATE'); // ... but no new tape version
      expect(result.duplicateOf).toBe(first.tapeId);
    }
    let page = await t.api<TapePage>('/v1/deals/deal-versions/tapes');
    expect(page.body.items.map((i) => i.tapeId)).toEqual([first.tapeId]);

    const changed = await t.upload('incoming/demo/deal-versions/tape.csv', tape(100, 42, 'deal-versions'));
    expect((await t.waitForFinal(changed.tapeId)).status).toBe('SCORED');
    page = await t.api<TapePage>('/v1/deals/deal-versions/tapes');
    expect(page.body.items.map((i) => i.tapeId)).toEqual([changed.tapeId, first.tapeId]);
    // Each version's report is its own bytes' (the emulator keeps every version, as the versioned bucket in AWS does).
    const oldReport = (await t.api<{ tape: { sha256: string } }>(`/v1/tapes/${first.tapeId}/report`)).body;
    const newReport = (await t.api<{ tape: { sha256: string } }>(`/v1/tapes/${changed.tapeId}/report`)).body;
    expect(oldReport.tape.sha256).not.toBe(newReport.tape.sha256);
  });

  it('processes 50 versions of one deal uploaded at once: none lost, listed in upload order', async () => {
    const bodies = Array.from({ length: 50 }, (_, i) => tape(30, 500 + i, 'deal-burst'));
    const uploads = await Promise.all(bodies.map((b) => t.upload('incoming/demo/deal-burst/tape.csv', b)));
    await t.stack.runner.whenIdle();
    const page = await t.api<TapePage>('/v1/deals/deal-burst/tapes?limit=100');
    expect(page.body.items).toHaveLength(50);
    expect(page.body.items.every((i) => i.status === 'SCORED')).toBe(true);
    // Upload order is the order S3 stored the versions (version ids sort by it): newest first.
    const newestFirst = [...uploads].sort((a, b) => (a.versionId! < b.versionId! ? 1 : -1)).map((u) => u.tapeId);
    expect(page.body.items.map((i) => i.tapeId)).toEqual(newestFirst);
  }, 120_000); // 50 tapes through one stack: twice the default timeout keeps a slow shared machine far from it

  it('records keys that are not incoming/{issuerId}/{dealId}/{fileName} as FAILED with the reason', async () => {
    const cases: Array<[string, RegExp]> = [
      ['incoming/demo/tape.csv', /has 2 parts after incoming\/ where 3 are expected/],
      ['tape.csv', /is not under incoming\//],
      ['incoming/demo/deal-1/my tape.csv', /fileName 'my tape\.csv' contains a space/],
      ['incoming/demo/deal-1/sub/tape.csv', /has 4 parts after incoming\//],
    ];
    for (const [key, reason] of cases) {
      const { tapeId } = await t.upload(key, 'loanId\nL1\n');
      const result = await t.waitForFinal(tapeId);
      expect(result.status, key).toBe('FAILED');
      expect(result.failure?.code, key).toBe('OBJECT_KEY_INVALID');
      expect(result.failure?.message, key).toMatch(reason);
      expect(result.failure?.userError, key).toBe(true);
    }
  });

  it('leaves the pipeline\'s own artifacts under reports/ alone (they are not uploads)', async () => {
    await t.stack.runner.whenIdle();
    const before = t.runs.length;
    await t.upload('reports/not-a-tape/report.json', '{}');
    await t.stack.runner.whenIdle();
    expect(t.runs.length).toBe(before);
  });

  it('fails a file that is not a tape with the same reason `dmbs check` gives', async () => {
    const file = join(work, 'empty.csv');
    await writeFile(file, '');
    const { tapeId } = await t.upload('incoming/demo/deal-bad/empty.csv', '');
    const result = await t.waitForFinal(tapeId);
    expect(result.status).toBe('FAILED');
    const offline = await runCheck({ file, json: true }, collect()).then(() => undefined, (e: unknown) => e);
    expect(isDmbsError(offline)).toBe(true);
    expect(result.failure).toEqual({ code: (offline as { code: string }).code, message: (offline as Error).message, userError: true });
  });

  it('serves `dmbs upload`, `dmbs status` and `dmbs report` against the running stack', async () => {
    const file = join(work, 'via-cli.csv');
    await writeFile(file, tape(80, 61, 'deal-cli-2'));
    const target = ['--endpoint', t.stack.endpoints.api];
    const uploadOut = collect();
    expect(await runUploadCommand([file, '--deal', 'deal-cli-2', '--json', ...target, '--token', t.issuerToken], uploadOut)).toBe(0);
    const uploaded = JSON.parse(uploadOut.text()) as Tape;
    expect(uploaded.status).toBe('SCORED');
    expect(uploaded.object.key).toBe('incoming/demo/deal-cli-2/via-cli.csv');

    const statusOut = collect();
    expect(await runStatusCommand([uploaded.tapeId, ...target, '--token', t.reviewerToken], statusOut)).toBe(0);
    expect(statusOut.text()).toContain(`tape ${uploaded.tapeId}  SCORED`);
    const listOut = collect();
    expect(await runStatusCommand([...target, '--token', t.reviewerToken], listOut)).toBe(0);
    expect(listOut.text()).toMatch(/demo\s+deal-cli-2\s+via-cli\.csv\s+SCORED/);

    const reportOut = collect();
    expect(await runReportCommand([uploaded.tapeId, ...target, '--token', t.reviewerToken], reportOut)).toBe(0);
    expect(asOfflineFirstTape(JSON.parse(reportOut.text()))).toEqual(withoutGeneratedAt(await checkJson(file, 'deal-cli-2')));

    // A tape id computed by the CLI is the one the pipeline gives the upload.
    expect(uploaded.tapeId).toBe(tapeIdFor({ bucket: t.stack.bucket, key: uploaded.object.key, versionId: (await t.stack.versions.list(t.stack.bucket)).filter((v) => v.key === uploaded.object.key).at(-1)!.versionId }));
  });
});
