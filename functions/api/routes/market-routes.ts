/**
 * The market view (reviewers and onboarding only): exposure of the deals' latest tapes by tenant
 * group, sponsor, market or facility, and the balance-sheet transition by quarter. Thin: role,
 * query validation, and the MarketService port (functions/market/market-service.ts).
 */
import type { Hono } from 'hono';
import { DmbsError } from '../../core/errors.ts';
import { EXPOSURE_BY } from '../../core/market/types.ts';
import type { MarketService } from '../../market/market-service.ts';
import { enumQuery, intQuery, type AppContext, type AppEnv } from '../context.ts';
import type { ApiDeps } from '../ports.ts';
import { ApiProblem } from '../problem.ts';

/** The market sees every issuer's deals: reviewers and onboarding only; an issuer key is refused (403). */
export function requireMarketRole(c: AppContext): void {
  if (c.get('principal').role === 'issuer') {
    throw new ApiProblem('ROLE_FORBIDDEN', 'The market view and DMBX series cover every issuer\'s deals: reviewer and onboarding keys only. An issuer sees its own deals under /v1/deals.');
  }
}

export function marketService(deps: ApiDeps): MarketService {
  if (!deps.market) throw new ApiProblem('MARKET_UNAVAILABLE', 'This deployment has no market dataset configured (the analytics engine is missing).');
  return deps.market;
}

/** An optional query date YYYY-MM-DD (a real calendar day). */
export function dateQuery(c: AppContext, name: string): string | undefined {
  const raw = c.req.query(name);
  if (raw === undefined || raw === '') return undefined;
  if (!isIsoDay(raw)) {
    throw new ApiProblem('INVALID_PARAMETER', `${name} must be a date YYYY-MM-DD; got '${raw.slice(0, 40)}'.`, { errors: [{ location: `query.${name}`, message: 'date YYYY-MM-DD' }] });
  }
  return raw;
}

export function isIsoDay(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s;
}

/** The service's coded errors as problems: a bad parameter is the caller's (400), a reused name a conflict (409). */
export async function asProblem<T>(run: () => Promise<T>, location: string): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (!(e instanceof DmbsError)) throw e;
    switch (e.code) {
      case 'DMBX_SERIES_EXISTS': throw new ApiProblem('DMBX_SERIES_EXISTS', e.message, { cause: e });
      case 'DMBX_RULEBOOK_INVALID': throw new ApiProblem('DMBX_RULEBOOK_INVALID', e.message, { cause: e, errors: [{ location: 'body.rulebook', message: e.message }] });
      case 'MARKET_PARAMETER_INVALID': {
        const code = /nextToken/.test(e.message) ? 'INVALID_NEXT_TOKEN' : location.startsWith('body') ? 'INVALID_BODY' : 'INVALID_PARAMETER';
        throw new ApiProblem(code, e.message, { cause: e, errors: [{ location, message: e.message }] });
      }
      default: throw e;
    }
  }
}

export function marketRoutes(app: Hono<AppEnv>, deps: ApiDeps): void {
  app.get('/v1/market/exposures', async (c) => {
    requireMarketRole(c);
    const by = enumQuery(c, 'by', EXPOSURE_BY);
    if (!by) throw new ApiProblem('INVALID_PARAMETER', `by is required: one of ${EXPOSURE_BY.join(', ')}.`, { errors: [{ location: 'query.by', message: `one of ${EXPOSURE_BY.join(', ')}` }] });
    const asOf = dateQuery(c, 'asOf');
    const limit = intQuery(c, 'limit', { min: 1, max: 1000, default: 100 })!;
    const nextToken = c.req.query('nextToken') || undefined;
    const page = await asProblem(() => marketService(deps).exposures({ by, limit, ...(asOf ? { asOf } : {}), ...(nextToken ? { nextToken } : {}) }), 'query');
    return c.json({ asOf: page.asOf, dealCount: page.dealCount, totalBalance: page.totalBalance, items: page.items, nextToken: page.nextToken ?? null });
  });

  app.get('/v1/market/balance-sheet-transition', async (c) => {
    requireMarketRole(c);
    const asOf = dateQuery(c, 'asOf');
    const tenantGroup = c.req.query('tenantGroup');
    if (tenantGroup !== undefined && (tenantGroup.trim() === '' || tenantGroup.length > 200)) {
      throw new ApiProblem('INVALID_PARAMETER', 'tenantGroup must be a tenant group key (1 to 200 characters, as GET /v1/market/exposures?by=tenantGroup lists them).', { errors: [{ location: 'query.tenantGroup', message: '1..200 characters' }] });
    }
    const result = await asProblem(() => marketService(deps).balanceSheetTransition({ ...(asOf ? { asOf } : {}), ...(tenantGroup ? { tenantGroup } : {}) }), 'query');
    return c.json(result);
  });
}
