/**
 * What passes between steps: S3 pointers and small summaries, never rows (Step Functions caps a
 * state at 256 KiB). Every artifact of a tape lives at a fixed key under `reports/{tapeId}/`, so
 * a retried step overwrites its own output and the failure handler knows what to delete.
 */

/** The uploaded object, as the notification describes it (normalised by tape-object.ts). */
export interface TapeObject {
  readonly bucket: string;
  readonly key: string;
  /** S3 version id (the AWS bucket is versioned; an emulator may have none). */
  readonly versionId?: string | null;
  readonly eTag?: string | null;
  readonly size?: number | null;
  readonly sequencer?: string | null;
  /** When the object was created (the event's time), ISO 8601. */
  readonly eventTime?: string | null;
}

/** The parts of a valid tape key `incoming/{issuerId}/{dealId}/{fileName}`. */
export interface TapeKeyParts {
  readonly issuerId: string;
  readonly dealId: string;
  readonly fileName: string;
}

/** The validate step's summary (the full validation report is the artifact `validation`). */
export interface ValidationOutcome {
  readonly sha256: string;
  readonly format: 'csv' | 'xlsx' | 'ndjson';
  readonly reportingDate: string | null;
  readonly rowCount: number;
  readonly validRowCount: number;
  readonly invalidRowCount: number;
  readonly errorCount: number;
  readonly warningCount: number;
  readonly dataQualityScore: string;
  /** Loan ids found on more than one row (the list itself is the artifact `duplicateLoanIds`). */
  readonly duplicateLoanIdCount: number;
  /** Loans written to the `loans` artifact (valid rows, duplicates included: evaluate drops them). */
  readonly loansWritten: number;
  /** The tape's kind when it is not a loan tape (`compute`); absent: a loan tape (states written before kinds too). */
  readonly kind?: string;
}

/** The validation figures a SCORED tape's summary carries (ports.ts TapeResultSummary), in its order. */
const VALIDATION_FIGURES = [
  'sha256', 'format', 'reportingDate', 'rowCount', 'validRowCount', 'invalidRowCount', 'errorCount', 'warningCount', 'dataQualityScore',
] as const satisfies ReadonlyArray<keyof ValidationOutcome>;

export type ValidationFigures = Pick<ValidationOutcome, (typeof VALIDATION_FIGURES)[number]>;

/** The figures of the validate step's summary that the published summary repeats. */
export function validationFigures(v: ValidationOutcome): ValidationFigures & { kind?: 'compute' } {
  const figures = Object.fromEntries(VALIDATION_FIGURES.map((k) => [k, v[k]])) as unknown as ValidationFigures;
  // A loan tape's summary reads as before kinds; another kind's names it.
  return v.kind === undefined ? figures : { ...figures, kind: v.kind as 'compute' };
}

/** The evaluate step's summary (the pool aggregate itself is the artifact `aggregate`). */
export interface EvaluationOutcome {
  readonly loansEvaluated: number;
  readonly eligibleCount: number;
  readonly ineligibleCount: number;
}

/** The score step's summary. */
export interface ScoreOutcome {
  /** Decimal text, 2 decimals. */
  readonly eligibleBalance: string;
  /** Decimal text, 0-100. */
  readonly points: string;
  readonly band: string;
  /** Concentration and pool tests that failed (ids such as C01, P02). */
  readonly failedTests: readonly string[];
}

/** The watchlist's figures, for the `LoansWatchlisted` event. */
export interface WatchlistOutcome {
  /** The prior tape compared with (null: the deal's first tape). */
  readonly priorTapeId: string | null;
  readonly loanCount: number;
  /** Decimal text, 2 decimals. */
  readonly balance: string;
  /** Decimal text, or null when the valid loans' balance is 0. */
  readonly share: string | null;
  readonly countsByCode: Readonly<Record<string, number>>;
}

