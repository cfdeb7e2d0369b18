/**
 * DMBX series (reviewers and onboarding only): create one (immutable: a used name is 409), read
 * one, list them. Creating publishes `DmbxSeriesCreated` (schemas/dmbx-series-created.v1).
 * Thin: role, body and query validation, the MarketService port.
 */
import type { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { DmbxSeriesCreatedDetail } from '../../core/generated/dmbx-series-created.ts';
import type { DmbxSeries } from '../../core/market/types.ts';
import { jsonBody, intQuery, type AppEnv } from '../context.ts';
import { DEFAULT_MAX_BODY_BYTES, type ApiDeps } from '../ports.ts';
import { ApiProblem, problemResponse } from '../problem.ts';
import { asProblem, isIsoDay, marketService, requireMarketRole } from './market-routes.ts';

const SERIES_NAME = /^[A-Za-z0-9._-]{1,64}$/;
const EXAMPLE = '{ "name": "DMBX-2026-1", "asOf": "2026-06-30", "rulebook": { "maxDeals": 10 } }';

/** The body's shape (the rulebook's own rules are the service's: errors name the rulebook's JSON path). */
function checkedRequest(body: unknown): { name: string; asOf: string; rulebook?: unknown } {
  const errors: { location: string; message: string }[] = [];
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiProblem('INVALID_BODY', `The body must be a JSON object: ${EXAMPLE}.`, { errors: [{ location: 'body', message: 'object' }] });
  }
  const b = body as Record<string, unknown>;
  for (const key of Object.keys(b)) if (!['name', 'asOf', 'rulebook'].includes(key)) errors.push({ location: `body.${key}`, message: 'unknown field: send name, asOf and optionally rulebook' });
  if (typeof b.name !== 'string' || !SERIES_NAME.test(b.name)) errors.push({ location: 'body.name', message: 'required: 1 to 64 letters, digits, ".", "_" or "-"' });
  if (typeof b.asOf !== 'string' || !isIsoDay(b.asOf)) errors.push({ location: 'body.asOf', message: 'required: a date YYYY-MM-DD' });
  if (b.rulebook !== undefined && (typeof b.rulebook !== 'object' || b.rulebook === null || Array.isArray(b.rulebook))) errors.push({ location: 'body.rulebook', message: 'an object: any part of a DMBX rulebook' });
  if (errors.length > 0) {
    throw new ApiProblem('INVALID_BODY', `${errors.map((e) => `${e.location}: ${e.message}`).join('; ')}. Example: ${EXAMPLE}.`, { errors });
  }
  return { name: b.name as string, asOf: b.asOf as string, ...(b.rulebook === undefined ? {} : { rulebook: b.rulebook }) };
}

export function seriesCreatedDetail(series: DmbxSeries): DmbxSeriesCreatedDetail {
  return {
    schemaVersion: 'dmbx-series-created/1',
    name: series.name,
    asOf: series.asOf,
    createdAt: series.createdAt,
    series: `/v1/dmbx/series/${series.name}`,
    deals: series.deals.map((d) => ({ issuerId: d.issuerId, dealId: d.dealId, tapeId: d.tapeId, weight: d.weight })),
    caps: series.caps.map((c) => ({ by: c.by, key: c.key, share: c.share, limit: c.limit, pass: c.pass })),
  };
}

export function dmbxRoutes(app: Hono<AppEnv>, deps: ApiDeps): void {
  const limit = bodyLimit({
    maxSize: deps.options?.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    onError: (c) => problemResponse('BODY_TOO_LARGE', `The request body is too large; send ${EXAMPLE}.`, c.req.path),
  });

  app.post('/v1/dmbx/series', limit, async (c) => {
    requireMarketRole(c);
    const request = checkedRequest(await jsonBody(c, EXAMPLE));
    const series = await asProblem(() => marketService(deps).createSeries(request), 'body');
    const principal = c.get('principal');
    deps.log?.('info', 'DMBX series created', { name: series.name, asOf: series.asOf, deals: series.deals.length, requestedBy: principal.subject });
    try {
      await deps.events?.publish({ type: 'DmbxSeriesCreated', detail: seriesCreatedDetail(series) });
    } catch (e) {
      // The series is stored and immutable: the caller gets it; the missed event is logged for a replay.
      deps.log?.('error', 'DmbxSeriesCreated not published', { name: series.name, error: (e as Error).message });
    }
    return c.json(series, 201, { location: `/v1/dmbx/series/${series.name}` });
  });

  app.get('/v1/dmbx/series', async (c) => {
    requireMarketRole(c);
    const pageLimit = intQuery(c, 'limit', { min: 1, max: 1000, default: 100 })!;
    const nextToken = c.req.query('nextToken') || undefined;
    const page = await asProblem(() => marketService(deps).listSeries({ limit: pageLimit, ...(nextToken ? { nextToken } : {}) }), 'query');
    return c.json({ items: page.items, nextToken: page.nextToken ?? null });
  });

  app.get('/v1/dmbx/series/:name', async (c) => {
    requireMarketRole(c);
    const name = c.req.param('name');
    if (!SERIES_NAME.test(name)) {
      throw new ApiProblem('INVALID_PARAMETER', `A series name is 1 to 64 letters, digits, '.', '_' or '-'; got '${name.slice(0, 80)}'.`, { errors: [{ location: 'path.name', message: '^[A-Za-z0-9._-]{1,64}$' }] });
    }
    const series = await marketService(deps).getSeries(name);
    if (!series) throw new ApiProblem('DMBX_SERIES_NOT_FOUND', `No DMBX series '${name}'. GET /v1/dmbx/series lists them; POST /v1/dmbx/series creates one.`);
    return c.json(series);
  });
}
