/**
 * The market view's SQL, one text for both engines: embedded DuckDB locally and Athena (Trino) on
 * AWS run exactly these statements over the table `dmbs_loans` (docs/market.md). Written in the
 * subset both accept: `?` positional parameters, CTEs, window functions, `min_by`, `OFFSET n
 * LIMIT m` (in that order, as Trino requires) with the numbers written into the text. Money sums
 * stay DECIMAL and come back as text (CAST … AS VARCHAR), so neither engine turns them into floats.
 * Which tapes are read is decided before (the latest-tape index): every statement names them in
 * `tape IN (…)`, the partition column, so old versions are never scanned. Pure.
 */
import type { ExposureBy, LookThroughBy } from './types.ts';

export interface SqlStatement {
  readonly sql: string;
  readonly params: readonly (string | number)[];
}

/** The table (a DuckDB table locally, the Glue table on AWS). */
export const LOANS_TABLE = 'dmbs_loans';

/** The dataset's columns these statements read (besides the partitions); a test keeps it true. */
export const MARKET_COLUMNS: readonly string[] = [
  'tenant_group_key', 'tenant_group', 'sponsor_key', 'sponsor', 'market_key', 'market', 'facility_key', 'facility_id',
  'source_row', 'current_balance', 'eligible', 'off_balance_sheet', 'construction_status', 'expected_completion_date',
];

const KEY_COLUMNS: Readonly<Record<ExposureBy, { key: string; label: string }>> = {
  tenantGroup: { key: 'tenant_group_key', label: 'tenant_group' },
  sponsor: { key: 'sponsor_key', label: 'sponsor' },
  market: { key: 'market_key', label: 'market' },
  // A facility belongs to its issuer: two issuers' "DC-1" are two facilities.
  facility: { key: "issuer || '/' || facility_key", label: "issuer || '/' || facility_id" },
};

function tapeFilter(tapeIds: readonly string[]): string {
  if (tapeIds.length === 0) throw new RangeError('a market statement needs at least one tape');
  return `tape IN (${tapeIds.map(() => '?').join(', ')})`;
}

function wholeNumber(n: number, what: string): number {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${what} must be a whole number >= 0; got ${n}`);
  return n;
}

/**
 * Exposure by key over the given tapes' eligible loans: per key its balance, the number of deals
 * holding it and the label of its first loan in (issuer, deal, row) order; largest first, then key.
 * Columns: item_key, item_label, balance (decimal text), deal_count.
 */
export function exposuresSql(by: ExposureBy, tapeIds: readonly string[], page: { offset: number; limit: number }): SqlStatement {
  const { key, label } = KEY_COLUMNS[by];
  const sql = `WITH per_deal AS (
  SELECT k, issuer, deal, SUM(current_balance) AS balance, min_by(label, source_row) AS label
  FROM (
    SELECT ${key} AS k, ${label} AS label, issuer, deal, source_row, current_balance
    FROM ${LOANS_TABLE}
    WHERE ${tapeFilter(tapeIds)} AND eligible = true
  ) AS loans
  GROUP BY k, issuer, deal
), ranked AS (
  SELECT k, label,
    SUM(balance) OVER (PARTITION BY k) AS total,
    COUNT(*) OVER (PARTITION BY k) AS deal_count,
    ROW_NUMBER() OVER (PARTITION BY k ORDER BY issuer, deal) AS rn
  FROM per_deal
)
SELECT k AS item_key, label AS item_label, CAST(total AS VARCHAR) AS balance, deal_count
FROM ranked
WHERE rn = 1
ORDER BY total DESC, k
OFFSET ${wholeNumber(page.offset, 'offset')} LIMIT ${wholeNumber(page.limit, 'limit')}`;
  return { sql, params: [...tapeIds] };
}

/**
 * The balance-sheet transition over the given tapes: every valid loan with offBalanceSheet true
 * (eligible or not), `due` when its facility is OPERATIONAL, else the calendar quarter of its
 * expectedCompletionDate (`unknown` without one), summed by quarter and tenant-group key.
 * Columns: quarter, item_key, amount (decimal text), loan_count. Unordered (the service orders).
 */
export function transitionSql(tapeIds: readonly string[], tenantGroupKey?: string): SqlStatement {
  const sql = `SELECT quarter, item_key, CAST(SUM(current_balance) AS VARCHAR) AS amount, COUNT(*) AS loan_count
FROM (
  SELECT
    CASE
      WHEN construction_status = 'OPERATIONAL' THEN 'due'
      WHEN expected_completion_date IS NULL THEN 'unknown'
      ELSE CAST(year(expected_completion_date) AS VARCHAR) || '-Q' || CAST(quarter(expected_completion_date) AS VARCHAR)
    END AS quarter,
    tenant_group_key AS item_key,
    current_balance
  FROM ${LOANS_TABLE}
  WHERE ${tapeFilter(tapeIds)} AND off_balance_sheet = true${tenantGroupKey === undefined ? '' : ' AND tenant_group_key = ?'}
) AS scheduled
GROUP BY quarter, item_key`;
  return { sql, params: tenantGroupKey === undefined ? [...tapeIds] : [...tapeIds, tenantGroupKey] };
}

const LOOK_THROUGH_COLUMNS: Readonly<Record<LookThroughBy, { key: string; label: string }>> = {
  tenantGroup: KEY_COLUMNS.tenantGroup,
  sponsor: KEY_COLUMNS.sponsor,
  market: KEY_COLUMNS.market,
};

/**
 * A DMBX series' look-through: per tape and key (tenant group, sponsor, market) the eligible
 * balance and the label of the tape's first loan with the key.
 * Columns: dimension, tape, item_key, item_label, balance (decimal text).
 */
export function lookThroughSql(tapeIds: readonly string[]): SqlStatement {
  const parts = (Object.keys(LOOK_THROUGH_COLUMNS) as LookThroughBy[]).map((by) => {
    const { key, label } = LOOK_THROUGH_COLUMNS[by];
    return `SELECT '${by}' AS dimension, tape, ${key} AS item_key, min_by(${label}, source_row) AS item_label, CAST(SUM(current_balance) AS VARCHAR) AS balance
FROM ${LOANS_TABLE}
WHERE ${tapeFilter(tapeIds)} AND eligible = true
GROUP BY tape, ${key}`;
  });
  return { sql: parts.join('\nUNION ALL\n'), params: parts.flatMap(() => tapeIds) };
}
