import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDmbxRulebook } from '../../../functions/core/market/dmbx-rulebook.ts';
import { selectDeals, seriesFigures, type CandidateTape, type LookThroughRow } from '../../../functions/core/market/dmbx.ts';
import { DuckDbEngine } from '../../../functions/local/duckdb-engine.ts';
import { createMarketService, type MarketService } from '../../../functions/market/market-service.ts';
import { MemoryLatestTapeIndex, MemorySeriesStore } from '../../../functions/market/memory-stores.ts';
import { writeTape } from './support.ts';

const tape = (over: Partial<CandidateTape>): CandidateTape => ({
  issuerId: 'acme', dealId: 'd', tapeId: 't', reportingDate: '2026-12-31', eligibleCount: 5, eligibleBalance: '100000000.00', dataQualityScore: '80.00', ...over,
});

describe('DMBX rulebook', () => {
  it('merges a partial rulebook over the defaults', () => {
    const rules = loadDmbxRulebook({ maxDeals: 3, caps: { market: 0.5 } });
    expect(rules.document).toMatchObject({ maxDeals: 3, maxTapeAgeMonths: 3, minEligibleLoans: 5, minEligibleBalance: 100000000, minDataQuality: 80, caps: { tenantGroup: 0.25, sponsor: 0.25, market: 0.5 } });
    expect(rules.minEligibleBalanceCents).toBe(10000000000n);
  });

  it('names the JSON path of a bad value', () => {
    expect(() => loadDmbxRulebook({ caps: { market: 1.5 }, maxDealz: 1 })).toThrow(expect.objectContaining({
      code: 'DMBX_RULEBOOK_INVALID', message: expect.stringMatching(/rulebook: .*\/caps\/market.*<= 1|rulebook: .*maxDealz/),
    }));
  });
});

describe('DMBX selection', () => {
  const rules = loadDmbxRulebook({ maxDeals: 3 });
  it('keeps candidates meeting every rule, on the limits included', () => {
    const tapes = [
      tape({ dealId: 'on-limits', reportingDate: '2026-09-30' }),
      tape({ dealId: 'too-old', reportingDate: '2026-09-29' }),
      tape({ dealId: 'few-loans', eligibleCount: 4 }),
      tape({ dealId: 'small', eligibleBalance: '99999999.99' }),
      tape({ dealId: 'low-quality', dataQualityScore: '79.99' }),
      tape({ dealId: 'after-asof', reportingDate: '2027-01-01' }),
    ];
    expect(selectDeals(tapes, rules, '2026-12-31').map((t) => t.dealId)).toEqual(['on-limits']);
  });

  it('clamps the tape-age limit to the month end', () => {
    const r = loadDmbxRulebook({ maxTapeAgeMonths: 1 });
    expect(selectDeals([tape({ reportingDate: '2026-02-28' }), tape({ dealId: 'e', reportingDate: '2026-02-27' })], r, '2026-03-31').map((t) => t.dealId)).toEqual(['d']);
  });

  it('ranks by eligible balance, then dealId, then issuerId, and takes the first maxDeals', () => {
    const tapes = [
      tape({ issuerId: 'b', dealId: 'x', eligibleBalance: '200000000.00' }),
      tape({ issuerId: 'a', dealId: 'x', eligibleBalance: '200000000.00' }),
      tape({ issuerId: 'a', dealId: 'w', eligibleBalance: '200000000.00' }),
      tape({ issuerId: 'a', dealId: 'big', eligibleBalance: '300000000.00' }),
    ];
    expect(selectDeals(tapes, rules, '2026-12-31').map((t) => `${t.issuerId}/${t.dealId}`)).toEqual(['a/big', 'a/w', 'a/x']);
  });
});

describe('DMBX figures', () => {
  const rules = loadDmbxRulebook({ caps: { tenantGroup: 0.333333, sponsor: 1, market: 0.35 } });
  const three = ['a', 'b', 'c'].map((d) => tape({ dealId: d, tapeId: d, eligibleBalance: '300.00' }));
  const rows: LookThroughRow[] = three.flatMap((t) => [
    { dimension: 'tenantGroup', tapeId: t.tapeId, key: `tenant-${t.dealId}`, label: `Tenant ${t.dealId.toUpperCase()}`, balance: '300.00' },
    { dimension: 'sponsor', tapeId: t.tapeId, key: 'vantage', label: `Vantage ${t.dealId}`, balance: '300.00' },
  ] as LookThroughRow[]);

  it('weights deals equally and compares caps with the exact share', () => {
    const f = seriesFigures(three, rows, rules);
    expect(f.deals.map((d) => d.weight)).toEqual(['0.333333', '0.333333', '0.333333']);
    expect(f.lookThrough.tenantGroup.map((i) => i.share)).toEqual(['0.333333', '0.333333', '0.333333']);
    expect(f.lookThrough.sponsor).toEqual([{ key: 'vantage', label: 'Vantage a', share: '1.000000' }]);
    expect(f.lookThrough.market).toEqual([]);
    expect(f.caps).toEqual([
      // 1/3 is written 0.333333 but exceeds the limit 0.333333.
      { by: 'tenantGroup', key: 'tenant-a', share: '0.333333', limit: '0.333333', pass: false },
      { by: 'sponsor', key: 'vantage', share: '1.000000', limit: '1.000000', pass: true },
      { by: 'market', key: null, share: null, limit: '0.350000', pass: null },
    ]);
  });

  it('writes shares half-even at the 6th decimal, exactly (ties to the even digit)', () => {
    const one = [tape({ dealId: 'a', tapeId: 'a', eligibleBalance: '100000.00' })];
    const at = (balance: string) => seriesFigures(one, [{ dimension: 'market', tapeId: 'a', key: 'k', label: 'K', balance }], rules).lookThrough.market[0]!.share;
    // 0.05 / 100,000 = 0.0000005 (a tie: down to 0); 0.15 / 100,000 = 0.0000015 (a tie: up to 2); just above a tie: up.
    expect([at('0.05'), at('0.15'), at('0.25'), at('0.06'), at('99999.99'), at('100000.00')]).toEqual(['0.000000', '0.000002', '0.000002', '0.000001', '1.000000', '1.000000']);
  });

  it('with no deal gives empty lists and null caps', () => {
    expect(seriesFigures([], [], rules)).toEqual({
      deals: [], lookThrough: { tenantGroup: [], sponsor: [], market: [] },
      caps: [
        { by: 'tenantGroup', key: null, share: null, limit: '0.333333', pass: null },
        { by: 'sponsor', key: null, share: null, limit: '1.000000', pass: null },
        { by: 'market', key: null, share: null, limit: '0.350000', pass: null },
      ],
    });
  });
});

