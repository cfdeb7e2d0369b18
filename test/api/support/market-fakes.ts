/**
 * The market service over small fakes for route and CLI tests: an engine answering fixed rows,
 * an in-memory latest-tape index and series store, an auth provider whose token is the role.
 */
import { createApp } from '../../../functions/api/app.ts';
import type { ApiDeps } from '../../../functions/api/ports.ts';
import { createMarketService } from '../../../functions/market/market-service.ts';
import type { AnalyticsEngine, IndexedTape, LatestTapeIndex, SeriesStore } from '../../../functions/market/ports.ts';
import type { DmbxSeries } from '../../../functions/core/market/types.ts';
import type { BusEvent } from '../../../functions/pipeline/ports.ts';

const tape = (issuerId: string, dealId: string, n: number, balance: string): IndexedTape => ({
  issuerId, dealId, tapeId: String(n).repeat(32).slice(0, 32), reportingDate: '2026-06-30', uploadedAt: '2026-07-01T00:00:00.000Z',
  eligibleCount: 10, eligibleBalance: balance, dataQualityScore: '95.00', analyticsKey: `analytics/loans/issuer=${issuerId}/deal=${dealId}/x.parquet`,
});
export const TAPES = [tape('acme', 'deal-1', 1, '300000000.00'), tape('bravo', 'deal-2', 2, '200000000.00')];

/** Answers by statement: exposures (3 keys), the transition, the look-through. Records what ran. */
function fakeEngine(ran: string[]): AnalyticsEngine {
  return {
    async query(sql) {
      ran.push(sql);
      if (sql.includes('deal_count')) {
        // The service asks for one row more than the page to know whether another page follows.
        const rows = [
          { item_key: 'hyperscaler a', item_label: 'Hyperscaler A', balance: '250000000.00', deal_count: '2' },
          { item_key: 'neocloud b', item_label: 'NeoCloud B', balance: '150000000.00', deal_count: '1' },
          { item_key: 'colo c', item_label: 'Colo C', balance: '100000000.00', deal_count: '1' },
        ];
        const offset = Number(/OFFSET (\d+)/.exec(sql)![1]);
        const limit = Number(/LIMIT (\d+)/.exec(sql)![1]);
        return rows.slice(offset, offset + limit);
      }
      if (sql.includes('loan_count')) return [{ quarter: 'due', item_key: 'hyperscaler a', amount: '50000000.00', loan_count: '2' }, { quarter: '2027-Q1', item_key: 'neocloud b', amount: '20000000.00', loan_count: '1' }];
      return TAPES.flatMap((t) => ['tenantGroup', 'sponsor', 'market'].map((dimension) => ({ dimension, tape: t.tapeId, item_key: `${dimension}-${t.dealId}`, item_label: `${dimension} ${t.dealId}`, balance: t.eligibleBalance })));
    },
  };
}

function memoryIndex(): LatestTapeIndex {
  return { record: async () => undefined, latest: async (asOf) => TAPES.filter((t) => asOf === undefined || t.reportingDate <= asOf) };
}

function memorySeries(): SeriesStore {
  const byName = new Map<string, DmbxSeries>();
  return {
    create: async (s) => (byName.has(s.name) ? false : (byName.set(s.name, s), true)),
    get: async (name) => byName.get(name),
    list: async ({ limit, cursor }) => {
      const names = [...byName.keys()].sort().filter((n) => cursor === undefined || n > cursor);
      const page = names.slice(0, limit);
      return { items: page.map((n) => ({ name: n, asOf: byName.get(n)!.asOf, createdAt: byName.get(n)!.createdAt, dealCount: byName.get(n)!.deals.length })), ...(names.length > limit ? { cursor: page.at(-1)! } : {}) };
    },
  };
}

export function marketApp(overrides: Partial<ApiDeps> = {}) {
  const ran: string[] = [];
  const events: BusEvent[] = [];
  const deps: ApiDeps = {
    results: {} as ApiDeps['results'],
    artifacts: {} as ApiDeps['artifacts'],
    presigner: { presignPut: async () => ({ url: 'http://s3/x', headers: {} }) },
    auth: {
      authenticate: ({ authorization }) => {
        const role = authorization?.replace(/^Bearer /, '') ?? '';
        if (role === 'issuer') return { ok: true, principal: { role: 'issuer', subject: 'i', issuerId: 'acme' } };
        if (role === 'reviewer' || role === 'onboarding') return { ok: true, principal: { role, subject: role } };
        return { ok: false, code: 'TOKEN_INVALID', detail: 'no' };
      },
    },
    market: createMarketService({ engine: fakeEngine(ran), tapes: memoryIndex(), series: memorySeries(), now: () => new Date('2026-07-02T10:00:00.000Z') }),
    events: { publish: async (e) => void events.push(e) },
    ...overrides,
  };
  const app = createApp(deps);
  const call = (path: string, role = 'reviewer', init: RequestInit = {}) =>
    app.request(path, { ...init, headers: { authorization: `Bearer ${role}`, ...(init.body ? { 'content-type': 'application/json' } : {}), ...(init.headers ?? {}) } });
  const post = (body: unknown, role = 'reviewer') => call('/v1/dmbx/series', role, { method: 'POST', body: JSON.stringify(body) });
  return { app, call, post, ran, events };
}

