/**
 * The Athena engine against moto_server. moto runs no SQL, so this proves the adapter's two
 * ends: what it sends (the SQL text unchanged, the parameters as literals, the workgroup and the
 * database, read back through GetQueryExecution) and how it reads what Athena answers (results
 * seeded through moto's query-results endpoint, typed by column). Runs when `moto_server` is on PATH.
 */
import { AthenaClient, CreateWorkGroupCommand, GetQueryExecutionCommand, ListQueryExecutionsCommand } from '@aws-sdk/client-athena';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
    expect(sent?.ExecutionParameters).toEqual(["'tape-''a'''", "'tape-b'"]);
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
});
