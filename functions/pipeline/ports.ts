/**
 * The ports the steps are written against. functions/aws implements them over S3, DynamoDB and
 * EventBridge (the same adapters serve AWS and the local emulators); tests may pass fakes.
 */
import type { XlsxLimits } from '../core/readers/xlsx-reader.ts';
import type { ByteSource } from '../core/readers/types.ts';
import type { TapeFailedDetail } from '../core/generated/tape-failed.ts';
import type { TapeScoredDetail } from '../core/generated/tape-scored.ts';
import type { LoansWatchlistedDetail } from '../core/generated/loans-watchlisted.ts';
import type { DmbxSeriesCreatedDetail } from '../core/generated/dmbx-series-created.ts';
import type { CaughtError, RescoreRun, TapeKeyParts, TapeObject, ValidationFigures } from './state.ts';
import type { TapeStatus } from './tape-status.ts';
import type { LatestTapeIndex } from '../market/ports.ts';

/** A streaming object writer (S3 multipart upload underneath). Writes are synchronous; await `ready()` for backpressure. */
export interface ObjectWriter {
  readonly key: string;
  write(text: string): void;
  /** Writes bytes as they are (for a writer without `gzip`: e.g. gzip members compressed apart). */
  writeBytes(bytes: Uint8Array): void;
  /** Resolves when the writer has room again (immediately when it has). */
  ready(): Promise<void>;
  /** True while buffered data waits for the upload. */
  readonly needsDrain: boolean;
  /** Completes the upload; resolves with the bytes written (before compression). */
  end(): Promise<{ bytes: number }>;
  /** Abandons the upload (best effort); nothing is left behind. */
  abort(): Promise<void>;
}

export interface WriterOptions {
  readonly contentType: string;
  /** Compress with gzip (Content-Encoding is not set: the object *is* a .gz file). */
  readonly gzip?: boolean;
}

/** Raw tapes in and artifacts out. */
export interface TapeStore {
  /** The bucket this store reads and writes. */
  readonly bucket: string;
  /** Streams one object version's bytes. Throws TapeObjectError (OBJECT_NOT_FOUND) when it is gone or changed. */
  open(object: Pick<TapeObject, 'key' | 'versionId' | 'eTag'>): Promise<ByteSource>;
  createWriter(key: string, options: WriterOptions): ObjectWriter;
  putJson(key: string, value: unknown): Promise<void>;
  getJson<T>(key: string): Promise<T>;
  /** Lines of a text object (gunzipped when `gzip`), without their line ends; blank lines skipped. */
  readLines(key: string, options?: { gzip?: boolean }): AsyncIterable<string>;
  /** Bytes `start` to `end` (exclusive) of an object (one ranged GET). */
  readRange(key: string, start: number, end: number): Promise<Uint8Array>;
  /** Deletes the given objects (the artifacts of a failed or duplicate tape); missing ones are fine. */
  deleteObjects(keys: readonly string[]): Promise<number>;
  /** Copies an object within the bucket (server side), replacing `to`. */
  copyObject(from: string, to: string): Promise<void>;
}

/** What the tape item records when a run claims an object version. */
export interface ReceiveTapeInput {
  readonly tapeId: string;
  readonly runId: string;
  readonly object: TapeObject;
  /** Absent when the key is not a tape key (the tape is then failed with the reason). */
  readonly tape?: TapeKeyParts;
  readonly now: string;
}

export type ReceiveOutcome =
  /** This run owns the tape (first claim, or the same run retrying). */
  | { readonly outcome: 'claimed'; readonly status: TapeStatus }
  /** Another run owns this object version: a duplicate notification. */
  | { readonly outcome: 'duplicate'; readonly status: TapeStatus; readonly runId: string };

/** The small summary made visible with status SCORED (the full report is in S3). */
export interface TapeResultSummary extends ValidationFigures {
  /** The tape's kind when it is not a loan tape. */
  readonly kind?: 'compute';
  readonly eligibleCount: number;
  readonly ineligibleCount: number;
  readonly eligibleBalance: string;
  readonly scorePoints: string;
  readonly scoreBand: string;
  readonly failedTests: readonly string[];
}

