import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../../../functions/local/duckdb-engine.ts';
import { createMarketService, type MarketService } from '../../../functions/market/market-service.ts';
import { MemoryLatestTapeIndex, MemorySeriesStore } from '../../../functions/market/memory-stores.ts';
import { writeTape, type TapeSpec } from './support.ts';

const tid = (n: number) => n.toString(16).padStart(32, '0');

/** Three deals; acme/d1 has an older tape that only asOf reaches. */
const TAPES: TapeSpec[] = [
  { issuerId: 'acme', dealId: 'd1', tapeId: tid(1), reportingDate: '2026-06-30', loans: [{ currentBalance: 10, largestTenantParent: 'Amazon' }] },
  {
    issuerId: 'acme', dealId: 'd1', tapeId: tid(2), reportingDate: '2026-09-30', loans: [
      { currentBalance: 100, largestTenantParent: 'Microsoft Corporation', facilityId: 'DC-1', offBalanceSheet: true, constructionStatus: 'OPERATIONAL' },
      { currentBalance: 50, largestTenantParent: 'ND1', largestTenant: 'Oracle', market: 'Dallas', facilityId: 'DC-2', offBalanceSheet: true, constructionStatus: 'UNDER_CONSTRUCTION', expectedCompletionDate: '2027-02-28' },
      { currentBalance: 1000, eligible: false, largestTenantParent: 'Microsoft', offBalanceSheet: true, constructionStatus: 'COMMISSIONING', expectedCompletionDate: '2026-12-31' },
    ],
  },
  {
    issuerId: 'beta', dealId: 'd2', tapeId: tid(3), reportingDate: '2026-09-30', loans: [
      { currentBalance: 200.5, largestTenantParent: ' microsoft   CORPORATION', facilityId: 'dc-1', offBalanceSheet: true, constructionStatus: 'PLANNED', expectedCompletionDate: '2027-01-15' },
      { currentBalance: 49.5, largestTenantParent: 'Google', facilityId: 'DC-9' },
    ],
  },
  { issuerId: 'acme', dealId: 'd3', tapeId: tid(4), reportingDate: '2026-10-31', loans: [{ currentBalance: 70, eligible: false }] },
];

