/**
 * The embedded S3 endpoint behaves like a private bucket (functions/local/s3-guard.ts): each test
 * tries an attack on a running local stack and checks that it is refused, that nothing was written
 * outside the data folder, and that the stack keeps serving.
 */
import { existsSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { request as httpRequest } from 'node:http';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsClients, destroyAwsClients, type AwsClients } from '../../functions/aws/clients.ts';
import { EMULATOR_CREDENTIALS } from '../../functions/local/emulators.ts';
import { startTestStack, type TestStack } from './support/local-stack-harness.ts';

let t: TestStack;
let user: AwsClients;

beforeAll(async () => {
  t = await startTestStack();
  user = createAwsClients({ s3Endpoint: t.stack.endpoints.s3, credentials: EMULATOR_CREDENTIALS, region: 'us-east-1' });
}, 30_000);
afterAll(async () => {
  destroyAwsClients(user);
  await t?.stop();
});

/** A raw HTTP request to the S3 endpoint (the path is sent exactly as given, `../` included). */
function raw(method: string, path: string, options: { headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; body: string }> {
  const { port } = new URL(t.stack.endpoints.s3);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers: options.headers ?? {} }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Files anywhere under `dir`, as paths relative to it. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath ?? (e as unknown as { path: string }).path, e.name));
}

async function stillServing(): Promise<void> {
  expect((await fetch(`${t.stack.endpoints.api}/health`)).status).toBe(200);
  await user.s3.send(new PutObjectCommand({ Bucket: t.stack.bucket, Key: 'incoming/demo/deal-g/alive.txt', Body: 'x' }));
}