/** Where a SCORED tape's artifacts are. */
export interface TapeArtifacts {
  readonly report: string;
  readonly findings: string;
  readonly loans: string;
  readonly loanResults: string;
  /** Loan keys sorted by loanId, for compare (core/compare/loan-keys.ts); absent on tapes scored before it existed. */
  readonly loanKeys?: string;
  /** Loan results split by filter into gzip blocks, and their index (loan-pages.ts); absent on older tapes. */
  readonly loanPages?: string;
  readonly loanPagesIndex?: string;
  /** The watchlist section with its thresholds (StoredWatchlist), and the watchlisted loans; absent on tapes scored before the watchlist. */
  readonly watchlist?: string;
  readonly watchlistLoans?: string;
  /** The tape's object in the analytical dataset (analytics/loans/…/loans.parquet); absent on tapes scored before it existed. */
  readonly analytics?: string;
}

/** What the pipeline reads of a deal's tapes in the deal's list. */
export interface DealTapeView {
  readonly tapeId: string;
  readonly status: TapeStatus;
  readonly summary?: Pick<TapeResultSummary, 'reportingDate'>;
}

/** The latest scored tape of a deal, as the deal item carries it (list views need no second read). */
export interface DealLatest {
  readonly tapeId: string;
  readonly fileName: string;
  readonly uploadedAt: string;
  readonly reportingDate: string | null;
  readonly dataQualityScore: string;
  readonly scorePoints: string;
  readonly scoreBand: string;
}

/** A tape's failure, as shown to people (API, event). */
export interface TapeFailure {
  /** A DmbsErrorCode, or INTERNAL / TIMEOUT / OUT_OF_MEMORY for the pipeline's own failures. */
  readonly code: string;
  readonly message: string;
  /** True when the input is at fault (the uploader can fix it); false for the pipeline's own failures. */
  readonly userError: boolean;
  /** NO_VALID_LOANS only: the validation's counts, and the artifacts kept so its report and findings stay readable. */
  readonly validation?: FailedValidation;
  readonly artifacts?: { readonly report: string; readonly findings: string };
}

/** The counts of a validation that found no valid loan (a FAILED NO_VALID_LOANS tape). */
export interface FailedValidation {
  readonly rowCount: number;
  readonly validRowCount: number;
  readonly invalidRowCount: number;
  readonly errorCount: number;
  readonly warningCount: number;
}

/** What the final write of a scored tape (or revision) records. */
export interface ScoredResult {
  readonly summary: TapeResultSummary;
  readonly artifacts: TapeArtifacts;
  readonly event?: PipelineEvent;
  readonly followingEvents?: readonly PipelineEvent[];
}

/** The results store: conditional single-item writes only (the local emulator has no transactions). */
export interface ResultsPort {
  /** At-most-once start per object version: creates the tape item (RECEIVED) unless it exists. */
  receiveTape(input: ReceiveTapeInput): Promise<ReceiveOutcome>;
  /**
   * Moves the run's tape to a step status; throws when the run no longer owns it. With `rescore`,
   * the tape stays SCORED (its current revision readable) and only the re-score claim records the step.
   */
  setStatus(tapeId: string, runId: string, status: 'VALIDATING' | 'EVALUATING' | 'SCORING', now: string, rescore?: RescoreRun): Promise<void>;
  /** The tape kind the deal declared (its first validated tape's, or a setting), if any. */
  dealKind(tape: { issuerId: string; dealId: string }): Promise<{ kind: string; tapeId: string | null } | undefined>;
  /**
   * Declares the deal's kind unless it has one; returns the deal's kind after the call (the one
   * declared first: another kind than `kind` means the tape is of the wrong kind for its deal).
   */
  declareDealKind(tape: { issuerId: string; dealId: string }, kind: string, tapeId: string | null, now: string): Promise<{ kind: string; tapeId: string | null }>;
  /** Records the tape's content hash; returns the tape that owns these bytes in the deal (this one, or an earlier live one). */
  claimContent(tape: TapeKeyParts, sha256: string, tapeId: string, now: string): Promise<{ ownerTapeId: string }>;
  /** Ends the run's tape as a duplicate of `ownerTapeId` (it leaves the deal's tape list), registered on the original. */
  markDuplicate(tapeId: string, runId: string, ownerTapeId: string, now: string): Promise<void>;
  /**
   * When `ownerTapeId` is FAILED: marks its DUPLICATE tapes FAILED too (their results were to be
   * the original's), each once; returns those this call failed. Nothing when it is not FAILED.
   * `eventOf`: each one's TapeFailed, kept in its outbox (as markFailed's `event`).
   */
  failDuplicatesOf(ownerTapeId: string, now: string, eventOf?: (failed: FailedDuplicate) => PipelineEvent): Promise<FailedDuplicate[]>;
  /**
   * The one final write that makes results visible. Idempotent for the same run; returns false
   * when already scored. `event`: kept with the tape (the outbox) until `eventPublished`, so that
   * a sweep publishes it if the run cannot; `followingEvents` (LoansWatchlisted) wait in the same
   * outbox and go out after it, in order. With `rescore`: makes that revision current, lists the
   * previous one among the tape's earlier revisions, and releases the re-score claim, in the same
   * one conditional write (the revision's event goes through the same outbox).
   */
  publishScored(
    tapeId: string, runId: string, result: ScoredResult, now: string, rescore?: RescoreRun,
  ): Promise<boolean>;
  /** The tape's outbox events are out: clears them (a no-op when already cleared); `status`: the tape's (default SCORED). */
  eventPublished(tapeId: string, status?: 'SCORED' | 'FAILED'): Promise<void>;
  /** Outbox events of tapes scored before `scoredBefore` (ISO 8601), oldest first (a tape's events together, in order). */
  pendingEvents(options: { scoredBefore: string; limit?: number }): Promise<PendingEvent[]>;
  /** A deal's tapes, newest upload first, a page at a time (the watchlist's prior tape is chosen from them). */
  listTapesByDeal(issuerId: string, dealId: string, page?: { limit?: number; cursor?: string }): Promise<{ items: DealTapeView[]; cursor?: string }>;
  /** Points the deal at its newest scored tape (only moves forward in upload time). */
  recordDealTape(tape: TapeKeyParts, latest: DealLatest, now: string): Promise<void>;
  /**
   * Marks the tape FAILED unless it is final or owned by another run. Returns what it found:
   * 'failed' (now FAILED), or the final status that stays. `event` (the TapeFailed) is kept in
   * the tape's outbox by the same write, as publishScored's, until `eventPublished`.
   */
  markFailed(input: { tapeId: string; runId: string; object: TapeObject; tape?: TapeKeyParts; failure: TapeFailure; now: string; event?: PipelineEvent }): Promise<'failed' | 'not-owner' | TapeStatus>;
}