describe('market view through DuckDB', () => {
  let root: string;
  let engine: DuckDbEngine;
  let market: MarketService;
  let zeroMarket: MarketService;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'dmbs-market-'));
    const index = new MemoryLatestTapeIndex();
    const onlyIneligible = new MemoryLatestTapeIndex();
    for (const spec of TAPES) {
      const entry = await writeTape(root, spec);
      await index.record(entry);
      if (spec.dealId === 'd3') await onlyIneligible.record(entry);
    }
    engine = await DuckDbEngine.open({ root });
    market = createMarketService({ engine, tapes: index, series: new MemorySeriesStore() });
    zeroMarket = createMarketService({ engine, tapes: onlyIneligible, series: new MemorySeriesStore() });
  });
  afterAll(async () => {
    engine.close();
    await rm(root, { recursive: true, force: true });
  });

  it('sums the latest tapes\' eligible balances by normalised tenant group, labelled by the first loan', async () => {
    expect(await market.exposures({ by: 'tenantGroup' })).toEqual({
      asOf: null, dealCount: 3, totalBalance: '400.00',
      items: [
        { key: 'microsoft corporation', label: 'Microsoft Corporation', balance: '300.50', share: '0.751250', dealCount: 2 },
        { key: 'google', label: 'Google', balance: '49.50', share: '0.123750', dealCount: 1 },
        { key: 'oracle', label: 'Oracle', balance: '50.00', share: '0.125000', dealCount: 1 },
      ].sort((a, b) => Number(b.balance) - Number(a.balance)),
    });
  });

  it('keys facilities by issuer, and markets and sponsors by their normalised names', async () => {
    const facility = await market.exposures({ by: 'facility' });
    expect(facility.items.map((i) => [i.key, i.label, i.balance])).toEqual([
      ['beta/dc-1', 'beta/dc-1', '200.50'], ['acme/dc-1', 'acme/DC-1', '100.00'], ['acme/dc-2', 'acme/DC-2', '50.00'], ['beta/dc-9', 'beta/DC-9', '49.50'],
    ]);
    const markets = await market.exposures({ by: 'market' });
    expect(markets.items.map((i) => [i.key, i.balance, i.dealCount])).toEqual([['northern virginia', '350.00', 2], ['dallas', '50.00', 1]]);
    expect((await market.exposures({ by: 'sponsor' })).items).toEqual([{ key: 'vantage', label: 'Vantage', balance: '400.00', share: '1.000000', dealCount: 2 }]);
  });

  it('as of a date takes each deal\'s latest tape on or before it', async () => {
    expect(await market.exposures({ by: 'tenantGroup', asOf: '2026-07-31' })).toEqual({
      asOf: '2026-07-31', dealCount: 1, totalBalance: '10.00', items: [{ key: 'amazon', label: 'Amazon', balance: '10.00', share: '1.000000', dealCount: 1 }],
    });
    expect(await market.exposures({ by: 'market', asOf: '2026-01-01' })).toEqual({ asOf: '2026-01-01', dealCount: 0, totalBalance: '0.00', items: [] });
  });

  it('pages with a token bound to its question', async () => {
    const first = await market.exposures({ by: 'tenantGroup', limit: 2 });
    expect(first.items.map((i) => i.key)).toEqual(['microsoft corporation', 'oracle']);
    const second = await market.exposures({ by: 'tenantGroup', limit: 2, nextToken: first.nextToken! });
    expect(second).toMatchObject({ dealCount: 3, totalBalance: '400.00', items: [{ key: 'google' }] });
    expect(second.nextToken).toBeUndefined();
    await expect(market.exposures({ by: 'market', limit: 2, nextToken: first.nextToken! })).rejects.toMatchObject({ code: 'MARKET_PARAMETER_INVALID' });
    await expect(market.exposures({ by: 'market', limit: 1001 })).rejects.toMatchObject({ code: 'MARKET_PARAMETER_INVALID' });
    await expect(market.exposures({ by: 'market', asOf: '2026-02-30' })).rejects.toMatchObject({ code: 'MARKET_PARAMETER_INVALID', message: expect.stringContaining('asOf') });
  });

  it('gives a null share when the latest tapes have no eligible balance', async () => {
    expect(await zeroMarket.exposures({ by: 'tenantGroup' })).toEqual({ asOf: null, dealCount: 1, totalBalance: '0.00', items: [] });
  });

  it('schedules off-balance-sheet debt: due first, then quarters, tenant groups by amount', async () => {
    expect(await market.balanceSheetTransition({})).toEqual({
      asOf: null,
      quarters: [
        { quarter: 'due', amount: '100.00', loanCount: 1, byTenantGroup: [{ key: 'microsoft corporation', amount: '100.00' }] },
        { quarter: '2026-Q4', amount: '1000.00', loanCount: 1, byTenantGroup: [{ key: 'microsoft', amount: '1000.00' }] },
        { quarter: '2027-Q1', amount: '250.50', loanCount: 2, byTenantGroup: [{ key: 'microsoft corporation', amount: '200.50' }, { key: 'oracle', amount: '50.00' }] },
      ],
    });
    expect(await market.balanceSheetTransition({ tenantGroup: '  Microsoft Corporation ' })).toEqual({
      asOf: null,
      quarters: [
        { quarter: 'due', amount: '100.00', loanCount: 1, byTenantGroup: [{ key: 'microsoft corporation', amount: '100.00' }] },
        { quarter: '2027-Q1', amount: '200.50', loanCount: 1, byTenantGroup: [{ key: 'microsoft corporation', amount: '200.50' }] },
      ],
    });
    expect(await market.balanceSheetTransition({ asOf: '2026-07-31' })).toEqual({ asOf: '2026-07-31', quarters: [] });
  });
});
