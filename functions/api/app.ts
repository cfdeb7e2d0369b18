/**
 * The DMBS HTTP API as one Hono app: the same routes, auth model and errors behind the Lambda
 * adapter (lambda.ts) and the local node server (node-server.ts). Ports come in through `deps`;
 * nothing here knows whether it runs in AWS or on a laptop. Errors leave only as problem+json.
 */
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { AppEnv } from './context.ts';
import type { Me } from './generated/api.ts';
import { largeResponses } from './large-responses.ts';
import { openApiDocument } from './openapi.ts';
import type { ApiDeps } from './ports.ts';
import { ApiProblem, problemResponse } from './problem.ts';
import { dealRoutes } from './routes/deal-routes.ts';
import { dmbxRoutes } from './routes/dmbx-routes.ts';
import { marketRoutes } from './routes/market-routes.ts';
import { mappingRoutes } from './routes/mapping-routes.ts';
import { rescoreRoutes } from './routes/rescore-routes.ts';
import { stressRoutes } from './routes/stress-routes.ts';
import { tapeRoutes } from './routes/tape-routes.ts';
import { watchlistRoutes } from './routes/watchlist-routes.ts';

/** API paths and the methods they answer (other methods: 405 with Allow). */
const API_PATHS: ReadonlyArray<readonly [string, string]> = [
  ['/v1/me', 'GET'],
  ['/v1/deals', 'GET'],
  ['/v1/deals/:dealId', 'GET'],
  ['/v1/deals/:dealId/tapes', 'GET, POST'],
  ['/v1/deals/:dealId/compare', 'GET'],
  ['/v1/deals/:dealId/mapping', 'GET, PUT'],
  ['/v1/deals/:dealId/watchlist', 'GET'],
  ['/v1/deals/:dealId/trends', 'GET'],
  ['/v1/tapes', 'GET'],
  ['/v1/tapes/:tapeId', 'GET'],
  ['/v1/tapes/:tapeId/report', 'GET'],
  ['/v1/tapes/:tapeId/errors', 'GET'],
  ['/v1/tapes/:tapeId/loans', 'GET'],
  ['/v1/tapes/:tapeId/rescore', 'POST'],
  ['/v1/rescores', 'POST'],
  ['/v1/rescores/:jobId', 'GET'],
  ['/v1/tapes/:tapeId/criteria', 'GET'],
  ['/v1/market/exposures', 'GET'],
  ['/v1/market/balance-sheet-transition', 'GET'],
  ['/v1/dmbx/series', 'GET, POST'],
  ['/v1/dmbx/series/:name', 'GET'],
];

/**
 * Builds the app.
 * @example
 * const app = createApp({ results, artifacts: store, presigner, auth: createKeysFileAuth({ path }) });
 * serve({ fetch: app.fetch, port: 3000, hostname: '127.0.0.1' });
 */
export function createApp(deps: ApiDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.use('*', async (c, next) => {
    const lambdaId = (c.env?.event as { requestContext?: { requestId?: string } } | undefined)?.requestContext?.requestId;
    c.set('requestId', lambdaId ?? randomUUID());
    await next();
    c.header('x-request-id', c.get('requestId'));
  });
  // connect-src: the API, and the bucket origin the API presigns uploads for (issuers PUT tapes there from the page).
  const uploadOrigin = deps.presigner.origin?.().catch(() => undefined) ?? Promise.resolve(undefined);
  const headers = uploadOrigin.then((origin) => secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'", "'unsafe-inline'"], imgSrc: ["'self'", 'data:', 'blob:'],
      connectSrc: origin ? ["'self'", origin] : ["'self'"], objectSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'self'"],
    },
    crossOriginResourcePolicy: 'same-origin',
  }));
  app.use('*', async (c, next) => (await headers)(c, next));
  app.use('/v1/*', async (c, next) => {
    c.header('cache-control', 'no-store');
    const outcome = await deps.auth.authenticate({ authorization: c.req.header('authorization'), lambdaEvent: c.env?.event });
    if (!outcome.ok) {
      return problemResponse(outcome.code, outcome.detail, c.req.path, undefined,
        outcome.code === 'ROLE_MISSING' ? {} : { 'www-authenticate': 'Bearer realm="dmbs"' });
    }
    c.set('principal', outcome.principal);
    await next();
  });
  // Bodies over options.maxResponseBytes: stored, answered by a redirect to a presigned GET (Lambda).
  const spill = largeResponses(deps);
  if (spill) app.use('/v1/*', spill);

  app.get('/health', async (c) => {
    const checks = deps.readiness ? await deps.readiness().catch((e: unknown) => ({ readiness: e instanceof Error ? e.message : 'check failed' })) : {};
    const failing = Object.entries(checks).filter(([, v]) => v !== 'ok');
    if (failing.length > 0) {
      return problemResponse('UNAVAILABLE', `Not ready: ${failing.map(([k, v]) => `${k} (${v})`).join(', ')}. Try again shortly.`, c.req.path,
        failing.map(([location, message]) => ({ location, message })), { 'retry-after': '5', 'cache-control': 'no-store' }, { checks });
    }
    c.header('cache-control', 'no-store');
    return c.json({ status: 'ok', checks }, 200);
  });
  app.get('/openapi.json', (c) => c.json(openApiDocument()));

  app.get('/v1/me', (c) => {
    const p = c.get('principal');
    const me: Me = { role: p.role, issuerId: p.role === 'issuer' ? p.issuerId : null, subject: p.subject };
    return c.json(me);
  });
  dealRoutes(app, deps);
  mappingRoutes(app, deps);
  tapeRoutes(app, deps);
  rescoreRoutes(app, deps);
  stressRoutes(app, deps);
  watchlistRoutes(app, deps);
  marketRoutes(app, deps);
  dmbxRoutes(app, deps);
  for (const [path, allow] of API_PATHS) {
    app.all(path, (c) => problemResponse('METHOD_NOT_ALLOWED', `${c.req.method} is not supported on this resource; use ${allow}.`, c.req.path, undefined, { allow }));
  }

  app.get('*', async (c) => {
    const asset = await deps.assets?.get(c.req.path);
    if (!asset) return problemResponse('ROUTE_NOT_FOUND', `Nothing at ${c.req.path.slice(0, 200)}. The API is under /v1 (see /openapi.json); the reviewers' page is at /.`, c.req.path);
    return c.body(asset.body as Uint8Array<ArrayBuffer>, 200, { 'content-type': asset.contentType, 'cache-control': 'no-cache' });
  });

  app.notFound((c) => problemResponse('ROUTE_NOT_FOUND', `Nothing at ${c.req.path.slice(0, 200)}. The API is under /v1 (see /openapi.json).`, c.req.path));
  app.onError((err, c) => {
    if (err instanceof ApiProblem) return problemResponse(err.code, err.detail, c.req.path, err.errors);
    // Everything else is our fault: the cause goes to the log, the caller gets a reference, never a stack.
    const requestId = c.get('requestId');
    deps.log?.('error', 'request failed', { requestId, method: c.req.method, path: c.req.path, error: err.message, stack: err.stack });
    return problemResponse('INTERNAL', `Something went wrong on our side; try again. If it keeps happening, report request id ${requestId}.`, c.req.path);
  });
  return app;
}
