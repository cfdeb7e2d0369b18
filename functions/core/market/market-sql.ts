/**
 * The market view's SQL, one text for both engines: embedded DuckDB locally and Athena (Trino) on
 * AWS run exactly these statements over the table `dmbs_tape_groups` (docs/market.md "Group sums
 * per tape"): per tape, the sums a market figure adds across tapes, so a statement reads about
 * a thousand times fewer rows than the loans. Written in the subset both engines accept: `?`
 * positional parameters, CTEs, joins, `min_by`, `OFFSET n LIMIT m` (in that order, as Trino
 * requires) with the numbers written into the text. Money sums stay DECIMAL and come back as text
 * (CAST … AS VARCHAR), so neither engine turns them into floats. Which tapes are read is decided
 * before (the latest-tape index): every statement names them in `tape IN (…)`, so old versions
 * are never scanned. Pure.
 */
import { GROUPS_TABLE } from './tape-groups.ts';
import type { ExposureBy } from './types.ts';

export interface SqlStatement {
  readonly sql: string;
  readonly params: readonly (string | number)[];
}

/** The loans' table (the Glue table on AWS; locally DuckDB reads the files): the dataset for other questions. */
export const LOANS_TABLE = 'dmbs_loans';

/** The columns of `dmbs_tape_groups` these statements read (besides the path values); a test keeps it true. */
export const MARKET_COLUMNS: readonly string[] = ['dimension', 'item_key', 'item_label', 'quarter', 'balance', 'loan_count'];

function tapeFilter(tapeIds: readonly string[]): string {
  if (tapeIds.length === 0) throw new RangeError('a market statement needs at least one tape');
  return `tape IN (${tapeIds.map(() => '?').join(', ')})`;
}

function wholeNumber(n: number, what: string): number {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${what} must be a whole number >= 0; got ${n}`);
  return n;
}

/**
 * Exposure by key over the given tapes (one per deal): per key its eligible balance and the
 * number of deals holding it, largest first, then key; then, for the page's keys only, the label
 * of the key's first loan in (issuer, deal, row) order (each tape's row holds its first loan's;
 * ids never hold a space, so `issuer || ' ' || deal` orders as the pair does). Both are hash
 * aggregations: no window and no label work over every key (by facility, a key per facility).
 * Columns: item_key, item_label, balance (decimal text), deal_count.
 */
export function exposuresSql(by: ExposureBy, tapeIds: readonly string[], page: { offset: number; limit: number }): SqlStatement {
  const sql = `WITH page AS (
  SELECT item_key, SUM(balance) AS total, COUNT(*) AS deal_count
  FROM ${GROUPS_TABLE}
  WHERE ${tapeFilter(tapeIds)} AND dimension = ?
  GROUP BY item_key
  ORDER BY total DESC, item_key
  OFFSET ${wholeNumber(page.offset, 'offset')} LIMIT ${wholeNumber(page.limit, 'limit')}
)
SELECT page.item_key, min_by(g.item_label, g.issuer || ' ' || g.deal) AS item_label, CAST(page.total AS VARCHAR) AS balance, page.deal_count
FROM page JOIN ${GROUPS_TABLE} AS g ON g.item_key = page.item_key
WHERE g.${tapeFilter(tapeIds)} AND g.dimension = ?
GROUP BY page.item_key, page.total, page.deal_count
ORDER BY page.total DESC, page.item_key`;
  return { sql, params: [...tapeIds, by, ...tapeIds, by] };
}

/**
 * The balance-sheet transition over the given tapes: every valid loan with offBalanceSheet true
 * (eligible or not), `due` when its facility is OPERATIONAL, else the calendar quarter of its
 * expectedCompletionDate (`unknown` without one), summed by quarter and tenant-group key.
 * Columns: quarter, item_key, amount (decimal text), loan_count. Unordered (the service orders).
 */
export function transitionSql(tapeIds: readonly string[], tenantGroupKey?: string): SqlStatement {
  const sql = `SELECT quarter, item_key, CAST(SUM(balance) AS VARCHAR) AS amount, CAST(SUM(loan_count) AS BIGINT) AS loan_count
FROM ${GROUPS_TABLE}
WHERE ${tapeFilter(tapeIds)} AND dimension = 'transition'${tenantGroupKey === undefined ? '' : ' AND item_key = ?'}
GROUP BY quarter, item_key`;
  return { sql, params: tenantGroupKey === undefined ? [...tapeIds] : [...tapeIds, tenantGroupKey] };
}

/**
 * A DMBX series' look-through: per tape and key (tenant group, sponsor, market) the eligible
 * balance and the label of the tape's first loan with the key.
 * Columns: dimension, tape, item_key, item_label, balance (decimal text).
 */
export function lookThroughSql(tapeIds: readonly string[]): SqlStatement {
  const sql = `SELECT dimension, tape, item_key, item_label, CAST(balance AS VARCHAR) AS balance
FROM ${GROUPS_TABLE}
WHERE ${tapeFilter(tapeIds)} AND dimension IN ('tenantGroup', 'sponsor', 'market')`;
  return { sql, params: [...tapeIds] };
}
