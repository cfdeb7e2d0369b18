/**
 * The group sums per tape give the figures the loans give: the market statements over
 * `dmbs_tape_groups` answer, row for row, what the same definitions computed straight over the
 * loans' files (`dmbs_loans`) answer, over tapes with keys spelled differently, ineligible and
 * off-balance-sheet loans, missing dates and several issuers.
 */
import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exposuresSql, lookThroughSql, transitionSql } from '../../../functions/core/market/market-sql.ts';
import { transitionQuarter } from '../../../functions/core/market/tape-groups.ts';
import { DuckDbEngine } from '../../../functions/local/duckdb-engine.ts';
import { groupsKey } from '../../../functions/pipeline/loan-parquet.ts';
import { writeTape, type TapeSpec } from './support.ts';

const TENANTS = ['Microsoft Corporation', ' microsoft   CORPORATION', 'Oracle', 'Google', 'Équinix'];
const STATUSES = ['OPERATIONAL', 'UNDER_CONSTRUCTION', 'COMMISSIONING', 'PLANNED'] as const;

/** A small deterministic generator (no Math.random: the same tapes every run). */
function tapes(): TapeSpec[] {
  let s = 7;
  const next = (n: number) => Math.floor((s = (s * 1103515245 + 12345) % 2147483648) / 65536) % n;
  return Array.from({ length: 6 }, (_, t) => ({
    issuerId: ['acme', 'beta', 'gamma'][t % 3]!, dealId: `d${t}`, tapeId: t.toString(16).padStart(32, '0'), reportingDate: '2026-09-30',
    loans: Array.from({ length: 30 }, () => {
      const status = STATUSES[next(STATUSES.length)]!;
      return {
        currentBalance: 1 + next(100_000) / 100, eligible: next(5) > 0, largestTenantParent: TENANTS[next(TENANTS.length)]!,
        sponsor: ['Vantage', 'vantage ', 'QTS'][next(3)]!, market: ['Dallas', 'Northern Virginia'][next(2)]!, facilityId: `DC-${next(4)}`,
        offBalanceSheet: next(3) === 0, constructionStatus: status,
        expectedCompletionDate: status === 'OPERATIONAL' || next(4) === 0 ? undefined : `2027-${String(1 + next(12)).padStart(2, '0')}-15`,
      };
    }),
  }));
}

/** The definitions of docs/market.md written over the loans (what the statements computed before the group sums). */
const KEYS = {
  tenantGroup: ['tenant_group_key', 'tenant_group'], sponsor: ['sponsor_key', 'sponsor'], market: ['market_key', 'market'],
  facility: ["issuer || '/' || facility_key", "issuer || '/' || facility_id"],
} as const;
const overLoans = {
  exposures: (by: keyof typeof KEYS) => `WITH per_deal AS (
    SELECT ${KEYS[by][0]} AS k, issuer, deal, SUM(current_balance) AS balance, min_by(${KEYS[by][1]}, source_row) AS label
    FROM dmbs_loans WHERE eligible GROUP BY 1, 2, 3
  ), ranked AS (
    SELECT k, label, SUM(balance) OVER (PARTITION BY k) AS total, COUNT(*) OVER (PARTITION BY k) AS deal_count,
      ROW_NUMBER() OVER (PARTITION BY k ORDER BY issuer, deal) AS rn FROM per_deal
  )
  SELECT k AS item_key, label AS item_label, CAST(total AS VARCHAR) AS balance, deal_count FROM ranked WHERE rn = 1 ORDER BY total DESC, k`,
  transition: `SELECT quarter, item_key, CAST(SUM(current_balance) AS VARCHAR) AS amount, COUNT(*) AS loan_count FROM (
    SELECT CASE WHEN construction_status = 'OPERATIONAL' THEN 'due' WHEN expected_completion_date IS NULL THEN 'unknown'
      ELSE CAST(year(expected_completion_date) AS VARCHAR) || '-Q' || CAST(quarter(expected_completion_date) AS VARCHAR) END AS quarter,
      tenant_group_key AS item_key, current_balance FROM dmbs_loans WHERE off_balance_sheet) GROUP BY 1, 2 ORDER BY 1, 2`,
};

