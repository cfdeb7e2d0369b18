/* eslint-disable */
// GENERATED from schemas/loans-watchlisted.v1.schema.json by `npm run gen:types`. Do not edit: change the schema and regenerate.

/**
 * Detail of the EventBridge event `LoansWatchlisted` (source `dmbs.pipeline`): a scored tape has loans on its watchlist (docs/watchlist.md). Follows the tape's `TapeScored`; never sent for an empty watchlist. The loans themselves are in the report's `watchlist` section and at GET /v1/deals/{dealId}/watchlist. Consumers must be idempotent on `tapeId` and `revision` (delivery is at-least-once).
 */
export interface LoansWatchlistedDetail {
  schemaVersion: "dmbs-loans-watchlisted/1";
  tapeId: string;
  issuerId: string;
  dealId: string;
  fileName: string;
  reportingDate: string | null;
  scoredAt: string;
  /**
   * The deal's tape the loans were compared with; null for the deal's first tape (only the codes that need no prior loan were tested).
   */
  priorTape: {
    tapeId: string;
  } | null;
  /**
   * Valid loans with at least one code.
   */
  loanCount: number;
  /**
   * Their currentBalance, money with 2 decimals.
   */
  balance: string;
  /**
   * balance / the currentBalance of every valid loan, 6 decimals; null when that is 0.
   */
  share: string | null;
  /**
   * Loans per code, all eight codes.
   */
  countsByCode: {
    /**
     * This interface was referenced by `undefined`'s JSON-Schema definition
     * via the `patternProperty` "^W0[1-8]$".
     */
    [k: string]: number;
  };
  /**
   * Where the full report (dmbs-report/1, with its watchlist section) is stored.
   */
  report: {
    bucket: string;
    key: string;
  };
  /**
   * Present on a re-score: the result revision whose watchlist this is.
   */
  revision?: number;
}
