/**
 * The market and DMBX routes on the app with the real market service over small fakes (an
 * engine answering fixed rows, an in-memory latest-tape index and series store): roles (an
 * issuer gets 403 on every route), query and body validation, status codes (201, 404, 409),
 * page tokens, the DmbxSeriesCreated event. Figures against real data: test/e2e and the
 * service's own tests.
 */
import { describe, expect, it } from 'vitest';
import type { DmbxSeries } from '../../functions/core/market/types.ts';
import { createAjv } from '../../functions/core/schema/ajv.ts';
import apiSchema from '../../schemas/dmbs-api.v1.schema.json' with { type: 'json' };
import seriesCreatedSchema from '../../schemas/dmbx-series-created.v1.schema.json' with { type: 'json' };
import { marketApp as setup } from './support/market-fakes.ts';

const ajv = createAjv();
ajv.addSchema(apiSchema);
/** Asserts `body` is an instance of the API schema's `$defs/name` (the OpenAPI document's component). */
function expectShape(name: string, body: unknown): void {
  const validate = ajv.getSchema(`${apiSchema.$id}#/$defs/${name}`)!;
  expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
}

const ROUTES: Array<[string, string, unknown?]> = [
  ['GET', '/v1/market/exposures?by=tenantGroup'],
  ['GET', '/v1/market/balance-sheet-transition'],
  ['GET', '/v1/dmbx/series'],
  ['GET', '/v1/dmbx/series/DMBX-1'],
  ['POST', '/v1/dmbx/series', { name: 'DMBX-1', asOf: '2026-06-30' }],
];

describe('roles', () => {
  it('an issuer gets 403 ROLE_FORBIDDEN on every market and DMBX route; nothing is queried', async () => {
    const { call, ran } = setup();
    for (const [method, path, body] of ROUTES) {
      const res = await call(path, 'issuer', { method, ...(body ? { body: JSON.stringify(body) } : {}) });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(((await res.json()) as { code: string }).code).toBe('ROLE_FORBIDDEN');
    }
    expect(ran).toEqual([]);
  });

  it('reviewer and onboarding keys are answered', async () => {
    const { call } = setup();
    for (const role of ['reviewer', 'onboarding']) {
      expect((await call('/v1/market/exposures?by=market', role)).status).toBe(200);
      expect((await call('/v1/dmbx/series', role)).status).toBe(200);
    }
  });

  it('without a market service the routes answer 503 MARKET_UNAVAILABLE', async () => {
    const { call } = setup({ market: undefined });
    const res = await call('/v1/market/exposures?by=sponsor');
    expect(res.status).toBe(503);
    expect(((await res.json()) as { code: string }).code).toBe('MARKET_UNAVAILABLE');
  });
});

describe('GET /v1/market/exposures', () => {
  it('answers the pinned shape, pages with nextToken (null on the last page)', async () => {
    const { call } = setup();
    const first = await call('/v1/market/exposures?by=tenantGroup&limit=2');
    expect(first.status).toBe(200);
    const page1 = await first.json() as { asOf: null; dealCount: number; totalBalance: string; items: Array<{ key: string; share: string }>; nextToken: string };
    expect(page1).toMatchObject({ asOf: null, dealCount: 2, totalBalance: '500000000.00' });
    expect(page1.items.map((i) => [i.key, i.share])).toEqual([['hyperscaler a', '0.500000'], ['neocloud b', '0.300000']]);
    expect(typeof page1.nextToken).toBe('string');
    expectShape('ExposurePage', page1);
    const page2 = await (await call(`/v1/market/exposures?by=tenantGroup&limit=2&nextToken=${encodeURIComponent(page1.nextToken)}`)).json() as { items: Array<{ key: string }>; nextToken: null };
    expect(page2.items.map((i) => i.key)).toEqual(['colo c']);
    expect(page2.nextToken).toBeNull();
  });

  it('validates by, asOf, limit and nextToken, naming the parameter', async () => {
    const { call } = setup();
    const cases: Array<[string, string, RegExp]> = [
      ['', 'INVALID_PARAMETER', /by is required/],
      ['by=country', 'INVALID_PARAMETER', /by must be one of tenantGroup, sponsor, market, facility/],
      ['by=market&asOf=2026-02-30', 'INVALID_PARAMETER', /asOf must be a date YYYY-MM-DD/],
      ['by=market&asOf=30/06/2026', 'INVALID_PARAMETER', /asOf/],
      ['by=market&limit=0', 'INVALID_PARAMETER', /limit must be a whole number from 1 to 1000/],
      ['by=market&limit=1001', 'INVALID_PARAMETER', /limit/],
      ['by=market&nextToken=garbage', 'INVALID_NEXT_TOKEN', /nextToken/],
    ];
    for (const [query, code, detail] of cases) {
      const res = await call(`/v1/market/exposures?${query}`);
      expect(res.status, query).toBe(400);
      const body = await res.json() as { code: string; detail: string };
      expect(body.code, query).toBe(code);
      expect(body.detail, query).toMatch(detail);
    }
  });

  it('a token of another question is refused', async () => {
    const { call } = setup();
    const { nextToken } = await (await call('/v1/market/exposures?by=tenantGroup&limit=1')).json() as { nextToken: string };
    const res = await call(`/v1/market/exposures?by=sponsor&limit=1&nextToken=${encodeURIComponent(nextToken)}`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: string }).code).toBe('INVALID_NEXT_TOKEN');
  });
});

