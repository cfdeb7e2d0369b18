/* eslint-disable */
// GENERATED from schemas/tape-scored.v1.schema.json by `npm run gen:types`. Do not edit: change the schema and regenerate.

/**
 * Detail of the EventBridge event `TapeScored` (source `dmbs.pipeline`): a tape's results became visible. Small by design; the full dmbs-report/1 document is at `report`. Consumers must be idempotent on `tapeId` (delivery is at-least-once).
 */
export interface TapeScoredDetail {
  schemaVersion: "dmbs-tape-scored/1";
  /**
   * Derived from bucket, key and object version: one id per upload.
   */
  tapeId: string;
  issuerId: string;
  dealId: string;
  fileName: string;
  /**
   * The tape's kind when it is not a loan tape (`compute`: a compute-equipment lot tape, whose report has that kind's sections and whose counts are of lots). Absent for a loan tape.
   */
  kind?: "compute";
  /**
   * SHA-256 of the tape's bytes, hex.
   */
  sha256: string;
  reportingDate: string | null;
  uploadedAt: string;
  scoredAt: string;
  object: ObjectRef;
  /**
   * Where the full report (dmbs-report/1) is stored.
   */
  report: {
    bucket: string;
    key: string;
  };
  validation: {
    rowCount: number;
    validRowCount: number;
    invalidRowCount: number;
    errorCount: number;
    warningCount: number;
    /**
     * 0-100, 2 decimals.
     */
    dataQualityScore: string;
  };
  eligibility: {
    eligibleCount: number;
    ineligibleCount: number;
    /**
     * Decimal text, 2 decimals.
     */
    eligibleBalance: string;
  };
  /**
   * Indicative score (not a credit rating).
   */
  score: {
    /**
     * Decimal text, 0-100.
     */
    points: string;
    band: string;
  };
  /**
   * Ids of the concentration and pool tests that failed (C01..C09, P01..P03).
   */
  failedTests: string[];
  /**
   * Present when a re-score produced these results: the tape's result revision (the upload's own run is revision 1). Consumers keep the highest revision of a tapeId.
   */
  revision?: number;
}
/**
 * The uploaded object version the tape was read from.
 */
export interface ObjectRef {
  bucket: string;
  key: string;
  versionId: string | null;
}