describe('the local S3 guard', () => {
  it('answers a 250-character key segment with an error and keeps serving (s3rver would die of ENAMETOOLONG)', async () => {
    const key = `incoming/demo/deal-g/${'a'.repeat(250)}.csv`;
    await expect(user.s3.send(new PutObjectCommand({ Bucket: t.stack.bucket, Key: key, Body: 'loanId\n1\n' })))
      .rejects.toMatchObject({ name: 'KeyTooLongError', $metadata: { httpStatusCode: 400 } });
    await stillServing();
  });

  it('refuses keys with ../ (raw, %2F-encoded or in a copy source) and writes nothing outside the data folder', async () => {
    const outside = dirname(t.dataDir);
    const before = new Set(await readdir(outside));
    const signed = (key: string) => getSignedUrl(user.s3, new PutObjectCommand({ Bucket: t.stack.bucket, Key: key }), { expiresIn: 60 });
    // The SDK encodes every `/`-separated part; send the traversal as the attacker would, raw and %2F-encoded.
    const url = new URL(await signed('incoming/x'));
    // s3rver keeps objects in {dataDir}/s3/{bucket}/: three levels up is outside the data folder.
    for (const path of [`/${t.stack.bucket}/../../../escaped-raw`, `/${t.stack.bucket}/..%2F..%2F..%2Fescaped-enc`, `/${t.stack.bucket}/incoming/%2E%2E/%2E%2E/%2E%2E/%2E%2E/escaped-dots`]) {
      const answer = await raw('PUT', `${path}${url.search}`, { headers: { host: url.host }, body: 'pwned' });
      expect(answer.status, path).toBeGreaterThanOrEqual(400);
      expect(answer.status, path).toBeLessThan(500);
    }
    await expect(user.s3.send(new PutObjectCommand({ Bucket: t.stack.bucket, Key: 'incoming/../../escaped-sdk', Body: 'pwned' })))
      .rejects.toMatchObject({ $metadata: { httpStatusCode: 400 } });
    const copy = await raw('PUT', `/${t.stack.bucket}/incoming/demo/deal-g/copy.csv`, { headers: { 'x-amz-copy-source': `${t.stack.bucket}/../../../etc/passwd` } });
    expect(copy.status).toBe(400);
    expect([...(await readdir(outside))].filter((n) => !before.has(n) && n.startsWith('escaped'))).toEqual([]);
    expect((await filesUnder(t.dataDir)).filter((p) => p.includes('escaped'))).toEqual([]);
    await stillServing();
  });

  it('refuses anonymous requests, unknown keys and wrong signatures, and accepts the configured key', async () => {
    const anonymous = await raw('GET', `/${t.stack.bucket}?prefix=incoming/`, { headers: { host: new URL(t.stack.endpoints.s3).host } });
    expect(anonymous.status).toBe(403);
    expect(anonymous.body).toMatch(/<Code>AccessDenied<\/Code>.*anonymous/s);
    const stranger = createAwsClients({ s3Endpoint: t.stack.endpoints.s3, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'wrong-secret' }, region: 'us-east-1' });
    try {
      await expect(stranger.s3.send(new ListObjectsV2Command({ Bucket: t.stack.bucket, Prefix: 'incoming/' })))
        .rejects.toMatchObject({ name: 'SignatureDoesNotMatch', $metadata: { httpStatusCode: 403 } });
    } finally {
      destroyAwsClients(stranger);
    }
    const listed = await user.s3.send(new ListObjectsV2Command({ Bucket: t.stack.bucket, Prefix: 'incoming/' }));
    expect(listed.$metadata.httpStatusCode).toBe(200);
  });

  it('refuses browser requests: an Origin from another page, a cross-origin form POST, a foreign Host', async () => {
    const host = new URL(t.stack.endpoints.s3).host;
    // What a page on evil.example can make the user's browser send: a form POST with the upload in it.
    const boundary = 'xyz';
    const form = [`--${boundary}`, 'Content-Disposition: form-data; name="key"', '', 'incoming/victim/deal-1/forged.csv',
      `--${boundary}`, 'Content-Disposition: form-data; name="file"; filename="t.csv"', '', 'loanId\n1', `--${boundary}--`, ''].join('\r\n');
    const post = await raw('POST', `/${t.stack.bucket}`, { headers: { host, origin: 'https://evil.example', 'content-type': `multipart/form-data; boundary=${boundary}` }, body: form });
    expect(post.status).toBe(403);
    const noOrigin = await raw('POST', `/${t.stack.bucket}`, { headers: { host, 'content-type': `multipart/form-data; boundary=${boundary}` }, body: form });
    expect(noOrigin.status).toBe(403);
    const fetchLike = await raw('GET', `/${t.stack.bucket}/incoming/demo/deal-g/alive.txt`, { headers: { host, origin: 'http://127.0.0.1:3000' } });
    expect(fetchLike.status).toBe(403);
    const rebound = await raw('GET', `/${t.stack.bucket}?prefix=incoming/`, { headers: { host: 'attacker.example:80' } });
    expect(rebound.status).toBe(403);
    expect((await t.api<{ items: unknown[] }>('/v1/deals')).body.items.some((d) => JSON.stringify(d).includes('victim'))).toBe(false);
  });

  it('lets only the pipeline read, list and write reports/ and exports/; the API still serves reports', async () => {
    const { tapeId } = await t.upload('incoming/demo/deal-g/tape.csv', 'loanId,currentBalance\nL1,100\n');
    await t.waitForFinal(tapeId);
    const reportKey = `reports/${tapeId}/validation.json`;
    await expect(user.s3.send(new GetObjectCommand({ Bucket: t.stack.bucket, Key: reportKey }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
    await expect(user.s3.send(new PutObjectCommand({ Bucket: t.stack.bucket, Key: reportKey, Body: '{"forged":true}' }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
    await expect(user.s3.send(new PutObjectCommand({ Bucket: t.stack.bucket, Key: 'exports/2026-01-01/x.json', Body: '{}' }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
    await expect(user.s3.send(new ListObjectsV2Command({ Bucket: t.stack.bucket, Prefix: 'reports/' }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
    await expect(user.s3.send(new ListObjectsV2Command({ Bucket: t.stack.bucket }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
    const report = await t.api<{ forged?: boolean }>(`/v1/tapes/${tapeId}/report`);
    expect(report.status).toBe(200);
    expect(report.body.forged).toBeUndefined();
  });

  it('keeps the data folder for its owner only', () => {
    expect(statSync(t.dataDir).mode & 0o777).toBe(0o700);
    expect(existsSync(join(t.dataDir, 'attempts'))).toBe(true);
  });
});
