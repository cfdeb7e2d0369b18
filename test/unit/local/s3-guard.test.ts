import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { describe, expect, it } from 'vitest';
import { checkS3Request, type GuardRequest } from '../../../functions/local/s3-guard.ts';

const user = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const pipeline = { accessKeyId: 'PIPELINEKEY', secretAccessKey: 'pipeline-secret' };
const signedAt = new Date('2026-12-06T12:00:00Z');
const client = (credentials: typeof user) => new S3Client({ endpoint: 'http://127.0.0.1:4568', forcePathStyle: true, region: 'us-east-1', credentials });

function asRequest(url: string, method: string, headers: Record<string, string> = {}): GuardRequest {
  const u = new URL(url);
  return { method, path: u.pathname, querystring: u.search.slice(1), headers: { host: u.host, ...headers }, localPort: Number(u.port) };
}

describe('checkS3Request on presigned URLs', () => {
  it('accepts a URL the API presigned until it expires, for its own path and method only', async () => {
    const url = await getSignedUrl(client(pipeline), new GetObjectCommand({ Bucket: 'dmbs-tapes', Key: 'exports/2026-12-06/a.csv' }), { expiresIn: 900, signingDate: signedAt });
    const at = (ms: number) => ({ user, pipeline, now: () => new Date(signedAt.getTime() + ms) });
    expect(await checkS3Request(asRequest(url, 'GET'), at(60_000))).toMatchObject({ principal: 'pipeline' });
    expect(await checkS3Request(asRequest(url, 'GET'), at(901_000))).toMatchObject({ status: 403, message: expect.stringMatching(/expired/) });
    expect(await checkS3Request(asRequest(url.replace('a.csv', 'b.csv'), 'GET'), at(0))).toMatchObject({ code: 'SignatureDoesNotMatch' });
    expect(await checkS3Request(asRequest(url, 'DELETE'), at(0))).toMatchObject({ code: 'SignatureDoesNotMatch' });
  });

  it('holds an upload URL to the Content-Length it was signed for', async () => {
    const url = await getSignedUrl(client(pipeline), new PutObjectCommand({ Bucket: 'dmbs-tapes', Key: 'incoming/demo/deal-1/t.csv', ContentLength: 10 }),
      { expiresIn: 60, signingDate: signedAt, signableHeaders: new Set(['content-length']) });
    const options = { user, pipeline, now: () => signedAt };
    expect(await checkS3Request(asRequest(url, 'PUT', { 'content-length': '10' }), options)).toMatchObject({ principal: 'pipeline' });
    expect(await checkS3Request(asRequest(url, 'PUT', { 'content-length': '11' }), options)).toMatchObject({ code: 'SignatureDoesNotMatch' });
  });

  it("lets the API's page PUT to a presigned URL (and preflight it), nothing else from that origin", async () => {
    const url = await getSignedUrl(client(pipeline), new PutObjectCommand({ Bucket: 'dmbs-tapes', Key: 'incoming/demo/deal-1/t.csv', ContentLength: 10 }),
      { expiresIn: 60, signingDate: signedAt, signableHeaders: new Set(['content-length']) });
    const page = 'http://127.0.0.1:3000';
    const options = { user, pipeline, now: () => signedAt, pageOrigins: () => [page] };
    expect(await checkS3Request(asRequest(url, 'PUT', { 'content-length': '10', origin: page }), options)).toMatchObject({ principal: 'pipeline' });
    expect(await checkS3Request(asRequest(url, 'OPTIONS', { origin: page, 'access-control-request-method': 'PUT' }), options)).toMatchObject({ principal: 'user', strip: [] });
    expect(await checkS3Request(asRequest(url, 'OPTIONS', { origin: page, 'access-control-request-method': 'GET' }), options)).toMatchObject({ status: 403 });
    expect(await checkS3Request(asRequest('http://127.0.0.1:4568/dmbs-tapes/incoming/demo/deal-1/t.csv', 'PUT', { origin: page }), options)).toMatchObject({ status: 403, message: expect.stringMatching(/presigned/) });
    const get = await getSignedUrl(client(pipeline), new GetObjectCommand({ Bucket: 'dmbs-tapes', Key: 'incoming/demo/deal-1/t.csv' }), { expiresIn: 60, signingDate: signedAt });
    expect(await checkS3Request(asRequest(get, 'GET', { origin: page }), options)).toMatchObject({ status: 403 });
    // Another page, or no page origins configured: refused as before.
    expect(await checkS3Request(asRequest(url, 'PUT', { 'content-length': '10', origin: 'https://evil.example' }), options)).toMatchObject({ status: 403, message: expect.stringMatching(/another origin/) });
    expect(await checkS3Request(asRequest(url, 'PUT', { 'content-length': '10', origin: page }), { user, pipeline, now: () => signedAt })).toMatchObject({ status: 403 });
  });

  it("refuses the users' key on reports/ even with a valid signature, and signature version 2", async () => {
    const url = await getSignedUrl(client(user), new PutObjectCommand({ Bucket: 'dmbs-tapes', Key: 'reports/x/validation.json' }), { expiresIn: 60, signingDate: signedAt });
    expect(await checkS3Request(asRequest(url, 'PUT'), { user, pipeline, now: () => signedAt })).toMatchObject({ status: 403, message: expect.stringMatching(/only the pipeline/) });
    const lists = await getSignedUrl(client(user), new GetObjectCommand({ Bucket: 'dmbs-tapes', Key: 'rescores/job-1/tapes.json' }), { expiresIn: 60, signingDate: signedAt });
    expect(await checkS3Request(asRequest(lists, 'GET'), { user, pipeline, now: () => signedAt })).toMatchObject({ status: 403, message: expect.stringMatching(/rescores\//) });
    const ours = await getSignedUrl(client(pipeline), new PutObjectCommand({ Bucket: 'dmbs-tapes', Key: 'rescores/job-1/tapes.json' }), { expiresIn: 60, signingDate: signedAt });
    expect(await checkS3Request(asRequest(ours, 'PUT'), { user, pipeline, now: () => signedAt })).toMatchObject({ principal: 'pipeline' });
    const v2 = asRequest('http://127.0.0.1:4568/dmbs-tapes/incoming/a/b/c.csv?AWSAccessKeyId=S3RVER&Signature=abc&Expires=1', 'GET');
    expect(await checkS3Request(v2, { user, pipeline, now: () => signedAt })).toMatchObject({ status: 403, message: expect.stringMatching(/version 2/) });
  });
});
