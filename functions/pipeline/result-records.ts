/**
 * Tapes and deals as the results repository stores and the API shows them: the records every
 * results store (DynamoDB in AWS and locally) reads and writes. Types only.
 */
import type { DealLatest, TapeArtifacts, TapeFailure, TapeResultSummary } from './ports.ts';
import type { TapeStatus } from './tape-status.ts';

/** A tape as stored and shown (keys and index attributes left out). */
export interface TapeRecord {
  readonly tapeId: string;
  readonly status: TapeStatus;
  /** Run that owns the tape (Step Functions execution name / local run id). */
  readonly runId: string;
  readonly issuerId?: string;
  readonly dealId?: string;
  readonly fileName?: string;
  readonly object: { readonly bucket: string; readonly key: string; readonly versionId: string | null; readonly size: number | null };
  /** When the object was created (notification time). */
  readonly uploadedAt: string;
  readonly receivedAt: string;
  readonly updatedAt: string;
  /** SCORED only. */
  readonly summary?: TapeResultSummary;
  readonly artifacts?: TapeArtifacts;
  readonly scoredAt?: string;
  /** FAILED only. */
  readonly failure?: TapeFailure;
  readonly failedAt?: string;
  /** DUPLICATE only: the earlier tape of the deal with the same bytes. */
  readonly duplicateOf?: string;
  /** The current result revision (absent: 1, the upload's own run; a re-score adds one). */
  readonly revision?: number;
  /** Earlier revisions, oldest first (their artifacts stay where they were written). */
  readonly revisions?: readonly TapeRevisionRecord[];
  /** A re-score in progress: the revision it will write and its step. */
  readonly rescoring?: { readonly runId: string; readonly jobId: string | null; readonly revision: number; readonly step: string; readonly startedAt: string };
  /** Why the last re-score failed (the current revision stayed). */
  readonly lastRescoreFailure?: TapeFailure;
}

/** One earlier result revision of a tape. */
export interface TapeRevisionRecord {
  readonly revision: number;
  readonly scoredAt: string;
  readonly summary: TapeResultSummary;
  readonly artifacts: TapeArtifacts;
}

export interface DealRecord {
  readonly issuerId: string;
  readonly dealId: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly latest?: DealLatest;
}

export interface Page<T> {
  readonly items: T[];
  /** Pass back to get the next page; absent on the last page. */
  readonly cursor?: string;
}

export interface PageOptions {
  readonly limit?: number;
  readonly cursor?: string;
}