/** Where a re-score job looks for tapes: every deal's latest scored tape, one deal's, or one tape. */
export type RescoreScope =
  | { readonly all: true }
  | { readonly issuerId: string; readonly dealId: string }
  | { readonly tapeId: string };

/** A re-score job as stored (the API's RescoreJob body). */
export interface RescoreJobRecord {
  readonly jobId: string;
  readonly scope: RescoreScope;
  readonly status: 'RUNNING' | 'DONE';
  /** Tapes to re-score; null until they are listed. */
  readonly total: number | null;
  readonly done: number;
  readonly scored: number;
  readonly failed: number;
  /** Tapes left alone: no longer SCORED, or another re-score held them. */
  readonly skipped: number;
  readonly requestedBy: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly finishedAt?: string;
}

/** How one tape of a re-score job ended. */
export type RescoreItemOutcome = 'scored' | 'failed' | 'skipped';

export type RescoreClaim =
  /** This run holds the tape's re-score claim and writes `revision`; the tape as it was read. */
  | { readonly outcome: 'claimed'; readonly revision: number; readonly tape: RescoreTapeView }
  | { readonly outcome: 'skipped'; readonly reason: string };

/** What a re-score needs to know of the tape it claimed. */
export interface RescoreTapeView {
  readonly tapeId: string;
  readonly tape: TapeKeyParts;
  readonly object: TapeObject;
  readonly summary: TapeResultSummary;
}

/** The results store's re-score side (DynamoResultsRepository implements both). */
export interface RescoreResultsPort {
  /**
   * Claims a SCORED tape for a re-score (conditional write: never while its upload's run is going,
   * nor while another re-score holds it, unless that claim is older than `leaseMs`).
   */
  claimRescore(input: { tapeId: string; runId: string; jobId: string | null; now: string; leaseMs: number }): Promise<RescoreClaim>;
  /** Drops this run's claim (the re-score failed); the current revision stays. False when the run no longer holds it. */
  releaseRescore(tapeId: string, runId: string, failure: TapeFailure, now: string): Promise<boolean>;
  createRescoreJob(job: { jobId: string; scope: RescoreScope; requestedBy: string; now: string }): Promise<RescoreJobRecord>;
  getRescoreJob(jobId: string): Promise<RescoreJobRecord | undefined>;
  /** Records how many tapes the job has (a job with none is DONE at once). */
  setRescoreJobTotal(jobId: string, total: number, now: string): Promise<void>;
  /** Counts one tape's outcome once (a retried count is ignored); the job is DONE when every tape is counted. */
  countRescoreItem(jobId: string, tapeId: string, outcome: RescoreItemOutcome, now: string): Promise<void>;
  /** Marks the job DONE (the workflow's end), whatever was counted. */
  finishRescoreJob(jobId: string, now: string): Promise<void>;
  /** Tapes a re-score job covers: each deal's latest scored tape (`all`, or one deal), or the one tape. */
  listRescoreTapes(scope: RescoreScope): Promise<string[]>;
}

