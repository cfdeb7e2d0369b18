import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOAN_COLUMNS } from '../../../functions/core/market/loan-columns.ts';
import { GROUP_COLUMNS, GROUPS_TABLE } from '../../../functions/core/market/tape-groups.ts';
import { DuckDbEngine, withLiterals } from '../../../functions/local/duckdb-engine.ts';
import { writeTape } from './support.ts';

describe('the Parquet writer, read back by DuckDB', () => {
  let root: string;
  let engine: DuckDbEngine;
  const files = () => `read_parquet('${root}/**/loans.parquet', hive_partitioning = true, hive_types_autocast = false)`;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'dmbs-pq-'));
    await writeTape(root, {
      issuerId: 'acme', dealId: '0001', tapeId: '0123456789abcdef0123456789abcdef', reportingDate: '2026-10-31',
      loans: [
        { currentBalance: 1234567.89, largestTenantParent: '  Microsoft   Corporation ', offBalanceSheet: true, expectedCompletionDate: '2027-02-28', constructionStatus: 'UNDER_CONSTRUCTION' },
        { currentBalance: 0.01, eligible: false, largestTenantParent: 'ND1', largestTenant: 'Oracle', dscr: 1.0 },
        { currentBalance: 9999999999999.99, market: 'dallas' },
        { currentBalance: 5, sponsor: 'Équinix Ünïcode' },
      ],
    });
    engine = await DuckDbEngine.open({ root });
  });
  afterAll(async () => {
    engine.close();
    await rm(root, { recursive: true, force: true });
  });

  it('serves the loans as dmbs_loans and loads the group sums the market statements read', async () => {
    const rows = await engine.query('SELECT count(*) AS n, count(DISTINCT tape) AS tapes FROM dmbs_loans WHERE deal = ?', ['0001']);
    expect(rows).toEqual([{ n: '4', tapes: '1' }]);
    const groups = await engine.query(`SELECT dimension, count(*) AS n FROM ${GROUPS_TABLE} WHERE deal = ? GROUP BY dimension ORDER BY dimension`, ['0001']);
    // 3 tenant groups (Microsoft twice), 1 facility key, 2 markets, 2 sponsors among the eligible; 1 off-balance-sheet quarter.
    expect(groups).toEqual([{ dimension: 'facility', n: '1' }, { dimension: 'market', n: '2' }, { dimension: 'sponsor', n: '2' }, { dimension: 'tenantGroup', n: '1' }, { dimension: 'transition', n: '1' }]);
    const { exposuresSql, lookThroughSql, transitionSql, MARKET_COLUMNS } = await import('../../../functions/core/market/market-sql.ts');
    const sql = [exposuresSql('facility', ['t'], { offset: 0, limit: 1 }), exposuresSql('tenantGroup', ['t'], { offset: 0, limit: 1 }), transitionSql(['t']), lookThroughSql(['t'])].map((s) => s.sql).join('\n');
    const read = GROUP_COLUMNS.map((c) => c.name).filter((n) => new RegExp(`\\b${n}\\b`).test(sql));
    expect([...read].sort()).toEqual([...MARKET_COLUMNS].sort());
    // No loan column outside the dimension names (quoted text).
    const unquoted = sql.replace(/'[^']*'/g, "''");
    expect(LOAN_COLUMNS.map((c) => c.name).filter((n) => new RegExp(`\\b${n}\\b`).test(unquoted))).toEqual([]);
  });

  it('keeps every derived column with its type, and the partitions as text', async () => {
    const rows = await engine.query(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM ${files()})`, []);
    const names = rows.map((r) => r.column_name);
    expect(names.slice(0, LOAN_COLUMNS.length)).toEqual(LOAN_COLUMNS.map((c) => c.name));
    expect(names.slice(LOAN_COLUMNS.length).sort()).toEqual(['deal', 'issuer', 'reporting_date', 'tape']);
    const types = Object.fromEntries(rows.map((r) => [r.column_name, r.column_type]));
    expect(types).toMatchObject({ current_balance: 'DECIMAL(18,2)', maturity_date: 'DATE', eligible: 'BOOLEAN', source_row: 'INTEGER', dscr: 'DOUBLE', deal: 'VARCHAR', tape: 'VARCHAR' });
  });

  it('reads back exact money, dates, results and normalised keys', async () => {
    const rows = await engine.query(`SELECT source_row, loan_id, CAST(current_balance AS VARCHAR) AS balance, CAST(expected_completion_date AS VARCHAR) AS ecd,
      eligible, failed_criteria, tenant_group, tenant_group_key, market_key, sponsor, deal, reporting_date
      FROM ${files()} ORDER BY source_row`, []);
    expect(rows).toEqual([
      { source_row: 2, loan_id: 'L-1', balance: '1234567.89', ecd: '2027-02-28', eligible: true, failed_criteria: '', tenant_group: 'Microsoft   Corporation', tenant_group_key: 'microsoft corporation', market_key: 'northern virginia', sponsor: 'Vantage', deal: '0001', reporting_date: '2026-10-31' },
      { source_row: 3, loan_id: 'L-2', balance: '0.01', ecd: null, eligible: false, failed_criteria: 'E05', tenant_group: 'Oracle', tenant_group_key: 'oracle', market_key: 'northern virginia', sponsor: 'Vantage', deal: '0001', reporting_date: '2026-10-31' },
      { source_row: 4, loan_id: 'L-3', balance: '9999999999999.99', ecd: null, eligible: true, failed_criteria: '', tenant_group: 'Microsoft Corporation', tenant_group_key: 'microsoft corporation', market_key: 'dallas', sponsor: 'Vantage', deal: '0001', reporting_date: '2026-10-31' },
      { source_row: 5, loan_id: 'L-4', balance: '5.00', ecd: null, eligible: true, failed_criteria: '', tenant_group: 'Microsoft Corporation', tenant_group_key: 'microsoft corporation', market_key: 'northern virginia', sponsor: 'Équinix Ünïcode', deal: '0001', reporting_date: '2026-10-31' },
    ]);
  });
});

describe('parameters written as literals for DuckDB', () => {
  it('quotes strings, keeps numbers, leaves ? inside quotes alone and counts', () => {
    expect(withLiterals("SELECT '?' AS q, x FROM t WHERE a IN (?, ?) AND b = ?", ["o'hara", 'x', 7])).toBe("SELECT '?' AS q, x FROM t WHERE a IN ('o''hara', 'x') AND b = 7");
    expect(() => withLiterals('SELECT ?', [])).toThrow(RangeError);
    expect(() => withLiterals('SELECT 1', ['a'])).toThrow(RangeError);
  });
});
