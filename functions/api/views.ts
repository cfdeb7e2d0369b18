/**
 * Maps stored records (TapeRecord, DealRecord) to the API's bodies (types generated from
 * schemas/dmbs-api.v1.schema.json), and derives a tape's progress from the pipeline's step list.
 * Internal attributes (run ids, bucket names) never leave here. Pure.
 */
import type { DealRecord, TapeRecord } from '../pipeline/result-records.ts';
import { PIPELINE_STEPS } from '../pipeline/steps.ts';
import type { RescoreJobRecord } from '../pipeline/ports.ts';
import type { Deal, RescoreJob, Tape, TapeListItem, TapeProgress, TapeRevision, TapeSummary } from './generated/api.ts';

/** Where the pipeline is: the running step and a rough percentage (steps done, plus half of the running one). */
export function progressOf(status: TapeRecord['status']): TapeProgress {
  const stepCount = PIPELINE_STEPS.length;
  if (status === 'SCORED' || status === 'FAILED' || status === 'DUPLICATE') {
    return { step: null, stepNumber: stepCount, stepCount, percent: 100, final: true };
  }
  if (status === 'RECEIVED') return { step: PIPELINE_STEPS[0]?.name ?? null, stepNumber: 1, stepCount, percent: 0, final: false };
  const index = Math.max(0, PIPELINE_STEPS.findIndex((s) => s.status === status));
  return {
    step: PIPELINE_STEPS[index]?.name ?? null,
    stepNumber: index + 1,
    stepCount,
    percent: Math.floor(((index + 0.5) / stepCount) * 100),
    final: false,
  };
}

/** The reason a person reads for a FAILED or DUPLICATE tape. */
function reasonOf(tape: TapeRecord): string | undefined {
  if (tape.status === 'FAILED') return tape.failure?.message ?? 'The tape could not be processed.';
  if (tape.status === 'DUPLICATE' && tape.duplicateOf) return `Same content as tape ${tape.duplicateOf}; its results apply.`;
  return undefined;
}

export function toTapeListItem(tape: TapeRecord): TapeListItem {
  const reason = reasonOf(tape);
  // A scored tape's validation, or a NO_VALID_LOANS failure's (fail-step.ts keeps its counts)
  const counts = tape.summary ?? tape.failure?.validation;
  return {
    tapeId: tape.tapeId,
    dealId: tape.dealId ?? '',
    issuerId: tape.issuerId ?? '',
    fileName: tape.fileName ?? '',
    status: tape.status,
    ...(reason ? { reason } : {}),
    receivedAt: tape.receivedAt,
    uploadedAt: tape.uploadedAt,
    rowCount: counts?.rowCount ?? null,
    errorCount: counts?.errorCount ?? null,
    warningCount: counts?.warningCount ?? null,
    invalidRowCount: counts?.invalidRowCount ?? null,
    dataQualityScore: tape.summary?.dataQualityScore ?? null,
    eligibleBalance: tape.summary?.eligibleBalance ?? null,
    scoreBand: tape.summary?.scoreBand ?? null,
    ...(tape.summary?.kind ? { kind: tape.summary.kind } : {}),
  };
}

export function toTape(tape: TapeRecord): Tape {
  const reason = reasonOf(tape);
  const self = `/v1/tapes/${tape.tapeId}`;
  const summary: TapeSummary | null = tape.summary ? { ...tape.summary, failedTests: [...tape.summary.failedTests] } : null;
  return {
    tapeId: tape.tapeId,
    issuerId: tape.issuerId ?? null,
    dealId: tape.dealId ?? null,
    fileName: tape.fileName ?? null,
    status: tape.status,
    ...(reason ? { reason } : {}),
    ...(tape.failure ? { failure: { code: tape.failure.code, message: tape.failure.message, userError: tape.failure.userError } } : {}),
    ...(tape.duplicateOf ? { duplicateOf: tape.duplicateOf } : {}),
    object: { key: tape.object.key, size: tape.object.size },
    uploadedAt: tape.uploadedAt,
    receivedAt: tape.receivedAt,
    updatedAt: tape.updatedAt,
    ...(tape.scoredAt ? { scoredAt: tape.scoredAt } : {}),
    ...(tape.failedAt ? { failedAt: tape.failedAt } : {}),
    progress: progressOf(tape.status),
    summary,
    revision: tape.revision ?? 1,
    revisions: (tape.revisions ?? []).map((r): TapeRevision => ({
      revision: r.revision, scoredAt: r.scoredAt, eligibleCount: r.summary.eligibleCount, eligibleBalance: r.summary.eligibleBalance,
      scorePoints: r.summary.scorePoints, scoreBand: r.summary.scoreBand, failedTests: [...r.summary.failedTests],
      links: { report: `${self}/report?revision=${r.revision}`, loans: `${self}/loans?revision=${r.revision}` },
    })),
    rescoring: tape.rescoring ? { revision: tape.rescoring.revision, step: tape.rescoring.step, startedAt: tape.rescoring.startedAt } : null,
    ...(tape.lastRescoreFailure ? { lastRescoreFailure: { ...tape.lastRescoreFailure } as NonNullable<Tape['lastRescoreFailure']> } : {}),
    links: { self, report: `${self}/report`, errors: `${self}/errors`, loans: `${self}/loans` },
  };
}

export function toRescoreJob(job: RescoreJobRecord): RescoreJob {
  return {
    jobId: job.jobId, scope: { ...job.scope }, status: job.status, total: job.total ?? null,
    done: job.done, scored: job.scored, failed: job.failed, skipped: job.skipped,
    createdAt: job.createdAt, updatedAt: job.updatedAt, ...(job.finishedAt ? { finishedAt: job.finishedAt } : {}),
    links: { self: `/v1/rescores/${job.jobId}` },
  };
}

export function toDeal(deal: DealRecord, latestTape: TapeRecord | undefined): Deal {
  const l = deal.latest;
  return {
    issuerId: deal.issuerId,
    dealId: deal.dealId,
    createdAt: deal.createdAt,
    updatedAt: deal.updatedAt,
    latestTape: latestTape ? toTapeListItem(latestTape) : null,
    latestScored: l
      ? {
          tapeId: l.tapeId, fileName: l.fileName, uploadedAt: l.uploadedAt, reportingDate: l.reportingDate,
          dataQualityScore: l.dataQualityScore, scorePoints: l.scorePoints, scoreBand: l.scoreBand,
        }
      : null,
  };
}