describe('GET /v1/market/balance-sheet-transition', () => {
  it('answers quarters with due first, asOf echoed', async () => {
    const { call } = setup();
    const res = await call('/v1/market/balance-sheet-transition?asOf=2026-06-30');
    expect(res.status).toBe(200);
    const body = await res.json() as { asOf: string; quarters: Array<{ quarter: string; amount: string; loanCount: number }> };
    expect(body.asOf).toBe('2026-06-30');
    expect(body.quarters.map((q) => [q.quarter, q.amount, q.loanCount])).toEqual([['due', '50000000.00', 2], ['2027-Q1', '20000000.00', 1]]);
    expectShape('TransitionResult', body);
  });

  it('refuses a bad asOf and an empty tenantGroup', async () => {
    const { call } = setup();
    expect((await call('/v1/market/balance-sheet-transition?asOf=yesterday')).status).toBe(400);
    expect((await call('/v1/market/balance-sheet-transition?tenantGroup=%20')).status).toBe(400);
  });
});

describe('DMBX series', () => {
  it('POST creates (201, Location), publishes DmbxSeriesCreated; GET reads it back; the list shows it', async () => {
    const { call, post, events } = setup();
    const res = await post({ name: 'DMBX-2026.1', asOf: '2026-06-30', rulebook: { maxDeals: 1 } });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe('/v1/dmbx/series/DMBX-2026.1');
    const created = await res.json() as DmbxSeries;
    expect(created.deals.map((d) => [d.dealId, d.weight])).toEqual([['deal-1', '1.000000']]);
    expect(created.rulebook.maxDeals).toBe(1);
    expectShape('DmbxSeries', created);
    const validateEvent = ajv.compile(seriesCreatedSchema);
    expect(validateEvent(events[0]?.detail), JSON.stringify(validateEvent.errors)).toBe(true);
    expect(events).toEqual([{ type: 'DmbxSeriesCreated', detail: expect.objectContaining({ schemaVersion: 'dmbx-series-created/1', name: 'DMBX-2026.1', series: '/v1/dmbx/series/DMBX-2026.1', deals: [expect.objectContaining({ dealId: 'deal-1', weight: '1.000000' })] }) }]);
    const got = await call('/v1/dmbx/series/DMBX-2026.1');
    expect(got.status).toBe(200);
    expect(await got.json()).toEqual(created);
    const list = await (await call('/v1/dmbx/series')).json();
    expectShape('DmbxSeriesPage', list);
    expect(list).toEqual({ items: [{ name: 'DMBX-2026.1', asOf: '2026-06-30', createdAt: '2026-07-02T10:00:00.000Z', dealCount: 1 }], nextToken: null });
  });

  it('a reused name is 409 DMBX_SERIES_EXISTS and changes nothing; an unknown one is 404', async () => {
    const { call, post, events } = setup();
    expect((await post({ name: 'S1', asOf: '2026-06-30' })).status).toBe(201);
    const again = await post({ name: 'S1', asOf: '2026-03-31', rulebook: { maxDeals: 1 } });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { code: string }).code).toBe('DMBX_SERIES_EXISTS');
    expect(((await (await call('/v1/dmbx/series/S1')).json()) as DmbxSeries).asOf).toBe('2026-06-30');
    expect(events).toHaveLength(1);
    const missing = await call('/v1/dmbx/series/nope');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { code: string }).code).toBe('DMBX_SERIES_NOT_FOUND');
    expect((await call('/v1/dmbx/series/bad%20name')).status).toBe(400);
  });

  it('validates the body: name pattern, asOf, unknown fields; rulebook errors name the JSON path', async () => {
    const { post } = setup();
    const bad: Array<[unknown, string, RegExp]> = [
      [{ name: 'has space', asOf: '2026-06-30' }, 'INVALID_BODY', /body\.name/],
      [{ name: 'x'.repeat(65), asOf: '2026-06-30' }, 'INVALID_BODY', /body\.name/],
      [{ name: 'ok', asOf: '2026-13-01' }, 'INVALID_BODY', /body\.asOf/],
      [{ name: 'ok' }, 'INVALID_BODY', /body\.asOf/],
      [{ name: 'ok', asOf: '2026-06-30', extra: 1 }, 'INVALID_BODY', /body\.extra/],
      [[], 'INVALID_BODY', /JSON object/],
      [{ name: 'ok', asOf: '2026-06-30', rulebook: { maxDeals: 'ten' } }, 'DMBX_RULEBOOK_INVALID', /maxDeals/],
      [{ name: 'ok', asOf: '2026-06-30', rulebook: { caps: { market: 2 } } }, 'DMBX_RULEBOOK_INVALID', /caps.*market|market.*caps/],
    ];
    for (const [body, code, detail] of bad) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const problem = await res.json() as { code: string; detail: string };
      expect(problem.code, JSON.stringify(body)).toBe(code);
      expect(problem.detail, JSON.stringify(body)).toMatch(detail);
    }
  });

  it('lists in pages; limit is checked', async () => {
    const { call, post } = setup();
    for (const name of ['A', 'B', 'C']) expect((await post({ name, asOf: '2026-06-30' })).status).toBe(201);
    const p1 = await (await call('/v1/dmbx/series?limit=2')).json() as { items: Array<{ name: string }>; nextToken: string };
    expect(p1.items.map((i) => i.name)).toEqual(['A', 'B']);
    const p2 = await (await call(`/v1/dmbx/series?limit=2&nextToken=${encodeURIComponent(p1.nextToken)}`)).json() as { items: Array<{ name: string }>; nextToken: null };
    expect(p2).toEqual({ items: [expect.objectContaining({ name: 'C' })], nextToken: null });
    expect((await call('/v1/dmbx/series?limit=5000')).status).toBe(400);
  });
});
