/**
 * The guard in front of the embedded S3 emulator, so that it behaves like the private bucket of
 * the stack in AWS. s3rver 3.7.1 takes anonymous requests, checks no V4 signature, maps keys onto
 * file paths as they come (`../` included), answers browsers' form POSTs and cannot tell the
 * pipeline from a user. The guard runs first and, before s3rver sees a request:
 *
 * - refuses a Host other than its own loopback address (a page on a rebound DNS name) and
 *   browser requests from another origin (an `Origin` header, a form POST);
 * - refuses keys that are not path-safe (`.`/`..` segments, `\`, control characters, a segment
 *   longer than a file name may be, more than 1,024 bytes), in the path, encoded or not, in a
 *   copy source and in a listing prefix;
 * - requires a SigV4 signature (header or presigned query), recomputed by the SDK's own signer
 *   (@smithy/signature-v4) with the secret of the access key it names: the user's configured key
 *   or the pipeline's own;
 * - lets only the pipeline's key touch `reports/`, `exports/`, `rescores/` and `analytics/loans/` (read, list, write), delete
 *   several objects at once or change the bucket.
 *
 * Then it removes the signature it checked, so s3rver (which knows only its default key) serves
 * the request as before. Refusals are S3's XML errors.
 */
import { createHash, createHmac, timingSafeEqual, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { HttpRequest, SourceData } from '@smithy/types';
import type { IncomingMessage } from 'node:http';
import type S3rver from 's3rver';
import { EXPORTS_PREFIX, REPORTS_PREFIX, RESCORES_PREFIX } from '../pipeline/state.ts';
import { ANALYTICS_ROOT } from '../pipeline/loan-parquet.ts';

export interface S3Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export interface S3GuardOptions {
  /** The key users upload with (the README's `aws` example, `dmbs upload`'s presigned URLs are the pipeline's). */
  readonly user: S3Credentials;
  /** The pipeline's and the API's own key: the only one that may touch the reserved prefixes. */
  readonly pipeline: S3Credentials;
  /** Prefixes only the pipeline may read, list or write. Default `reports/`, `exports/`, `rescores/` (re-score jobs' tape lists), `analytics/loans/`. */
  readonly reservedPrefixes?: readonly string[];
  /** Clock (tests). */
  readonly now?: () => Date;
  /**
   * Origins of the API's own page (the reviewers' page, where issuers upload tapes): from these,
   * presigned PUTs and their CORS preflight pass. Asked per request (the API may listen after the emulator).
   */
  readonly pageOrigins?: () => readonly string[];
}

/** A refusal: the S3 error code, HTTP status and a sentence saying what to do. */
export interface GuardRefusal {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

/** What the guard reads of a request (a Koa context carries all of it). */
export interface GuardRequest {
  readonly method: string;
  /** The raw path, as sent (percent-encoded). */
  readonly path: string;
  /** The raw query string, without `?`. */
  readonly querystring: string;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The port the request came in on (the Host must name it). */
  readonly localPort: number;
}

/** Longest key segment: a file name is at most 255 bytes and s3rver appends `._S3rver_metadata.json`. */
export const MAX_KEY_SEGMENT_BYTES = 200;
/** S3's own limit on a key. */
export const MAX_KEY_BYTES = 1024;
/** How far a header-signed request's date may be from the clock (S3: 15 minutes). */
const MAX_SKEW_MS = 15 * 60_000;
/** The longest a presigned URL may be valid (S3: 7 days). */
const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;

const FORM_TYPES = /^\s*(multipart\/form-data|application\/x-www-form-urlencoded|text\/plain)\b/i;
const UNSAFE_KEY_CHARS = /[\u0000-\u001f\u007f\\]/;

/**
 * Checks one request. Returns the refusal, or `{ principal, strip }`: who signed it and the query
 * parameters to remove before s3rver sees it.
 * @example await checkS3Request(request, { user, pipeline }) // { status: 403, code: 'AccessDenied', ... } for an anonymous GET
 */
export async function checkS3Request(request: GuardRequest, options: S3GuardOptions): Promise<GuardRefusal | { principal: 'user' | 'pipeline'; strip: string[] }> {
  const header = (name: string) => single(request.headers[name]);
  const host = header('host') ?? '';
  if (host !== `127.0.0.1:${request.localPort}` && host !== `localhost:${request.localPort}`) {
    return refuse(403, 'AccessDenied', `requests must name this endpoint's own address as Host (127.0.0.1:${request.localPort}); ${JSON.stringify(host.slice(0, 80))} was given`);
  }
  const origin = header('origin');
  const fromPage = origin !== undefined && origin !== `http://${host}` && (options.pageOrigins?.() ?? []).includes(origin);
  if (origin !== undefined && origin !== `http://${host}` && !fromPage) {
    return refuse(403, 'AccessDenied', 'requests from web pages of another origin are refused; upload with an S3 client, `dmbs upload` or the API');
  }
  // The API's page: the preflight of a PUT (s3rver answers it from the bucket's CORS rule), then only a presigned PUT.
  if (fromPage && request.method === 'OPTIONS') {
    if (header('access-control-request-method') !== 'PUT') return refuse(403, 'AccessDenied', 'the API\'s page may only upload (PUT) through a presigned URL');
    return { principal: 'user', strip: [] };
  }
  if (fromPage && (request.method !== 'PUT' || !/(^|&)X-Amz-Signature=/.test(request.querystring))) {
    return refuse(403, 'AccessDenied', 'the API\'s page may only upload (PUT) through a presigned URL');
  }
  if (request.method === 'POST' && FORM_TYPES.test(header('content-type') ?? '')) {
    return refuse(403, 'AccessDenied', 'browser form uploads (POST Object) are refused; upload with an S3 client, `dmbs upload` or the API');
  }

  const target = parseTarget(request.path);
  if ('code' in target) return target;
  const query = parseQuery(request.querystring);
  if (!query) return refuse(400, 'InvalidArgument', 'the query string is not valid percent-encoding');
  const copySource = header('x-amz-copy-source');
  let copyKey: string | undefined;
  if (copySource !== undefined) {
    const source = parseTarget(`/${copySource.replace(/^\//, '').split('?')[0]}`);
    if ('code' in source) return source;
    copyKey = source.key;
  }
  const prefix = query.get('prefix');
  for (const listed of [prefix, query.get('marker'), query.get('start-after')]) {
    if (listed !== undefined && !pathSafe(listed, true)) return refuse(400, 'InvalidArgument', 'a listing prefix or marker may not hold `.` or `..` segments, `\\` or control characters');
  }

  const signed = await verifySignature(request, query, options);
  if ('code' in signed) return signed;
  const { principal } = signed;

  if (principal === 'user') {
    const reserved = options.reservedPrefixes ?? [REPORTS_PREFIX, EXPORTS_PREFIX, RESCORES_PREFIX, ANALYTICS_ROOT];
    const inReserved = (key: string | undefined) => key !== undefined && reserved.some((p) => key.startsWith(p));
    if (inReserved(target.key) || inReserved(copyKey)) {
      return refuse(403, 'AccessDenied', `only the pipeline reads and writes ${reserved.join(', ')}; read results through the API`);
    }
    if (target.bucket !== undefined && target.key === undefined) {
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        return refuse(403, 'AccessDenied', 'this key may not change the bucket or delete several objects at once');
      }
      const lists = request.method === 'GET' && !SUBRESOURCES.some((s) => query.has(s));
      if (lists && (prefix === undefined || reserved.some((p) => p.startsWith(prefix) || prefix.startsWith(p)))) {
        return refuse(403, 'AccessDenied', `list with a prefix outside ${reserved.join(', ')}, for example --prefix incoming/`);
      }
    }
    if (target.bucket === undefined && request.method !== 'GET') {
      return refuse(403, 'AccessDenied', 'this key may not create or remove buckets');
    }
  }
  return { principal, strip: signed.strip };
}

/** Bucket sub-resources whose GET is not a listing of keys. */
const SUBRESOURCES = ['location', 'cors', 'website', 'versioning', 'notification', 'policy', 'acl', 'lifecycle', 'tagging', 'uploads'];

/**
 * Puts the guard in front of s3rver (call before `run()`, after anything else that unshifts middleware).
 * @example attachS3Guard(server, { user: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }, pipeline })
 */
export function attachS3Guard(server: S3rver, options: S3GuardOptions): void {
  server.middleware.unshift(async (rawCtx, next) => {
    const ctx = rawCtx as unknown as KoaContext;
    const result = await checkS3Request({
      method: ctx.method, path: ctx.path, querystring: ctx.querystring, headers: ctx.headers, localPort: ctx.req.socket.localPort ?? 0,
    }, options);
    if ('code' in result) {
      ctx.status = result.status;
      ctx.type = 'application/xml';
      ctx.body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${result.code}</Code><Message>${escapeXml(result.message)}</Message></Error>`;
      // A refused upload's body is not read: close the connection rather than drain it.
      ctx.set('Connection', 'close');
      return;
    }
    delete ctx.req.headers.authorization;
    if (result.strip.length) {
      const names = new Set(result.strip);
      ctx.querystring = ctx.querystring.split('&').filter((part) => !names.has(safeDecode(part.split('=')[0] ?? '') ?? '')).join('&');
    }
    await next();
  });
}

interface KoaContext {
  method: string;
  path: string;
  querystring: string;
  headers: Record<string, string | string[] | undefined>;
  req: IncomingMessage;
  status: number;
  type: string;
  body: unknown;
  set(field: string, value: string): void;
}

/** `/bucket/key`: both decoded; the key checked for path safety. */
function parseTarget(path: string): GuardRefusal | { bucket?: string; key?: string } {
  if (path === '/' || path === '') return {};
  const slash = path.indexOf('/', 1);
  const rawBucket = slash < 0 ? path.slice(1) : path.slice(1, slash);
  const bucket = safeDecode(rawBucket);
  if (bucket === undefined || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) return refuse(400, 'InvalidBucketName', 'the bucket name is not valid');
  if (slash < 0 || slash === path.length - 1) return { bucket };
  const key = safeDecode(path.slice(slash + 1));
  if (key === undefined) return refuse(400, 'InvalidArgument', 'the key is not valid percent-encoding');
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) return refuse(400, 'KeyTooLongError', `the key is longer than ${MAX_KEY_BYTES} bytes`);
  if (!pathSafe(key, false)) {
    return refuse(400, 'InvalidArgument', 'keys may not hold empty, `.` or `..` segments, `\\` or control characters; use incoming/{issuerId}/{dealId}/{fileName}');
  }
  if (key.split('/').some((segment) => Buffer.byteLength(segment) > MAX_KEY_SEGMENT_BYTES)) {
    return refuse(400, 'KeyTooLongError', `each part of a key between slashes may be at most ${MAX_KEY_SEGMENT_BYTES} bytes; shorten the file name`);
  }
  return { bucket, key };
}

/** `partial`: a listing prefix, which may end with `/` or a partial segment. */
function pathSafe(key: string, partial: boolean): boolean {
  if (UNSAFE_KEY_CHARS.test(key)) return false;
  const segments = key.split('/');
  return segments.every((s, i) => s !== '.' && s !== '..' && (s !== '' || (partial && (i === segments.length - 1 || key === ''))));
}

/** Raw query → decoded name → value (the first of repeated names). Undefined when not decodable. */
function parseQuery(querystring: string): Map<string, string> | undefined {
  const out = new Map<string, string>();
  for (const part of querystring.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = safeDecode(eq < 0 ? part : part.slice(0, eq));
    const value = safeDecode(eq < 0 ? '' : part.slice(eq + 1));
    if (name === undefined || value === undefined) return undefined;
    if (!out.has(name)) out.set(name, value);
  }
  return out;
}

/**
 * SigV4, recomputed from the request (AWS "Signature Version 4 signing process", S3's rules: the
 * canonical URI is the path as sent; the payload hash is `x-amz-content-sha256`, or
 * `UNSIGNED-PAYLOAD` for a presigned URL). Only the two known keys are accepted.
 */
async function verifySignature(request: GuardRequest, query: Map<string, string>, options: S3GuardOptions): Promise<GuardRefusal | { principal: 'user' | 'pipeline'; strip: string[] }> {
  const authorization = single(request.headers.authorization);
  const presigned = query.get('X-Amz-Algorithm') !== undefined;
  if (authorization === undefined && !presigned) {
    if (query.has('Signature') || query.has('AWSAccessKeyId')) return refuse(403, 'AccessDenied', 'signature version 2 is not accepted; sign with SigV4');
    return refuse(403, 'AccessDenied', 'anonymous requests are refused: sign requests with the access key the local stack printed (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY)');
  }
  if (authorization !== undefined && presigned) return refuse(400, 'InvalidArgument', 'only one auth mechanism allowed');
  let credential: string;
  let signedHeaders: string;
  let signature: string;
  let amzDate: string;
  let payloadHash: string;
  if (presigned) {
    if (query.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256') return refuse(400, 'InvalidArgument', 'the signing algorithm must be AWS4-HMAC-SHA256');
    credential = query.get('X-Amz-Credential') ?? '';
    signedHeaders = query.get('X-Amz-SignedHeaders') ?? '';
    signature = query.get('X-Amz-Signature') ?? '';
    amzDate = query.get('X-Amz-Date') ?? '';
    payloadHash = 'UNSIGNED-PAYLOAD';
    const expires = Number(query.get('X-Amz-Expires'));
    const signedAt = parseAmzDate(amzDate);
    if (!Number.isInteger(expires) || expires < 1 || expires > MAX_PRESIGN_SECONDS || signedAt === undefined) {
      return refuse(400, 'AuthorizationQueryParametersError', 'X-Amz-Date and X-Amz-Expires (1 to 604800 seconds) are required');
    }
    const now = (options.now?.() ?? new Date()).getTime();
    if (now > signedAt + expires * 1000) return refuse(403, 'AccessDenied', 'Request has expired; ask the API for a new upload URL');
  } else {
    const m = /^AWS4-HMAC-SHA256\s+Credential=([^,\s]+)\s*,\s*SignedHeaders=([^,\s]+)\s*,\s*Signature=([0-9a-f]{64})\s*$/.exec(authorization!);
    if (!m) return refuse(400, 'AuthorizationHeaderMalformed', 'the Authorization header is not a SigV4 (AWS4-HMAC-SHA256) signature');
    [, credential = '', signedHeaders = '', signature = ''] = m;
    amzDate = single(request.headers['x-amz-date']) ?? '';
    payloadHash = single(request.headers['x-amz-content-sha256']) ?? '';
    const signedAt = parseAmzDate(amzDate);
    if (signedAt === undefined || !payloadHash) return refuse(400, 'AuthorizationHeaderMalformed', 'x-amz-date and x-amz-content-sha256 are required');
    if (Math.abs((options.now?.() ?? new Date()).getTime() - signedAt) > MAX_SKEW_MS) {
      return refuse(403, 'RequestTimeTooSkewed', "the request's date is more than 15 minutes from this machine's clock");
    }
  }
  const [accessKeyId = '', date = '', region = '', service = '', terminal = ''] = credential.split('/');
  const principal = accessKeyId === options.pipeline.accessKeyId ? 'pipeline' : accessKeyId === options.user.accessKeyId ? 'user' : undefined;
  if (!principal) return refuse(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.');
  if (terminal !== 'aws4_request' || service !== 's3' || date !== amzDate.slice(0, 8) || !region) {
    return refuse(400, 'AuthorizationHeaderMalformed', 'the credential scope must be {date}/{region}/s3/aws4_request');
  }
  const names = signedHeaders.split(';');
  if (!names.includes('host') || names.some((n) => n !== n.toLowerCase())) return refuse(400, 'AuthorizationHeaderMalformed', 'SignedHeaders must include host, lower-case');
  const secretAccessKey = principal === 'pipeline' ? options.pipeline.secretAccessKey : options.user.secretAccessKey;
  const expected = await expectedSignature(request, { presigned, names, accessKeyId, secretAccessKey, region, amzDate, payloadHash });
  const given = Buffer.from(signature, 'hex');
  if (expected === undefined || given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return refuse(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.');
  }
  const strip = presigned ? ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders', 'X-Amz-Signature', 'X-Amz-Security-Token'] : [];
  return { principal, strip };
}

/** Query parameters `presign` writes itself; the rest are signed as sent. */
const PRESIGN_PARAMS = new Set(['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders', 'X-Amz-Signature']);

interface SignedParts {
  readonly presigned: boolean;
  /** The signed header names, lower-case. */
  readonly names: readonly string[];
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly region: string;
  readonly amzDate: string;
  readonly payloadHash: string;
}

/**
 * The signature the SDK's own signer (@smithy/signature-v4) makes for this request with the named
 * key: the path as sent (S3 does not escape it again), the query decoded, only the headers the
 * client signed. Undefined when the signer cannot sign it (an unknown date, say).
 */
async function expectedSignature(request: GuardRequest, parts: SignedParts): Promise<Buffer | undefined> {
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of rawQueryPairs(request.querystring)) {
    if (parts.presigned && PRESIGN_PARAMS.has(name)) continue;
    const prior = query[name];
    query[name] = prior === undefined ? value : [...(Array.isArray(prior) ? prior : [prior]), value];
  }
  const headers: Record<string, string> = {};
  for (const name of parts.names) headers[name] = headerValue(request.headers[name]);
  headers['x-amz-content-sha256'] ??= parts.payloadHash;
  const signable = new Set(parts.names);
  // Sent but not signed: used as the payload hash (or left out) and kept out of the canonical headers.
  const unsignable = new Set(['x-amz-content-sha256', 'x-amz-date'].filter((name) => !signable.has(name)));
  const signer = new SignatureV4({
    credentials: { accessKeyId: parts.accessKeyId, secretAccessKey: parts.secretAccessKey },
    region: parts.region, service: 's3', sha256: NodeSha256, uriEscapePath: false, applyChecksum: false,
  });
  const toSign: HttpRequest = { method: request.method, protocol: 'http:', hostname: headers.host ?? '', path: request.path, query, headers };
  const signingDate = new Date(parseAmzDate(parts.amzDate) ?? Number.NaN);
  try {
    if (parts.presigned) {
      const expiresIn = Number(single(query['X-Amz-Expires']) ?? rawQueryValue(request.querystring, 'X-Amz-Expires'));
      const signed = await signer.presign(toSign, { signingDate, expiresIn, signableHeaders: signable, unsignableHeaders: unsignable, unhoistableHeaders: new Set([...signable, 'x-amz-content-sha256']) });
      return Buffer.from(String(signed.query?.['X-Amz-Signature'] ?? ''), 'hex');
    }
    const signed = await signer.sign(toSign, { signingDate, signableHeaders: signable, unsignableHeaders: unsignable });
    return Buffer.from(/Signature=([0-9a-f]{64})/.exec(String(signed.headers.authorization))?.[1] ?? '', 'hex');
  } catch {
    return undefined;
  }
}

function rawQueryValue(querystring: string, name: string): string | undefined {
  for (const [n, value] of rawQueryPairs(querystring)) if (n === name) return value;
  return undefined;
}

/** SHA-256 and HMAC-SHA256 from node:crypto, in the shape the signer takes. */
class NodeSha256 {
  readonly #hash: Hash | Hmac;
  constructor(secret?: SourceData) {
    this.#hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBytes(secret));
  }
  update(data: SourceData): void {
    this.#hash.update(toBytes(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.#hash.digest()));
  }
  reset(): void {}
}

function toBytes(data: SourceData): Uint8Array | string {
  if (typeof data === 'string') return data;
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
}

function* rawQueryPairs(querystring: string): Generator<[string, string]> {
  for (const part of querystring.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    yield [safeDecode(eq < 0 ? part : part.slice(0, eq)) ?? '', safeDecode(eq < 0 ? '' : part.slice(eq + 1)) ?? ''];
  }
}

function headerValue(value: string | string[] | undefined): string {
  return Array.isArray(value) ? value.join(',') : value ?? '';
}

function parseAmzDate(text: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : undefined;
}

function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function refuse(status: number, code: string, message: string): GuardRefusal {
  return { status, code, message };
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