describe('group sums per tape', () => {
  let root: string;
  let engine: DuckDbEngine;
  const specs = tapes();
  const ids = specs.map((t) => t.tapeId);
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'dmbs-groups-'));
    for (const spec of specs) await writeTape(root, spec);
    engine = await DuckDbEngine.open({ root });
  });
  afterAll(async () => {
    engine.close();
    await rm(root, { recursive: true, force: true });
  });

  it.each(['tenantGroup', 'sponsor', 'market', 'facility'] as const)('exposures by %s equal the loans\' figures', async (by) => {
    const { sql, params } = exposuresSql(by, ids, { offset: 0, limit: 1000 });
    const fromGroups = await engine.query(sql, params);
    expect(fromGroups.length).toBeGreaterThan(1);
    expect(fromGroups).toEqual(await engine.query(overLoans.exposures(by), []));
  });

  it('the balance-sheet transition equals the loans\' figures, and a tenant group filters it', async () => {
    const { sql, params } = transitionSql(ids);
    const sorted = (rows: Record<string, unknown>[]) => [...rows].sort((a, b) => `${a.quarter}|${a.item_key}`.localeCompare(`${b.quarter}|${b.item_key}`));
    const fromLoans = await engine.query(overLoans.transition, []);
    expect(new Set(fromLoans.map((r) => r.quarter)).size).toBeGreaterThan(3);
    expect(sorted(await engine.query(sql, params))).toEqual(sorted(fromLoans));
    const one = transitionSql(ids, 'oracle');
    expect(sorted(await engine.query(one.sql, one.params))).toEqual(sorted(fromLoans.filter((r) => r.item_key === 'oracle')));
  });

  it('the look-through names each tape\'s first label per key', async () => {
    const { sql, params } = lookThroughSql(ids.slice(0, 2));
    const rows = await engine.query(sql, params);
    const tenant = rows.find((r) => r.dimension === 'tenantGroup' && r.item_key === 'microsoft corporation' && r.tape === ids[0]);
    const first = specs[0]!.loans.find((l) => l.eligible !== false && /microsoft/i.test(String(l.largestTenantParent)))!;
    expect(tenant?.item_label).toBe(String(first.largestTenantParent).trim());
    expect(new Set(rows.map((r) => r.dimension))).toEqual(new Set(['tenantGroup', 'sponsor', 'market']));
  });

  it('puts an off-balance-sheet loan in due, its completion quarter, or unknown', () => {
    expect(transitionQuarter({ constructionStatus: 'OPERATIONAL', expectedCompletionDate: '2027-02-01' })).toBe('due');
    expect(transitionQuarter({ constructionStatus: 'PLANNED', expectedCompletionDate: '2027-03-31' })).toBe('2027-Q1');
    expect(transitionQuarter({ constructionStatus: 'PLANNED', expectedCompletionDate: '2027-10-01' })).toBe('2027-Q4');
    expect(transitionQuarter({ constructionStatus: 'PLANNED' })).toBe('unknown');
  });
});

describe('the table kept in a database file', () => {
  const spec = (n: number, balance: number): TapeSpec => ({
    issuerId: 'acme', dealId: `d${n}`, tapeId: n.toString(16).padStart(32, '0'), reportingDate: '2026-09-30', loans: [{ currentBalance: balance, sponsor: `Sponsor ${n}` }],
  });
  const sponsors = async (engine: DuckDbEngine) => (await engine.query(
    `SELECT item_key, CAST(balance AS VARCHAR) AS balance FROM dmbs_tape_groups WHERE dimension = 'sponsor' ORDER BY item_key`, [])).map((r) => `${r.item_key}=${r.balance}`);

  it('loads at open only what was added, replaced or removed since it was written', async () => {
    const root = await mkdtemp(join(tmpdir(), 'dmbs-groups-db-'));
    const database = join(root, 'market.duckdb');
    try {
      await writeTape(root, spec(1, 10));
      let engine = await DuckDbEngine.open({ root, database });
      expect(await sponsors(engine)).toEqual(['sponsor 1=10.00']);
      engine.close();
      // Tape 2 arrives, tape 1 is replaced (a re-score) while no engine runs.
      await writeTape(root, spec(2, 20));
      await writeTape(root, spec(1, 11));
      // As a later download: a later modification time (the same size, as here, is no change of its own).
      const later = new Date(Date.now() + 5_000);
      await utimes(join(root, groupsKey({ ...spec(1, 11) }).slice('analytics/'.length)), later, later);
      engine = await DuckDbEngine.open({ root, database });
      expect(await sponsors(engine)).toEqual(['sponsor 1=11.00', 'sponsor 2=20.00']);
      engine.close();
      await rm(join(root, 'groups', 'issuer=acme', 'deal=d1'), { recursive: true });
      engine = await DuckDbEngine.open({ root, database });
      expect(await sponsors(engine)).toEqual(['sponsor 2=20.00']);
      engine.close();
      // A file DuckDB cannot read is built again from the group files.
      await writeFile(database, 'not a database');
      engine = await DuckDbEngine.open({ root, database });
      expect(await sponsors(engine)).toEqual(['sponsor 2=20.00']);
      engine.close();
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