/** Why a run ended early without error. */
export interface StopReason {
  readonly reason: 'DUPLICATE_NOTIFICATION' | 'DUPLICATE_CONTENT' | 'RESCORE_SKIPPED';
  readonly message: string;
  /** The tape that holds the result instead. */
  readonly tapeId: string;
}

/** The error a step threw, in the shape Step Functions' Catch gives (`ResultPath: $.error`). */
export interface CaughtError {
  readonly Error: string;
  readonly Cause?: string;
}

/** The state handed from step to step. */
export interface PipelineState {
  readonly object: TapeObject;
  /** Identifies the run (Step Functions execution name; the local runner's run id). Owner of the tape's claim. */
  readonly runId: string;
  readonly tapeId?: string;
  readonly tape?: TapeKeyParts;
  readonly validation?: ValidationOutcome;
  readonly evaluation?: EvaluationOutcome;
  readonly score?: ScoreOutcome;
  /** The evaluate step's watchlist summary (the section itself is the artifact `watchlist`). */
  readonly watchlist?: WatchlistOutcome;
  readonly stop?: StopReason;
  readonly error?: CaughtError;
  /**
   * A re-score (functions/pipeline/rescore-steps.ts): the result revision this run writes (2, 3, …;
   * absent = revision 1, the upload's own run) and the re-score job it belongs to, if any.
   */
  readonly rescore?: RescoreRun;
}

/** What a re-score run carries from step to step. */
export interface RescoreRun {
  readonly revision: number;
  readonly jobId: string | null;
}

/** The fixed artifact keys of one tape. */
export interface ArtifactKeys {
  readonly prefix: string;
  /** Canonical valid loans, gzip NDJSON, one `{ "row": n, "loan": {...} }` per line. */
  readonly loans: string;
  /** Every finding, NDJSON, one Finding per line, in the order found. */
  readonly findings: string;
  /** JSON array of loan ids carried by more than one row. */
  readonly duplicateLoanIds: string;
  /** The validation report (dmbs-report/1 with the validation section). */
  readonly validation: string;
  /** Loan-level eligibility results, gzip NDJSON. */
  readonly loanResults: string;
  /** Loan keys sorted by loanId (core/compare/loan-keys.ts), gzip TSV: what compare merges. */
  readonly loanKeys: string;
  /** Loan results per filter in gzip blocks (loan-pages.ts), and the blocks' JSON index. */
  readonly loanPages: string;
  readonly loanPagesIndex: string;
  /** The deal criteria the tape was evaluated with (defaults merged with the deal's file), JSON. */
  readonly criteria: string;
  /** The stress model the tape was evaluated with (defaults merged with the deal's file), JSON. */
  readonly stress: string;
  /** The mergeable pool aggregate (`PoolAccumulator.toJSON()`, dmbs-pool-state/1), JSON. */
  readonly aggregate: string;
  /** The full dmbs-report/1 document. */
  readonly report: string;
  /** The report's `watchlist` section (docs/watchlist.md) and the thresholds it used, JSON (prior-tape.ts StoredWatchlist). */
  readonly watchlist: string;
  /** The watchlisted loans with their codes, current and prior values, gzip NDJSON in row order. */
  readonly watchlistLoans: string;
  /** A compute tape's residual-value curve as evaluate resolved it (the deal's over the defaults). */
  readonly curve: string;
}

export const REPORTS_PREFIX = 'reports/';
export const INCOMING_PREFIX = 'incoming/';
/** API responses too large to answer inline (functions/api/large-responses.ts); expire after a day. */
export const EXPORTS_PREFIX = 'exports/';

/**
 * The artifact keys of one tape's result revision. Revision 1 (the upload's run) keeps every
 * artifact under `reports/{tapeId}/`; a re-score's revision n writes only what evaluate and score
 * produce under `reports/{tapeId}/r{n}/` and reads the validate step's artifacts (canonical loans,
 * findings, validation report, duplicated ids) where revision 1 left them, so earlier revisions
 * stay whole and fetchable.
 */
