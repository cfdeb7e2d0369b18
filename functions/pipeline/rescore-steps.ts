/**
 * A re-score: the stored canonical loans of a SCORED tape (the validate step's
 * `reports/{tapeId}/loans.ndjson.gz`) evaluated, scored and published again under the deal's
 * current criteria, as a new result revision of the same tape. The evaluate, score and publish
 * steps are the pipeline's own; what is added here is the claim that starts a re-score (a
 * conditional write: never while the upload's run or another re-score owns the tape), the
 * failure handler that drops the claim and keeps the current revision, and the job steps that
 * list a job's tapes and count its progress. Nothing here reads the raw tape again.
 */
import type { RescorePorts, RescoreScope } from './ports.ts';
import { publishStep } from './publish-step.ts';
import { artifactKeys, revisionOwnKeys, RESCORES_PREFIX, type PipelineState } from './state.ts';
import { failureFrom } from './step-error.ts';

/** A claim older than this is taken over (its run died without releasing it). Longer than any run's steps with their retries. */
export const RESCORE_LEASE_MS = 2 * 60 * 60 * 1000;

/** One tape of a re-score job (a Distributed Map item, or the local runner's job). */
export interface RescoreItem {
  readonly tapeId: string;
  readonly runId: string;
  readonly jobId: string | null;
}

/** A re-score job's start: which tapes (the list step writes them to S3 for the Distributed Map). */
export interface RescoreJobInput {
  readonly jobId: string;
  readonly scope: RescoreScope;
}

/** The list step's output: where the item list is, and how many. */
export interface RescoreJobList extends RescoreJobInput {
  readonly itemsKey: string;
  readonly total: number;
}

/** Where a job's item list and the Distributed Map's results go. */
export function rescoreJobKeys(jobId: string): { prefix: string; items: string; results: string } {
  const prefix = `${RESCORES_PREFIX}${jobId}/`;
  return { prefix, items: `${prefix}tapes.json`, results: `${prefix}results/` };
}

/** Lists the job's tapes, stores them as a JSON array of `{ tapeId }` and records the total. */
export async function rescoreListStep(input: RescoreJobInput, ports: RescorePorts): Promise<RescoreJobList> {
  const now = (ports.now?.() ?? new Date()).toISOString();
  const tapeIds = await ports.results.listRescoreTapes(input.scope);
  const keys = rescoreJobKeys(input.jobId);
  await ports.store.putJson(keys.items, tapeIds.map((tapeId) => ({ tapeId })));
  await ports.results.setRescoreJobTotal(input.jobId, tapeIds.length, now);
  return { ...input, itemsKey: keys.items, total: tapeIds.length };
}

/**
 * Claims the tape for a new revision and rebuilds the state the evaluate step expects from the
 * tape's stored summary. A tape that is not SCORED, or that another re-score holds, is skipped
 * (`stop`), counted as such in its job.
 */
export async function rescoreClaimStep(input: RescoreItem, ports: RescorePorts): Promise<PipelineState> {
  const now = (ports.now?.() ?? new Date()).toISOString();
  const claim = await ports.results.claimRescore({ tapeId: input.tapeId, runId: input.runId, jobId: input.jobId, now, leaseMs: RESCORE_LEASE_MS });
  if (claim.outcome === 'skipped') {
    if (input.jobId) await ports.results.countRescoreItem(input.jobId, input.tapeId, 'skipped', now);
    ports.log?.('info', 'tape not re-scored', { tapeId: input.tapeId, reason: claim.reason });
    return {
      object: { bucket: ports.store.bucket, key: '' }, runId: input.runId, tapeId: input.tapeId,
      stop: { reason: 'RESCORE_SKIPPED', tapeId: input.tapeId, message: claim.reason },
    };
  }
  const { tape, object, summary } = claim.tape;
  const duplicates = await ports.store.getJson<string[]>(artifactKeys(input.tapeId).duplicateLoanIds);
  // the tape's kind, as its summary names it (a loan tape's has none)
  const { kind } = summary;
  return {
    object,
    runId: input.runId,
    tapeId: input.tapeId,
    tape,
    validation: {
      sha256: summary.sha256, format: summary.format, reportingDate: summary.reportingDate,
      rowCount: summary.rowCount, validRowCount: summary.validRowCount, invalidRowCount: summary.invalidRowCount,
      errorCount: summary.errorCount, warningCount: summary.warningCount, dataQualityScore: summary.dataQualityScore,
      duplicateLoanIdCount: duplicates.length,
      // valid rows, duplicates included: what validate wrote to the loans artifact
      loansWritten: summary.validRowCount,
      ...(kind !== undefined ? { kind } : {}),
    },
    rescore: { revision: claim.revision, jobId: input.jobId },
  };
}

/** The pipeline's publish step, then the job's count. */
export async function rescorePublishStep(input: PipelineState, ports: RescorePorts): Promise<PipelineState> {
  const out = await publishStep(input, ports);
  const jobId = input.rescore?.jobId;
  if (jobId && input.tapeId) await ports.results.countRescoreItem(jobId, input.tapeId, 'scored', (ports.now?.() ?? new Date()).toISOString());
  return out;
}

/** A re-score's failure result: the tape keeps its current revision. */
export interface RescoreFailedState extends PipelineState {
  readonly failure: { readonly code: string; readonly message: string; readonly userError: boolean };
  readonly released: boolean;
}

/**
 * The catch of a re-score's steps: drops the claim (the current revision stays visible, and the
 * failure is recorded on the tape as `lastRescoreFailure`), deletes the new revision's partial
 * artifacts and counts the failure in the job. A bad criteria file is a user error here too.
 */
export async function rescoreFailStep(input: PipelineState, ports: RescorePorts, stepTimeoutSeconds?: number): Promise<RescoreFailedState> {
  const now = (ports.now?.() ?? new Date()).toISOString();
  const failure = failureFrom(input.error, input.runId, stepTimeoutSeconds);
  const tapeId = input.tapeId;
  if (!tapeId) throw new Error('re-score failure handler called without a tape id: the state machine or runner is wired wrongly');
  const released = await ports.results.releaseRescore(tapeId, input.runId, failure, now);
  const revision = input.rescore?.revision;
  // Revision 1's artifacts are never touched here: they are the current revision's or an earlier one's.
  if (released && revision && revision > 1) await ports.store.deleteObjects(revisionOwnKeys(tapeId, revision));
  if (input.rescore?.jobId) await ports.results.countRescoreItem(input.rescore.jobId, tapeId, 'failed', now);
  ports.log?.(failure.userError ? 'info' : 'error', 're-score failed; the current revision stays', { tapeId, code: failure.code, released });
  return { ...input, failure, released };
}

/** The job's end (after the Distributed Map): DONE whatever was counted. */
export async function rescoreFinishStep(input: RescoreJobList, ports: RescorePorts): Promise<RescoreJobList> {
  await ports.results.finishRescoreJob(input.jobId, (ports.now?.() ?? new Date()).toISOString());
  return input;
}
