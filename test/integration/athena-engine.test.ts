/**
 * The Athena engine against moto_server. moto runs no SQL, so this proves the adapter's two
 * ends: what it sends (the SQL text unchanged, the parameters as literals, the workgroup and the
 * database, read back through GetQueryExecution) and how it reads what Athena answers (results
 * seeded through moto's query-results endpoint, typed by column). And the two engines end to end:
 * the market service on Athena gives the same answers as on DuckDB when moto relays, for each
 * statement, the rows DuckDB computes from the same SQL text (Athena itself cannot be emulated).
 * Runs when `moto_server` is on PATH.
 */
import { AthenaClient, CreateWorkGroupCommand, GetQueryExecutionCommand, ListQueryExecutionsCommand } from '@aws-sdk/client-athena';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../../functions/local/duckdb-engine.ts';
import { createMarketService } from '../../functions/market/market-service.ts';
import { MemoryLatestTapeIndex, MemorySeriesStore } from '../../functions/market/memory-stores.ts';
import type { AnalyticsEngine } from '../../functions/market/ports.ts';
import { writeTape } from '../unit/market/support.ts';
import { AthenaEngine } from '../../functions/aws/athena-engine.ts';
import { exposuresSql } from '../../functions/core/market/market-sql.ts';
import { motoUnavailable, startMoto, type MotoServer } from './support/moto-server.ts';

const unavailable = motoUnavailable();
if (unavailable) console.log(`Athena engine tests skipped: ${unavailable}`);

const WORKGROUP = 'dmbs-analytics-moto';
const DATABASE = 'dmbs_analytics';
// The statement exactly as the shared SQL module builds it for the market view.
const STATEMENT = exposuresSql('tenantGroup', ["tape-'a'", 'tape-b'], { offset: 0, limit: 100 });

let moto: MotoServer | undefined;
let client: AthenaClient;
let engine: AthenaEngine;

const column = (name: string, type: string) => ({ CatalogName: 'hive', SchemaName: '', TableName: '', Name: name, Label: name, Type: type, Precision: 0, Scale: 0, Nullable: 'UNKNOWN', CaseSensitive: false });
const cells = (...values: Array<string | undefined>) => ({ Data: values.map((v) => (v === undefined ? {} : { VarCharValue: v })) });

async function seedResults(results: Array<{ rows: unknown[]; column_info: unknown[] }>): Promise<void> {
  const res = await fetch(`${moto!.endpoint}/moto-api/static/athena/query-results`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ account_id: '123456789012', region: 'us-east-1', results }),
  });
  expect(res.status).toBe(201);
}

