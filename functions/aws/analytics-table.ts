/**
 * The Glue table the market SQL reads on AWS (`dmbs_loans`), and the workgroup's limits: data
 * shared by the stack (cdk/market-analytics.ts) and the Athena engine's tests.
 */

export interface AnalyticsColumn {
  readonly name: string;
  /** Hive/Glue type of the Parquet column. */
  readonly glueType: string;
  readonly comment: string;
}

export const ANALYTICS_TABLE = {
  /** The table name the SQL module uses; Athena resolves it in the stack's Glue database. */
  name: 'dmbs_loans',
  /** Under the tapes bucket: analytics/loans/issuer=…/deal=…/reporting_date=…/tape=…/….parquet */
  prefix: 'analytics/loans/',
  /** Query results, under the workgroup's own bucket. */
  resultsPrefix: 'results/',
  resultsExpireDays: 1,
  /** Athena cancels a query past this many bytes scanned (the minimum Athena accepts is 10 MB). */
  bytesScannedCutoffPerQuery: 10 * 1024 ** 3,
  columns: [
    { name: 'issuer', glueType: 'string', comment: 'issuerId (also the issuer= path segment)' },
    { name: 'deal', glueType: 'string', comment: 'dealId (also the deal= path segment)' },
    { name: 'reporting_date', glueType: 'string', comment: 'the tape\'s reportingDate, YYYY-MM-DD (also the path segment)' },
    { name: 'tape', glueType: 'string', comment: 'tapeId (also the tape= path segment)' },
    { name: 'row', glueType: 'bigint', comment: 'the loan\'s row in the tape' },
    { name: 'loan_id', glueType: 'string', comment: 'loanId' },
    { name: 'current_balance', glueType: 'decimal(18,2)', comment: 'currentBalance' },
    { name: 'eligible', glueType: 'boolean', comment: 'the loan passed every eligibility criterion' },
    { name: 'tenant_group', glueType: 'string', comment: 'tenantGroup as written' },
    { name: 'sponsor', glueType: 'string', comment: 'sponsor as written' },
    { name: 'market', glueType: 'string', comment: 'market as written' },
    { name: 'facility_id', glueType: 'string', comment: 'facilityId' },
    { name: 'off_balance_sheet', glueType: 'boolean', comment: 'offBalanceSheet' },
    { name: 'facility_status', glueType: 'string', comment: 'facilityStatus' },
    { name: 'expected_completion_date', glueType: 'string', comment: 'expectedCompletionDate, YYYY-MM-DD' },
  ] satisfies readonly AnalyticsColumn[],
} as const;
