/**
 * Responses too large to answer inline. Behind API Gateway the Lambda adapter buffers a response,
 * and Lambda refuses one over 6 MB (a binary type counts base64-encoded): the findings or report
 * of a large tape would fail. A body over `options.maxResponseBytes` is therefore stored under
 * `exports/` (streamed, as it is produced) and answered by 303 See Other to a presigned GET of it,
 * with the same Content-Type and Content-Disposition. Clients follow the redirect (curl -L, fetch;
 * browsers drop the Authorization header on a redirect to another origin, and the bucket allows
 * GET from any origin: the presigned URL is the credential). Smaller bodies pass unchanged.
 *
 * The reviewers' page cannot follow such a redirect with fetch (its CSP allows `connect-src
 * 'self'` only, and the body would be a cross-origin read). It asks with `x-dmbs-download: link`
 * and gets `200 { location, expiresInSeconds, bytes }` as `application/vnd.dmbs.download-link+json`
 * instead, then navigates to the location: S3 answers with Content-Disposition: attachment, so
 * the browser saves the file and the page stays.
 *
 * A route whose body is a stored artifact as it is (unfiltered NDJSON findings) need not copy it:
 * `redirectToStored` answers 303 to a presigned GET of the artifact itself, the headers set by
 * the presigned URL's response overrides.
 */
import { randomUUID } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { EXPORTS_PREFIX } from '../pipeline/state.ts';
import type { AppEnv } from './context.ts';
import { DEFAULT_UPLOAD_URL_SECONDS, type ApiDeps, type PresignedHeaders } from './ports.ts';

/** File extensions of the exported objects by media type (for a readable key). */
const EXTENSIONS: Readonly<Record<string, string>> = { 'application/json': '.json', 'text/csv': '.csv', 'application/x-ndjson': '.ndjson' };

/** Request header asking for the presigned location as the answer, not as a redirect. */
export const DOWNLOAD_LINK_HEADER = 'x-dmbs-download';
/** Media type of that answer. */
export const DOWNLOAD_LINK_TYPE = 'application/vnd.dmbs.download-link+json';

/**
 * The middleware, or undefined when the deps set no limit or no place for exports.
 * @example const spill = largeResponses(deps); if (spill) app.use('/v1/*', spill);
 */
export function largeResponses(deps: ApiDeps): MiddlewareHandler<AppEnv> | undefined {
  const limit = deps.options?.maxResponseBytes;
  const exports = deps.exports;
  if (limit === undefined || !exports) return undefined;
  const seconds = deps.options?.uploadUrlSeconds ?? DEFAULT_UPLOAD_URL_SECONDS;
  return async (c, next) => {
    await next();
    const res = c.res;
    if (res.status !== 200 || !res.body) return;
    const declared = Number(res.headers.get('content-length') ?? Number.NaN);
    if (declared <= limit) return;
    // Read up to the limit: a body that ends within it is answered inline as it is.
    const reader = res.body.getReader();
    const head: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const next = await reader.read();
      if (next.done) {
        c.res = new Response(Buffer.concat(head, size), { status: res.status, headers: res.headers });
        return;
      }
      head.push(next.value);
      size += next.value.length;
      if (size > limit) break;
    }
    const contentType = res.headers.get('content-type') ?? 'application/octet-stream';
    const disposition = res.headers.get('content-disposition');
    const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
    const key = `${EXPORTS_PREFIX}${(deps.now?.() ?? new Date()).toISOString().slice(0, 10)}/${randomUUID()}${EXTENSIONS[mediaType] ?? ''}`;
    let bytes = 0;
    async function* body(): AsyncGenerator<Uint8Array> {
      try {
        for (const chunk of head) {
          bytes += chunk.length;
          yield chunk;
        }
        for (;;) {
          const next = await reader.read();
          if (next.done) return;
          bytes += next.value.length;
          yield next.value;
        }
      } finally {
        reader.releaseLock();
      }
    }
    await exports.save(key, body(), { contentType, ...(disposition ? { contentDisposition: disposition } : {}) });
    const location = await exports.presignGet(key, seconds);
    deps.log?.('info', 'response stored for a presigned GET', { path: c.req.path, key, bytes });
    c.res = seeOther(c, location, seconds, bytes);
    c.res.headers.delete('content-disposition'); // (Hono carries the replaced response's headers over)
  };
}

/**
 * 303 to a presigned GET of the stored object at `key` (answered with `headers`) when it is over
 * the limit; undefined when it is within it, when there is no limit, or when its size cannot be
 * told (the route then streams it, and reports a missing object as usual).
 * @example const redirect = await redirectToStored(c, deps, tape.artifacts.findings, { contentType: 'application/x-ndjson; charset=utf-8' });
 */
export async function redirectToStored(c: Context<AppEnv>, deps: ApiDeps, key: string, headers: PresignedHeaders): Promise<Response | undefined> {
  const limit = deps.options?.maxResponseBytes;
  const exports = deps.exports;
  if (limit === undefined || !exports) return undefined;
  const bytes = await exports.sizeOf(key);
  if (bytes === undefined || bytes <= limit) return undefined;
  const seconds = deps.options?.uploadUrlSeconds ?? DEFAULT_UPLOAD_URL_SECONDS;
  const location = await exports.presignGet(key, seconds, headers);
  deps.log?.('info', 'stored object answered by a presigned GET', { path: c.req.path, key, bytes });
  return seeOther(c, location, seconds, bytes);
}

/** 303 to the location, or (asked with `x-dmbs-download: link`) 200 with the location as a download link. */
function seeOther(c: Context<AppEnv>, location: string, expiresInSeconds: number, bytes: number): Response {
  const vary = `Accept, ${DOWNLOAD_LINK_HEADER}`;
  const body = JSON.stringify({ location, expiresInSeconds, bytes });
  return c.req.header(DOWNLOAD_LINK_HEADER) === 'link'
    ? new Response(body, { status: 200, headers: { 'content-type': DOWNLOAD_LINK_TYPE, 'cache-control': 'no-store', vary } })
    : new Response(body, { status: 303, headers: { location, 'content-type': 'application/json', 'cache-control': 'no-store', vary } });
}