describe('DMBX series through DuckDB', () => {
  let root: string;
  let engine: DuckDbEngine;
  let market: MarketService;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'dmbs-dmbx-'));
    const index = new MemoryLatestTapeIndex();
    await index.record(await writeTape(root, {
      issuerId: 'acme', dealId: 'x', tapeId: 'a'.repeat(32), reportingDate: '2026-11-30', loans: [
        { currentBalance: 60, largestTenantParent: 'T1', market: 'M1' },
        { currentBalance: 40, largestTenantParent: 'T2', market: 'M1' },
        { currentBalance: 500, largestTenantParent: 'T9', eligible: false },
      ],
    }));
    await index.record(await writeTape(root, {
      issuerId: 'beta', dealId: 'y', tapeId: 'b'.repeat(32), reportingDate: '2026-12-31', loans: [
        { currentBalance: 30, largestTenantParent: 't1 ' },
        { currentBalance: 90, largestTenantParent: 'T3' },
      ],
    }));
    engine = await DuckDbEngine.open({ root });
    market = createMarketService({ engine, tapes: index, series: new MemorySeriesStore(), now: () => new Date('2027-01-05T10:00:00Z') });
  });
  afterAll(async () => {
    engine.close();
    await rm(root, { recursive: true, force: true });
  });

  const rulebook = { minEligibleLoans: 2, minEligibleBalance: 0 };

  it('fixes the deals, weights, look-through shares and caps', async () => {
    const series = await market.createSeries({ name: 'DMBX-1', asOf: '2026-12-31', rulebook });
    expect(series).toMatchObject({
      name: 'DMBX-1', asOf: '2026-12-31', createdAt: '2027-01-05T10:00:00.000Z',
      rulebook: { minEligibleLoans: 2, minEligibleBalance: 0, maxDeals: 25, caps: { tenantGroup: 0.25, sponsor: 0.25, market: 0.35 } },
      deals: [
        { issuerId: 'beta', dealId: 'y', tapeId: 'b'.repeat(32), reportingDate: '2026-12-31', eligibleBalance: '120.00', weight: '0.500000' },
        { issuerId: 'acme', dealId: 'x', tapeId: 'a'.repeat(32), reportingDate: '2026-11-30', eligibleBalance: '100.00', weight: '0.500000' },
      ],
      lookThrough: {
        tenantGroup: [{ key: 't1', label: 'T1', share: '0.425000' }, { key: 't3', label: 'T3', share: '0.375000' }, { key: 't2', label: 'T2', share: '0.200000' }],
        market: [{ key: 'm1', label: 'M1', share: '0.500000' }, { key: 'northern virginia', label: 'Northern Virginia', share: '0.500000' }],
        sponsor: [{ key: 'vantage', label: 'Vantage', share: '1.000000' }],
      },
      caps: [
        { by: 'tenantGroup', key: 't1', share: '0.425000', limit: '0.250000', pass: false },
        { by: 'sponsor', key: 'vantage', share: '1.000000', limit: '0.250000', pass: false },
        { by: 'market', key: 'm1', share: '0.500000', limit: '0.350000', pass: false },
      ],
    });
    expect(await market.getSeries('DMBX-1')).toEqual(series);
    expect(await market.listSeries({})).toEqual({ items: [{ name: 'DMBX-1', asOf: '2026-12-31', createdAt: '2027-01-05T10:00:00.000Z', dealCount: 2 }] });
  });

  it('refuses a reused name, a bad name and a bad date', async () => {
    await market.createSeries({ name: 'DMBX-2', asOf: '2026-12-31', rulebook });
    await expect(market.createSeries({ name: 'DMBX-2', asOf: '2026-06-30' })).rejects.toMatchObject({ code: 'DMBX_SERIES_EXISTS' });
    await expect(market.createSeries({ name: 'no spaces', asOf: '2026-12-31' })).rejects.toMatchObject({ code: 'MARKET_PARAMETER_INVALID', message: expect.stringContaining('name') });
    await expect(market.createSeries({ name: 'ok', asOf: '31/12/2026' })).rejects.toMatchObject({ code: 'MARKET_PARAMETER_INVALID', message: expect.stringContaining('asOf') });
    await expect(market.createSeries({ name: 'ok', asOf: '2026-12-31', rulebook: { maxDeals: 0 } })).rejects.toMatchObject({ code: 'DMBX_RULEBOOK_INVALID', message: expect.stringContaining('/maxDeals') });
  });

  it('with no candidate (defaults: 100M minimum) fixes an empty series', async () => {
    const series = await market.createSeries({ name: 'empty', asOf: '2026-12-31' });
    expect(series.deals).toEqual([]);
    expect(series.caps.every((c) => c.key === null && c.share === null && c.pass === null)).toBe(true);
  });
});
