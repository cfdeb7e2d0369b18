/**
 * Each analytics file carries its path values (issuer, deal, reporting_date, tape) as columns:
 * Athena's table is not partitioned and reads them from the file (docs/aws.md), so a file read
 * on its own, without its path, still says which tape it is; its columns are the Glue table's.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANALYTICS_TABLE } from '../../../functions/aws/analytics-table.ts';
import { parquetOf } from './support.ts';

describe('the path values inside each analytics file', () => {
  let dir: string;
  let file: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dmbs-pq-path-'));
    // A flat name: no Hive path the reader could take the values from.
    file = join(dir, 'loans.parquet');
    await writeFile(file, (await parquetOf({
      issuerId: 'acme', dealId: 'deal-7', tapeId: 'fedcba9876543210fedcba9876543210', reportingDate: '2026-09-30',
      loans: [{ currentBalance: 10 }, { currentBalance: 20, eligible: false }, { currentBalance: 30 }, { currentBalance: 40 }],
    })).loans);
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('every row names its issuer, deal, reporting date and tape; the columns are the Glue table\'s, in order', async () => {
    const db = await DuckDBInstance.create(':memory:');
    const connection = await db.connect();
    try {
      const source = `read_parquet('${file}', hive_partitioning = false)`;
      const rows = (await connection.runAndReadAll(`SELECT DISTINCT issuer, deal, reporting_date, tape FROM ${source}`)).getRowObjects();
      expect(rows).toEqual([{ issuer: 'acme', deal: 'deal-7', reporting_date: '2026-09-30', tape: 'fedcba9876543210fedcba9876543210' }]);
      const names = (await connection.runAndReadAll(`SELECT column_name FROM (DESCRIBE SELECT * FROM ${source})`)).getRowObjects().map((r) => r.column_name);
      expect(names).toEqual(ANALYTICS_TABLE.columns.map((c) => c.name));
    } finally {
      connection.closeSync();
      db.closeSync();
    }
  });

  it('row groups carry min/max of the path columns, which tape IN (…) prunes by, and of no other column', async () => {
    const db = await DuckDBInstance.create(':memory:');
    const connection = await db.connect();
    try {
      const rows = (await connection.runAndReadAll(`SELECT row_group_id AS g, row_group_num_rows::INTEGER AS n, path_in_schema AS c, stats_min_value AS lo, stats_max_value AS hi
        FROM parquet_metadata('${file}') WHERE path_in_schema IN ('tape', 'issuer', 'current_balance', 'loan_id') ORDER BY g, c`)).getRowObjects();
      const tape = 'fedcba9876543210fedcba9876543210';
      // 4 loans in row groups of 3: the last group is a partial one.
      expect(rows.map((r) => [r.g, r.n, r.c, r.lo, r.hi])).toEqual([0, 1].flatMap((g) => [
        [BigInt(g), g === 0 ? 3 : 1, 'current_balance', null, null], [BigInt(g), g === 0 ? 3 : 1, 'issuer', 'acme', 'acme'],
        [BigInt(g), g === 0 ? 3 : 1, 'loan_id', null, null], [BigInt(g), g === 0 ? 3 : 1, 'tape', tape, tape],
      ]));
      const sum = (await connection.runAndReadAll(`SELECT CAST(SUM(current_balance) * 100 AS BIGINT)::VARCHAR AS cents, COUNT(*)::INTEGER AS n FROM read_parquet('${file}')`)).getRowObjects();
      expect(sum).toEqual([{ cents: '10000', n: 4 }]);
    } finally {
      connection.closeSync();
      db.closeSync();
    }
  });
});
