/**
 * Responses over options.maxResponseBytes (the Lambda adapter sets 4 MB; Lambda refuses a response
 * over 6 MB): stored under exports/ in the real (emulated) S3 and answered by 303 See Other to a
 * presigned GET that gives the very body, with its Content-Type and Content-Disposition. Here the
 * limit is 1,000 bytes, so a small tape's findings and report go that way; smaller bodies do not.
 * Unfiltered NDJSON findings are the stored artifact as it is: no copy, a presigned GET of it.
 */
import { join } from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveApi, type RunningApi } from '../../functions/api/node-server.ts';
import { LOCAL_TABLE_NAME } from '../../functions/aws/table-definition.ts';
import { BUCKET } from '../integration/support/embedded-aws.ts';
import { KEYS, startApiStack, type ApiStack } from './support/api-stack.ts';

const LIMIT = 1000;
let stack: ApiStack;
let limited: RunningApi;

beforeAll(async () => {
  stack = await startApiStack();
  limited = await serveApi({
    port: 0, s3: stack.aws.clients.s3, dynamoDb: stack.aws.clients.dynamoDb, bucket: BUCKET, tableName: LOCAL_TABLE_NAME,
    keysFile: join(stack.dataDir, 'keys.json'), assets: false, options: { maxResponseBytes: LIMIT },
  });
}, 120_000);
afterAll(async () => {
  await limited?.close();
  await stack?.stop();
});

const exportCount = async () => (await stack.aws.clients.s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'exports/' }))).KeyCount ?? 0;
const viaLimited = (path: string, accept?: string) =>
  fetch(`${limited.url}${path}`, { redirect: 'manual', headers: { authorization: `Bearer ${KEYS.reviewer}`, ...(accept ? { accept } : {}) } });

describe('responses over maxResponseBytes', () => {
  const exportKey = '/exports/\\d{4}-\\d{2}-\\d{2}/[0-9a-f-]{36}\\.(csv|ndjson|json)';
  for (const [name, path, accept, where] of [
    ['findings as CSV', 'errors?format=csv', undefined, exportKey],
    ['findings as NDJSON', 'errors', 'application/x-ndjson', '/reports/[0-9a-f]{32}/findings\\.ndjson'],
    ['findings as NDJSON, filtered', 'errors?severity=error', undefined, exportKey],
    ['the report', 'report', undefined, exportKey],
  ] as const) {
    it(`${name}: 303 to a presigned GET of the same body (${where.startsWith('/exports') ? 'stored under exports/' : 'the findings artifact itself'})`, async () => {
      const tapeId = stack.tapes.a1v1;
      const exportsBefore = await exportCount();
      const inline = await stack.fetch(`/v1/tapes/${tapeId}/${path}`, accept ? { headers: { accept } } : {});
      expect(inline.status).toBe(200);
      const expected = await inline.text();
      expect(Buffer.byteLength(expected)).toBeGreaterThan(LIMIT);

      const res = await viaLimited(`/v1/tapes/${tapeId}/${path}`, accept);
      expect(res.status).toBe(303);
      const location = res.headers.get('location')!;
      expect(await res.json()).toEqual({ location, expiresInSeconds: 900, bytes: Buffer.byteLength(expected) });
      expect(location).toMatch(new RegExp(`/${BUCKET}${where}\\?.*X-Amz-Signature=`));
      expect(await exportCount()).toBe(exportsBefore + (where === exportKey ? 1 : 0));
      expect(res.headers.get('content-disposition')).toBeNull();

      const stored = await fetch(location); // as a browser follows it: no Authorization header
      expect(stored.status).toBe(200);
      expect(stored.headers.get('content-type')).toBe(inline.headers.get('content-type'));
      expect(stored.headers.get('content-disposition')).toBe(inline.headers.get('content-disposition'));
      expect(await stored.text()).toBe(expected);
    });
  }

  it('with x-dmbs-download: link (the page), the presigned location is the answer, not a redirect', async () => {
    const tapeId = stack.tapes.a1v1;
    const expected = await (await stack.fetch(`/v1/tapes/${tapeId}/errors?format=csv`)).text();
    const res = await fetch(`${limited.url}/v1/tapes/${tapeId}/errors?format=csv`, { headers: { authorization: `Bearer ${KEYS.reviewer}`, 'x-dmbs-download': 'link' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.dmbs.download-link+json');
    const { location } = (await res.json()) as { location: string };
    const stored = await fetch(location);
    expect(stored.headers.get('content-disposition')).toMatch(/attachment/);
    expect(await stored.text()).toBe(expected);
    const small = await fetch(`${limited.url}/v1/tapes/${tapeId}/loans?limit=1`, { headers: { authorization: `Bearer ${KEYS.reviewer}`, 'x-dmbs-download': 'link' } });
    expect(small.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('bodies within the limit are answered inline, and nothing is stored for them', async () => {
    const before = await exportCount();
    const res = await viaLimited(`/v1/tapes/${stack.tapes.a1v1}/loans?limit=1`);
    expect(res.status).toBe(200);
    expect((await res.json() as { items: unknown[] }).items).toHaveLength(1);
    const small = await viaLimited(`/v1/tapes/${stack.tapes.a1v1}/errors?limit=1`);
    expect(small.status).toBe(200);
    expect((await small.text()).trim().split('\n')).toHaveLength(1);
    expect(await exportCount()).toBe(before);
  });

  it('problems are answered as they are (not stored)', async () => {
    const res = await viaLimited('/v1/tapes/0123456789abcdef0123456789abcdef/report');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
  });
});
