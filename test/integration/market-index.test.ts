import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsClients, destroyAwsClients, type AwsClients } from '../../functions/aws/clients.ts';
import { DynamoLatestTapeIndex, DynamoSeriesStore } from '../../functions/aws/market-index.ts';
import { ensureResultsTable } from '../../functions/aws/results-repository.ts';
import { EMULATOR_CREDENTIALS, startDynamoDbEmulator } from '../../functions/local/emulators.ts';
import type { DmbxSeries } from '../../functions/core/market/types.ts';
import type { IndexedTape } from '../../functions/market/ports.ts';

const TABLE = 'market-index-test';
const tape = (over: Partial<IndexedTape>): IndexedTape => ({
  issuerId: 'acme', dealId: 'd1', tapeId: 't', reportingDate: '2026-09-30', uploadedAt: '2026-10-01T00:00:00.000Z',
  eligibleCount: 5, eligibleBalance: '100.00', dataQualityScore: '90.00', analyticsKey: 'analytics/loans/x', ...over,
});

describe('latest-tape index and series store on dynalite', () => {
  let ddb: Awaited<ReturnType<typeof startDynamoDbEmulator>>;
  let clients: AwsClients;
  let index: DynamoLatestTapeIndex;
  let series: DynamoSeriesStore;
  beforeAll(async () => {
    ddb = await startDynamoDbEmulator();
    clients = createAwsClients({ dynamoDbEndpoint: ddb.endpoint, credentials: EMULATOR_CREDENTIALS, region: 'us-east-1' });
    await ensureResultsTable(clients.dynamoDb, TABLE);
    index = new DynamoLatestTapeIndex({ client: clients.dynamoDb, tableName: TABLE });
    series = new DynamoSeriesStore({ client: clients.dynamoDb, tableName: TABLE });
  });
  afterAll(async () => {
    destroyAwsClients(clients);
    await ddb.stop();
  });

  it('keeps per deal the latest reportingDate, the later upload on a tie, whatever the arrival order', async () => {
    await index.record(tape({ tapeId: 'sep-late', uploadedAt: '2026-10-05T00:00:00.000Z', eligibleBalance: '1.00' }));
    await index.record(tape({ tapeId: 'dec', reportingDate: '2026-12-31' }));
    // Arrives last but is older: never replaces the December tape.
    await index.record(tape({ tapeId: 'jun', reportingDate: '2026-06-30', uploadedAt: '2027-01-01T00:00:00.000Z' }));
    await index.record(tape({ tapeId: 'sep-early', uploadedAt: '2026-10-02T00:00:00.000Z' }));
    await index.record(tape({ dealId: 'd2', tapeId: 'other', reportingDate: '2026-03-31' }));
    expect((await index.latest()).map((t) => `${t.dealId}:${t.tapeId}`)).toEqual(['d1:dec', 'd2:other']);
    expect((await index.latest('2026-12-30')).map((t) => t.tapeId)).toEqual(['sep-late', 'other']);
    expect((await index.latest('2026-09-30')).map((t) => t.tapeId)).toEqual(['sep-late', 'other']);
    expect((await index.latest('2026-09-29')).map((t) => t.tapeId)).toEqual(['jun', 'other']);
    expect((await index.latest('2026-03-30')).map((t) => t.tapeId)).toEqual([]);
    // A re-score of the latest tape updates its figures.
    await index.record(tape({ tapeId: 'dec', reportingDate: '2026-12-31', eligibleBalance: '7.00' }));
    expect((await index.latest())[0]).toMatchObject({ tapeId: 'dec', eligibleBalance: '7.00' });
  });

  it('stores a series once, reads it back and lists names by page', async () => {
    const s = (name: string): DmbxSeries => ({
      name, asOf: '2026-12-31', rulebook: { maxDeals: 25 }, createdAt: '2027-01-01T00:00:00.000Z',
      deals: [{ issuerId: 'a', dealId: 'd', tapeId: 't', reportingDate: '2026-12-31', eligibleBalance: '1.00', weight: '1.000000' }],
      lookThrough: { tenantGroup: [{ key: 'x', label: 'X', share: '1.000000' }], sponsor: [], market: [] },
      caps: [{ by: 'tenantGroup', key: 'x', share: '1.000000', limit: '0.250000', pass: false }],
    });
    expect(await series.create(s('B'))).toBe(true);
    expect(await series.create(s('A'))).toBe(true);
    expect(await series.create({ ...s('A'), asOf: '2020-01-01' })).toBe(false);
    expect(await series.get('A')).toEqual(s('A'));
    expect(await series.get('missing')).toBeUndefined();
    const first = await series.list({ limit: 1 });
    expect(first.items).toEqual([{ name: 'A', asOf: '2026-12-31', createdAt: '2027-01-01T00:00:00.000Z', dealCount: 1 }]);
    const second = await series.list({ limit: 1, cursor: first.cursor! });
    expect(second.items.map((i) => i.name)).toEqual(['B']);
    // A full page may end exactly at the last series: the next page is then empty and has no cursor.
    expect(second.cursor).toBe('B');
    expect(await series.list({ limit: 1, cursor: 'B' })).toEqual({ items: [] });
  });
});
