/**
 * The Glue table the market SQL reads on AWS (`dmbs_loans`), and the workgroup's limits: data
 * shared by the stack (cdk/market-analytics.ts) and the Athena engine's tests.
 */

import { LOAN_COLUMNS, PARTITION_COLUMNS, type ColumnType } from '../core/market/loan-columns.ts';
import { LOANS_TABLE } from '../core/market/market-sql.ts';
import { GROUP_COLUMNS, GROUPS_TABLE } from '../core/market/tape-groups.ts';

export interface AnalyticsColumn {
  readonly name: string;
  /** Hive/Glue type of the Parquet column. */
  readonly glueType: string;
  readonly comment: string;
}

const GLUE_TYPES: Readonly<Record<ColumnType, string>> = {
  STRING: 'string', BOOLEAN: 'boolean', INT32: 'int', DOUBLE: 'double', DATE: 'date', MONEY: 'decimal(18,2)',
};

export const ANALYTICS_TABLE = {
  /** The table name the SQL module uses; Athena resolves it in the stack's Glue database. */
  name: LOANS_TABLE,
  /** Under the tapes bucket: analytics/loans/issuer=…/deal=…/reporting_date=…/tape=…/….parquet */
  prefix: 'analytics/loans/',
  /** Query results, under the workgroup's own bucket. */
  resultsPrefix: 'results/',
  resultsExpireDays: 1,
  /** Athena cancels a query past this many bytes scanned (the minimum Athena accepts is 10 MB). */
  bytesScannedCutoffPerQuery: 10 * 1024 ** 3,
  /**
   * Every column of a tape's file, then the path values (issuer, deal, reporting date, tape),
   * which the table reads from the file too: it is not partitioned (docs/aws.md).
   */
  columns: [
    ...LOAN_COLUMNS.map((c): AnalyticsColumn => ({ name: c.name, glueType: GLUE_TYPES[c.type], comment: c.description.replace(/\s+/g, ' ').slice(0, 255) })),
    ...PARTITION_COLUMNS.map((c): AnalyticsColumn => ({ name: c.name, glueType: 'string', comment: c.description })),
  ] as readonly AnalyticsColumn[],
} as const;

/**
 * The per-tape group sums (`dmbs_tape_groups`, core/market/tape-groups.ts) the market statements
 * read: one small file per tape under analytics/groups/, the path values as columns again.
 */
export const GROUPS_ANALYTICS_TABLE = {
  name: GROUPS_TABLE,
  prefix: 'analytics/groups/',
  columns: [
    ...GROUP_COLUMNS.map((c): AnalyticsColumn => ({ name: c.name, glueType: GLUE_TYPES[c.type], comment: c.description.slice(0, 255) })),
    ...PARTITION_COLUMNS.map((c): AnalyticsColumn => ({ name: c.name, glueType: 'string', comment: c.description })),
  ] as readonly AnalyticsColumn[],
} as const;
