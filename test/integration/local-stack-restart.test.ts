/**
 * Restarts of the local stack: tapes an earlier process left non-final are resumed or FAILED
 * with a reason, uploads whose notification was never processed are picked up, nothing stays
 * stuck and nothing is half-written; a process killed mid-tape (SIGKILL) and a clean SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { statSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import type { Tape } from '../../functions/api/generated/api.ts';
import { createAwsClients, destroyAwsClients } from '../../functions/aws/clients.ts';
import { parseTapeKey } from '../../functions/pipeline/tape-key.ts';
import { EMULATOR_CREDENTIALS } from '../../functions/local/emulators.ts';
import { CRASHED_CODE, INTERRUPTED_CODE } from '../../functions/local/recovery.ts';
import { ACTIVE_STATUSES, artifactKeys, tapeIdFor, type TapeObject } from '../../functions/pipeline/index.ts';
import { generateTape, toCsv } from '../../bench/tape-generator.ts';
import { startTestStack } from './support/local-stack-harness.ts';

const REPO = new URL('../..', import.meta.url).pathname;
const tape = (rows: number, seed: number, dealId: string) => toCsv(generateTape({ rows, seed, dealId }).rows);

describe('local stack restart', () => {
  it('resumes tapes left RECEIVED/VALIDATING, fails EVALUATING ones and those the process died during, and queues unprocessed uploads', async () => {
    const first = await startTestStack({ startRunner: false });
    const { stack } = first;
    const now = new Date().toISOString();
    // Three uploads the runner never gets to (it is not started), then the state a crash leaves.
    const a = await first.upload('incoming/demo/deal-r/a.csv', tape(60, 71, 'deal-r'));
    const b = await first.upload('incoming/demo/deal-r/b.csv', tape(60, 72, 'deal-r'));
    const c = await first.upload('incoming/demo/deal-r/c.csv', tape(60, 73, 'deal-r'));
    const d = await first.upload('incoming/demo/deal-r/d.csv', tape(60, 74, 'deal-r'));
    await first.upload('criteria/demo/deal-r.json', '{}'); // a version too, but not an upload: never queued
    const objectOf = (key: string, versionId: string | undefined): TapeObject => ({ bucket: stack.bucket, key, versionId: versionId ?? null, eventTime: now });
    const claim = async (key: string, versionId: string | undefined, runId: string) => {
      const object = objectOf(key, versionId);
      const tapeId = tapeIdFor(object);
      const parsed = parseTapeKey(key);
      if (!parsed.ok) throw new Error(parsed.reason);
      await stack.results.receiveTape({ tapeId, runId, object, tape: parsed.parts, now });
      await stack.results.setStatus(tapeId, runId, 'VALIDATING', now);
      return tapeId;
    };
    expect(await claim('incoming/demo/deal-r/a.csv', a.versionId, 'local-dead0000-1')).toBe(a.tapeId);
    expect(await claim('incoming/demo/deal-r/b.csv', b.versionId, 'local-dead0000-2')).toBe(b.tapeId);
    await stack.results.setStatus(b.tapeId, 'local-dead0000-2', 'EVALUATING', now);
    // d was being validated when the process died: its attempt mark outlived the process.
    expect(await claim('incoming/demo/deal-r/d.csv', d.versionId, 'local-dead0000-3')).toBe(d.tapeId);
    await writeFile(join(first.dataDir, 'attempts', `${d.tapeId}.json`), JSON.stringify({ tapeId: d.tapeId, runId: 'local-dead0000-3' }));
    // A DUPLICATE of b (same bytes, another key) that points at it when the process dies.
    const e = await first.upload('incoming/demo/deal-r/b-copy.csv', tape(60, 72, 'deal-r'));
    expect(await claim('incoming/demo/deal-r/b-copy.csv', e.versionId, 'local-dead0000-4')).toBe(e.tapeId);
    await stack.results.markDuplicate(e.tapeId, 'local-dead0000-4', b.tapeId, now);
    const partial = artifactKeys(b.tapeId).loans;
    await stack.clients.s3.send(new PutObjectCommand({ Bucket: stack.bucket, Key: partial, Body: 'half a file' }));
    await first.stop({ keepDataDir: true });

    const second = await startTestStack({ dataDir: first.dataDir, tokens: { reviewer: first.reviewerToken, issuer: first.issuerToken } });
    try {
      expect(second.stack.recovery).toEqual({ resumed: [a.tapeId], failed: [d.tapeId, b.tapeId], queued: 1 });
      await second.stack.runner.whenIdle();
      const [ta, tb, tc, td] = await Promise.all([a, b, c, d].map((u) => second.waitForFinal(u.tapeId)));
      expect(td!.status).toBe('FAILED');
      expect(td!.failure?.code).toBe(CRASHED_CODE);
      expect(td!.failure?.message).toMatch(/ended .* while it was processing this tape .*not tried again/);
      expect(await readdir(join(first.dataDir, 'attempts'))).toEqual([]);
      expect(ta!.status).toBe('SCORED');
      expect((await second.stack.results.getTape(a.tapeId))?.runId).toBe('local-dead0000-1'); // resumed under its own run
      expect(tb!.status).toBe('FAILED');
      expect(tb!.failure?.code).toBe(INTERRUPTED_CODE);
      expect(tb!.failure?.message).toMatch(/stopped while the tape was EVALUATING.*Upload the file again/);
      // Its duplicate does not keep pointing at results that will never exist.
      const te = await second.waitForFinal(e.tapeId);
      expect(te).toMatchObject({ status: 'FAILED', duplicateOf: b.tapeId, failure: { code: INTERRUPTED_CODE } });
      expect(te.failure?.message).toContain(`same bytes as tape ${b.tapeId}`);
      expect(tc!.status).toBe('SCORED');
      // Nothing half-written: the failed tape's partial artifact is gone, no results are shown for it.
      await expect(second.stack.clients.s3.send(new HeadObjectCommand({ Bucket: second.stack.bucket, Key: partial }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
      expect((await second.api(`/v1/tapes/${b.tapeId}/report`)).status).toBe(409);
      for (const status of ACTIVE_STATUSES) expect((await second.stack.results.listTapesByStatus(status)).items, status).toEqual([]);

      // Uploading the interrupted file again processes it (the failed tape hands its content over).
      const again = await second.upload('incoming/demo/deal-r/b.csv', tape(60, 72, 'deal-r'));
      expect((await second.waitForFinal(again.tapeId)).status).toBe('SCORED');

      // Health follows the runner.
      expect((await fetch(`${second.stack.endpoints.api}/health`)).status).toBe(200);
      await second.stack.runner.stop(0);
      const health = await fetch(`${second.stack.endpoints.api}/health`);
      expect(health.status).toBe(503);
      expect(((await health.json()) as { checks: Record<string, string> }).checks.runner).not.toBe('ok');
    } finally {
      await second.stop();
    }
  });

  it('keeps every tape and result across a restart; --rotate-keys replaces the keys', async () => {
    const first = await startTestStack();
    const { tapeId } = await first.upload('incoming/demo/deal-keep/tape.csv', tape(50, 75, 'deal-keep'));
    expect((await first.waitForFinal(tapeId)).status).toBe('SCORED');
    await first.stop({ keepDataDir: true });

    const second = await startTestStack({ dataDir: first.dataDir, rotateKeys: true });
    try {
      expect(second.reviewerToken).not.toBe(first.reviewerToken);
      expect((await second.api(`/v1/tapes/${tapeId}`, first.reviewerToken)).status).toBe(401);
      const kept = await second.api<Tape>(`/v1/tapes/${tapeId}`);
      expect(kept.status).toBe(200);
      expect(kept.body.status).toBe('SCORED');
      expect((await second.api(`/v1/tapes/${tapeId}/report`)).status).toBe(200);
      expect(second.stack.recovery).toEqual({ resumed: [], failed: [], queued: 0 });
    } finally {
      await second.stop();
    }
  });

  it('after a SIGKILL mid-tape the tape ends FAILED with the reason, never resumed nor stuck; SIGTERM stops cleanly', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'dmbs-kill-'));
    const tokens = { reviewer: `rev_${'r'.repeat(32)}`, issuer: `iss_${'i'.repeat(32)}` };
    // An existing keys.json is used as is (plain tokens are hashed as the file is read).
    await writeFile(join(dataDir, 'keys.json'), JSON.stringify({ keys: [{ token: tokens.reviewer, role: 'reviewer' }, { token: tokens.issuer, role: 'issuer', issuerId: 'demo' }] }));
    let child: ChildProcess | undefined;
    try {
      let stack = await startChild(dataDir);
      child = stack.child;
      // Big enough that its processing spans many 10 ms polls (so it is caught non-final), small
      // enough to generate and process twice quickly.
      const rows = 30_000;
      const body = tape(rows, 81, 'deal-kill');
      const clients = createAwsClients({ s3Endpoint: stack.endpoints.s3, credentials: EMULATOR_CREDENTIALS, region: 'us-east-1' });
      const key = 'incoming/demo/deal-kill/big.csv';
      const started = performance.now();
      const put = await clients.s3.send(new PutObjectCommand({ Bucket: 'dmbs-tapes', Key: key, Body: body }));
      destroyAwsClients(clients);
      const tapeId = tapeIdFor({ bucket: 'dmbs-tapes', key, versionId: put.VersionId ?? null });
      const get = (endpoint: string) => fetch(`${endpoint}/v1/tapes/${tapeId}`, { headers: { authorization: `Bearer ${tokens.reviewer}` } })
        .then(async (r) => (r.status === 200 ? ((await r.json()) as Tape) : undefined));

      let seen: Tape | undefined;
      for (const deadline = Date.now() + 30_000; Date.now() < deadline;) {
        seen = await get(stack.endpoints.api);
        // Past the claim, into the work: validating (or later, on a fast machine).
        if (seen && seen.status !== 'RECEIVED') break;
        await new Promise((r) => setTimeout(r, 10));
      }
      expect(seen?.progress.final, 'the tape must be caught mid-way (make it bigger if this machine is faster)').toBe(false);
      child.kill('SIGKILL');
      await once(child, 'exit');

      stack = await startChild(dataDir);
      child = stack.child;
      let final: Tape | undefined;
      for (const deadline = Date.now() + 60_000; Date.now() < deadline && !final?.progress.final;) {
        final = await get(stack.endpoints.api);
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(final?.progress.final).toBe(true);
      // The process died during the tape (as it would if the tape exhausted its memory): not resumed, so no crash loop.
      expect(final!.status).toBe('FAILED');
      expect(final!.failure?.code).toBe(CRASHED_CODE);
      expect(final!.summary).toBeNull();
      // npm start keeps its files for the user only (umask 077).
      const stored = join(dataDir, 's3', 'dmbs-tapes', 'incoming', 'demo', 'deal-kill', 'big.csv._S3rver_object');
      expect(statSync(stored).mode & 0o077).toBe(0);
      console.log(`local-stack-restart: killed while ${seen!.status}; after restart ${final!.status} (${Math.round(performance.now() - started)} ms from upload)`);

      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      expect(code).toBe(0);
      child = undefined;
    } finally {
      if (child && child.exitCode === null) {
        child.kill('SIGKILL');
        await once(child, 'exit');
      }
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});

/** `npm start` in a child process (from source, through tsx) on free ports; resolves when it says it is ready. */
async function startChild(dataDir: string): Promise<{ child: ChildProcess; endpoints: { api: string; s3: string } }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'functions/local/main.ts', '--json'], {
    cwd: REPO,
    env: { ...process.env, DMBS_DATA_DIR: dataDir, DMBS_PORT: '0', DMBS_S3_PORT: '0', DMBS_DYNAMODB_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const lines = createInterface({ input: child.stdout! });
  const ready = new Promise<{ api: string; s3: string }>((resolve, reject) => {
    lines.on('line', (line) => {
      if (!line.startsWith('{')) return;
      const msg = JSON.parse(line) as { ready?: boolean; endpoints?: { api: string; s3: string } };
      if (msg.ready && msg.endpoints) resolve(msg.endpoints);
    });
    child.once('exit', (code) => reject(new Error(`the local stack exited (${code}) before it was ready: ${stderr}`)));
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  try {
    return { child, endpoints: await ready };
  } finally {
    clearTimeout(timer);
  }
}
