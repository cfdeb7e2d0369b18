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
 */
import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { EXPORTS_PREFIX } from '../pipeline/state.ts';
import type { AppEnv } from './context.ts';
import { DEFAULT_UPLOAD_URL_SECONDS, type ApiDeps } from './ports.ts';

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
    const asLink = c.req.header(DOWNLOAD_LINK_HEADER) === 'link';
    c.res = new Response(JSON.stringify({ location, expiresInSeconds: seconds, bytes }), asLink
      ? { status: 200, headers: { 'content-type': DOWNLOAD_LINK_TYPE, 'cache-control': 'no-store', vary: `Accept, ${DOWNLOAD_LINK_HEADER}` } }
      : { status: 303, headers: { location, 'content-type': 'application/json', 'cache-control': 'no-store', vary: `Accept, ${DOWNLOAD_LINK_HEADER}` } });
    c.res.headers.delete('content-disposition'); // (Hono carries the replaced response's headers over)
  };
}