describe.skipIf(Boolean(unavailable))('Athena engine against moto_server', () => {
  beforeAll(async () => {
    moto = await startMoto();
    client = new AthenaClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    await client.send(new CreateWorkGroupCommand({ Name: WORKGROUP, Configuration: { ResultConfiguration: { OutputLocation: 's3://dmbs-athena-results/results/' } } }));
    engine = new AthenaEngine({ client, workGroup: WORKGROUP, database: DATABASE, pollMs: { first: 5, max: 20 } });
  }, 60_000);

  afterAll(async () => {
    client?.destroy();
    await moto?.stop();
  });

  it('sends the SQL text unchanged, each parameter as a SQL literal, in the workgroup and database', async () => {
    await seedResults([{ rows: [cells('key')], column_info: [column('key', 'varchar')] }]);
    await engine.query(STATEMENT.sql, STATEMENT.params);
    const ids = (await client.send(new ListQueryExecutionsCommand({ WorkGroup: WORKGROUP }))).QueryExecutionIds ?? [];
    expect(ids).toHaveLength(1);
    const { QueryExecution: sent } = await client.send(new GetQueryExecutionCommand({ QueryExecutionId: ids[0] }));
    expect(sent?.Query).toBe(STATEMENT.sql);
    expect(sent?.ExecutionParameters).toEqual(["'tape-''a'''", "'tape-b'", "'tenantGroup'", "'tape-''a'''", "'tape-b'", "'tenantGroup'"]);
    expect(sent?.WorkGroup).toBe(WORKGROUP);
    expect(sent?.QueryExecutionContext?.Database).toBe(DATABASE);
    expect(sent?.Status?.State).toBe('SUCCEEDED');
  });

  it('reads the rows after the header, each value typed by its column; no value is null', async () => {
    await seedResults([{
      column_info: [column('key', 'varchar'), column('balance', 'decimal'), column('loans', 'bigint'), column('share', 'double'), column('pass', 'boolean')],
      rows: [
        cells('key', 'balance', 'loans', 'share', 'pass'),
        cells('hyperscaler a', '1250000000.10', '12', '0.625', 'true'),
        cells('neocloud b', '750000000.00', '3', '0.375', 'false'),
        cells(undefined, undefined, '0', undefined, undefined),
      ],
    }]);
    const rows = await engine.query('SELECT 1', []);
    expect(rows).toEqual([
      { key: 'hyperscaler a', balance: '1250000000.10', loans: '12', share: 0.625, pass: true },
      { key: 'neocloud b', balance: '750000000.00', loans: '3', share: 0.375, pass: false },
      { key: null, balance: null, loans: '0', share: null, pass: null },
    ]);
  });

  it('the market service answers the same on Athena as on DuckDB, from the same SQL text', async () => {
    const root = await mkdtemp(join(tmpdir(), 'dmbs-two-engines-'));
    let duck: DuckDbEngine | undefined;
    try {
      const index = new MemoryLatestTapeIndex();
      const specs = [
        { issuerId: 'acme', dealId: 'd-1', tapeId: 'a'.repeat(32), reportingDate: '2026-06-30', loans: [
          { currentBalance: 100.25, largestTenantParent: 'Microsoft Corporation', offBalanceSheet: true, constructionStatus: 'OPERATIONAL' as const },
          { currentBalance: 50, largestTenantParent: 'Oracle', market: 'Dallas', eligible: false },
          { currentBalance: 75.5, largestTenantParent: 'Google', offBalanceSheet: true, expectedCompletionDate: '2027-02-28', constructionStatus: 'UNDER_CONSTRUCTION' as const },
        ] },
        { issuerId: 'beta', dealId: 'd-2', tapeId: 'b'.repeat(32), reportingDate: '2026-05-31', loans: [
          { currentBalance: 200, largestTenantParent: '  microsoft   corporation ', sponsor: "O'Neil Partners" },
          { currentBalance: 10.1, largestTenantParent: 'Google' },
        ] },
      ];
      for (const spec of specs) await index.record(await writeTape(root, spec));
      const local = (duck = await DuckDbEngine.open({ root }));
      const sent: string[] = [];
      // Athena relays what DuckDB computes for the same text: moto returns it as Athena would (all text, typed columns).
      const relay: AnalyticsEngine = {
        async query(sql, params) {
          sent.push(sql);
          const rows = await local.query(sql, params);
          const names = Object.keys(rows[0] ?? { none: null });
          const typeOf = (n: string) => {
            const v = rows.find((r) => r[n] !== null && r[n] !== undefined)?.[n];
            return typeof v === 'number' ? (Number.isInteger(v) ? 'integer' : 'double') : typeof v === 'boolean' ? 'boolean' : 'varchar';
          };
          await seedResults([{
            column_info: names.map((n) => column(n, typeOf(n))),
            rows: [cells(...names), ...rows.map((r) => cells(...names.map((n) => (r[n] === null || r[n] === undefined ? undefined : String(r[n])))))],
          }]);
          return engine.query(sql, params);
        },
      };
      const onDuck = createMarketService({ engine: local, tapes: index, series: new MemorySeriesStore(), now: () => new Date('2026-07-01T00:00:00Z') });
      const onAthena = createMarketService({ engine: relay, tapes: index, series: new MemorySeriesStore(), now: () => new Date('2026-07-01T00:00:00Z') });
      for (const by of ['tenantGroup', 'sponsor', 'market', 'facility'] as const) {
        expect(await onAthena.exposures({ by }), by).toEqual(await onDuck.exposures({ by }));
      }
      expect(await onAthena.exposures({ by: 'tenantGroup', limit: 1 })).toEqual(await onDuck.exposures({ by: 'tenantGroup', limit: 1 }));
      const transition = await onDuck.balanceSheetTransition({});
      expect(transition.quarters.map((q) => q.quarter)).toEqual(['due', '2027-Q1']);
      expect(await onAthena.balanceSheetTransition({})).toEqual(transition);
      const input = { name: 'TWO', asOf: '2026-06-30', rulebook: { minEligibleLoans: 1, minEligibleBalance: 0, minDataQuality: 0 } };
      const series = await onDuck.createSeries(input);
      expect(series.deals).toHaveLength(2);
      expect(await onAthena.createSeries(input)).toEqual(series);
      // What reached Athena is the SQL module's text, statement by statement.
      const ids = (await client.send(new ListQueryExecutionsCommand({ WorkGroup: WORKGROUP }))).QueryExecutionIds ?? [];
      const texts = await Promise.all(ids.map(async (id) => (await client.send(new GetQueryExecutionCommand({ QueryExecutionId: id }))).QueryExecution?.Query));
      for (const sql of sent) expect(texts).toContain(sql);
    } finally {
      duck?.close();
      await rm(root, { recursive: true, force: true });
    }
  });
});
