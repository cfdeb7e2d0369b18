/**
 * An independent SigV4 query-signature check (AWS "Authenticating Requests: Using Query
 * Parameters", S3), written from the documentation rather than with the SDK, so a test can show
 * that a presigned URL is valid only for its exact path and Content-Length. s3rver does not check
 * V4 signatures itself, so this stands in for what S3 does.
 */
import { createHash, createHmac } from 'node:crypto';

const hmac = (key: Buffer | string, text: string) => createHmac('sha256', key).update(text, 'utf8').digest();
const rfc3986 = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** True when `url`'s signature is right for a `method` request to `path` carrying `headers` (lower-case names). */
export function sigV4QueryValid(url: string, request: { method: string; path: string; headers: Record<string, string> }, secretAccessKey: string): boolean {
  const u = new URL(url);
  const q = u.searchParams;
  const signature = q.get('X-Amz-Signature');
  const [, date = '', region = '', service = ''] = (q.get('X-Amz-Credential') ?? '').split('/');
  const signed = (q.get('X-Amz-SignedHeaders') ?? '').split(';');
  const headers: Record<string, string> = { host: u.host, ...request.headers };
  const canonicalQuery = [...q.entries()]
    .filter(([k]) => k !== 'X-Amz-Signature')
    .map(([k, v]) => [rfc3986(k), rfc3986(v)] as const)
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonicalHeaders = signed.map((h) => `${h}:${(headers[h] ?? '').trim()}\n`).join('');
  const canonicalRequest = [request.method, request.path.split('/').map(rfc3986).join('/'), canonicalQuery, canonicalHeaders, signed.join(';'), 'UNSIGNED-PAYLOAD'].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', q.get('X-Amz-Date'), scope, createHash('sha256').update(canonicalRequest).digest('hex')].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, date), region), service), 'aws4_request');
  return hmac(key, stringToSign).toString('hex') === signature;
}
