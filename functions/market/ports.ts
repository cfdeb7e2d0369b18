/**
 * What the market service is written against: an SQL engine over the `dmbs_loans` table (DuckDB
 * locally, functions/local/duckdb-engine.ts; Athena on AWS), the latest-tape index per deal and
 * the DMBX series store (both DynamoDB: functions/aws/market-index.ts). Tests may pass fakes.
 */
import type { DmbxSeries, DmbxSeriesSummary } from '../core/market/types.ts';

/**
 * Runs one statement of functions/core/market/market-sql.ts (`?` positional parameters) over the
 * `dmbs_loans` table. Rows come back as plain objects keyed by the select list's aliases; DECIMAL
 * and BIGINT values come back as decimal text (never a float), so that money stays exact.
 */
export interface AnalyticsEngine {
  query(sql: string, params: readonly (string | number)[]): Promise<Record<string, unknown>[]>;
}

/** A deal's SCORED tape as the market view needs it (one item per scored tape, and one per deal for the latest). */
export interface IndexedTape {
  readonly issuerId: string;
  readonly dealId: string;
  readonly tapeId: string;
  /** YYYY-MM-DD (a scored tape always has one: every valid loan carries it). */
  readonly reportingDate: string;
  /** ISO 8601: the later upload wins a tie on reportingDate. */
  readonly uploadedAt: string;
  readonly eligibleCount: number;
  /** Money, 2 decimals. */
  readonly eligibleBalance: string;
  /** 0-100, decimal text. */
  readonly dataQualityScore: string;
  /** The tape's analytics object (analytics/loans/issuer=…/…/loans.parquet). */
  readonly analyticsKey: string;
}

/**
 * The latest-tape index: per deal, its SCORED tapes ordered by (reportingDate, uploadedAt), and
 * the latest of them kept apart so the market view reads one small item per deal.
 */
export interface LatestTapeIndex {
  /**
   * Records a scored tape (a re-score records it again with its new figures). The deal's latest
   * moves only forward: an older reportingDate never replaces a newer one; a tie goes to the later upload.
   */
  record(tape: IndexedTape): Promise<void>;
  /**
   * Per deal, the SCORED tape with the latest reportingDate (<= `asOf` when given; ties: the later
   * upload); deals without one are left out. Sorted by issuerId, then dealId.
   */
  latest(asOf?: string): Promise<IndexedTape[]>;
}

/** DMBX series, immutable once stored. */
export interface SeriesStore {
  /** Stores a new series; false when the name is taken (nothing is changed then). */
  create(series: DmbxSeries): Promise<boolean>;
  get(name: string): Promise<DmbxSeries | undefined>;
  /** Series by name; `cursor` continues a page. */
  list(q: { limit: number; cursor?: string }): Promise<{ items: DmbxSeriesSummary[]; cursor?: string }>;
}