export type PipelineEvent =
  | { readonly type: 'TapeScored'; readonly detail: TapeScoredDetail }
  | { readonly type: 'TapeFailed'; readonly detail: TapeFailedDetail }
  | { readonly type: 'LoansWatchlisted'; readonly detail: LoansWatchlistedDetail };

/** Published by the API when a DMBX series is created: not a run's event, but the same bus and source. */
export interface DmbxSeriesCreatedEvent { readonly type: 'DmbxSeriesCreated'; readonly detail: DmbxSeriesCreatedDetail }

/** Everything on the product's bus. */
export type BusEvent = PipelineEvent | DmbxSeriesCreatedEvent;

/** Publishes the API's own events (the same EventBridge bus, or the local events log). */
export interface BusEventPublisher {
  publish(event: BusEvent): Promise<void>;
}

/** A duplicate failed because its original failed (for its TapeFailed event). */
export interface FailedDuplicate {
  readonly tapeId: string;
  readonly object: Pick<TapeObject, 'bucket' | 'key' | 'versionId'>;
  readonly tape?: TapeKeyParts;
  readonly failure: TapeFailure;
}

/** An event a scored tape still owes its subscribers. */
export interface PendingEvent {
  readonly tapeId: string;
  readonly event: PipelineEvent;
}

/** Emits the pipeline's events for automated deal onboarding. */
export interface EventPublisher {
  publish(event: PipelineEvent): Promise<void>;
}

/** Criteria and limits the steps run with. */
export interface StepOptions {
  /** Findings kept in the report's `errors` (all of them are in the findings artifact). Default 1,000. */
  readonly maxReportErrors?: number;
  /** Largest tape accepted, in bytes (default 2 GiB; see docs/aws.md "Limits"). */
  readonly maxTapeBytes?: number;
  /** The readers' limits (default the readers' own); the local stack bounds the XLSX shared strings by its memory budget per tape. */
  readonly readerLimits?: Partial<XlsxLimits>;
}

/** The ports of a re-score: the results store with its re-score side. */
export interface RescorePorts extends PipelinePorts {
  readonly results: ResultsPort & RescoreResultsPort;
}

/** Everything a step needs from outside. */
export interface PipelinePorts {
  readonly store: TapeStore;
  readonly results: ResultsPort;
  readonly events: EventPublisher;
  /** The market view's latest-tape index: publish records every scored tape there (absent: not recorded). */
  readonly tapeIndex?: LatestTapeIndex;
  /** Clock (tests pin it). */
  readonly now?: () => Date;
  readonly options?: StepOptions;
  /** Structured log lines (Powertools logger in Lambda); silent when absent. */
  readonly log?: (level: 'info' | 'warn' | 'error', message: string, data?: Record<string, unknown>) => void;
}

export type { CaughtError };

export interface PresignedHeaders {
  readonly contentType: string;
  readonly contentDisposition?: string;
}

/**
 * Where the API puts responses too large to answer inline (functions/api/large-responses.ts): `exports/`,
 * or a stored artifact served as it is, that the client fetches through a presigned GET.
 * S3ResponseExports satisfies it.
 */
export interface ResponseExports {
  /** Stores the body at `key` (streamed: it may be larger than memory allows); resolves once stored. */
  save(key: string, body: AsyncIterable<Uint8Array>, headers: { contentType: string; contentDisposition?: string }): Promise<void>;
  /** A presigned GET of `key`, valid for `expiresInSeconds`; `headers` override the stored ones in the answer. */
  presignGet(key: string, expiresInSeconds: number, headers?: PresignedHeaders): Promise<string>;
  /** The size of the object at `key`, bytes; undefined when there is none. */
  sizeOf(key: string): Promise<number | undefined>;
}

/**
 * Starts re-score jobs and reads their progress: on AWS a RescoreRequested event that starts the
 * re-score state machine (functions/aws/rescore-requests.ts), locally the runner
 * (functions/local/local-rescores.ts).
 */
export interface RescoreService {
  /** Records the job (RUNNING) and starts it; resolves once it is started, not finished. */
  start(scope: RescoreScope, requestedBy: string): Promise<RescoreJobRecord>;
  get(jobId: string): Promise<RescoreJobRecord | undefined>;
}