export function artifactKeys(tapeId: string, revision = 1): ArtifactKeys {
  const prefix = `${REPORTS_PREFIX}${tapeId}/`;
  const own = revision > 1 ? `${prefix}r${revision}/` : prefix;
  return {
    prefix,
    loans: `${prefix}loans.ndjson.gz`,
    findings: `${prefix}findings.ndjson`,
    duplicateLoanIds: `${prefix}duplicate-loan-ids.json`,
    validation: `${prefix}validation.json`,
    loanResults: `${own}loan-results.ndjson.gz`,
    loanKeys: `${own}loan-keys.tsv.gz`,
    loanPages: `${own}loan-pages.bin`,
    loanPagesIndex: `${own}loan-pages-index.json`,
    aggregate: `${own}pool-aggregate.json`,
    criteria: `${own}criteria.json`,
    stress: `${own}stress-model.json`,
    report: `${own}report.json`,
    watchlist: `${own}watchlist.json`,
    watchlistLoans: `${own}watchlist-loans.ndjson.gz`,
    curve: `${own}residual-curve.json`,
  };
}

/** The keys a revision writes itself (what a failed re-score removes; revision 1's are the fail step's). */
export function revisionOwnKeys(tapeId: string, revision: number): string[] {
  const k = artifactKeys(tapeId, revision);
  return [k.loanResults, k.loanKeys, k.loanPages, k.loanPagesIndex, k.aggregate, k.criteria, k.stress, k.report, k.watchlist, k.watchlistLoans, k.curve];
}

/** A deal, as its settings files are named. */
type DealRef = { readonly issuerId: string; readonly dealId: string };

/** A deal's settings file under `prefix` in the tapes bucket: `{prefix}{issuerId}/{dealId}.json`. */
function dealFileKey(prefix: string, tape: DealRef): string {
  return `${prefix}${tape.issuerId}/${tape.dealId}.json`;
}

/** Re-score jobs' item lists and Distributed Map results (`rescores/{jobId}/`). */
export const RESCORES_PREFIX = 'rescores/';

/** Prefix of the deals' criteria files in the tapes bucket. */
export const CRITERIA_PREFIX = 'criteria/';

/** Where a deal's own criteria file lives in the tapes bucket (schemas/dmbs-criteria.v1.schema.json); absent = default criteria. */
export const dealCriteriaKey = (tape: DealRef): string => dealFileKey(CRITERIA_PREFIX, tape);

/** Prefix of the deals' stress-model files in the tapes bucket. */
export const STRESS_PREFIX = 'stress/';

/** Where a deal's own stress model lives in the tapes bucket (schemas/stress-model.schema.json); absent = the default model. */
export const dealStressKey = (tape: DealRef): string => dealFileKey(STRESS_PREFIX, tape);

/** Prefix of the deals' watchlist threshold files in the tapes bucket. */
export const WATCHLIST_PREFIX = 'watchlist/';

/** Where a deal's own watchlist thresholds live (schemas/watchlist-criteria.schema.json); absent = the defaults. */
export const dealWatchlistKey = (tape: DealRef): string => dealFileKey(WATCHLIST_PREFIX, tape);

/** Prefix of the deals' residual-value curves (compute tapes) in the tapes bucket. */
export const CURVE_PREFIX = 'curve/';

/** Where a compute deal's own residual-value curve lives (schemas/compute-residual-curve.schema.json); absent = the published curve. */
export const dealCurveKey = (tape: DealRef): string => dealFileKey(CURVE_PREFIX, tape);

/** Prefix of the deals' column-mapping files in the tapes bucket. */
export const MAPPING_PREFIX = 'mapping/';

/** Where a deal's column mapping lives in the tapes bucket (schemas/column-mapping.v1.schema.json); absent = headers matched by name and alias. */
export const dealMappingKey = (tape: DealRef): string => dealFileKey(MAPPING_PREFIX, tape);
