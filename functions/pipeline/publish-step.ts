/**
 * Step 4, publish: the one final conditional write that makes the tape's results visible
 * (status SCORED with its summary and artifact keys, and the `TapeScored` event in the tape's
 * outbox, followed by `LoansWatchlisted` when the watchlist is not empty), then the deal's latest
 * pointer, the events, and the outbox cleared (the market dataset follows, off this path, in
 * analytics-step.ts). A retry after the
 * write succeeded finds it done and only re-emits the event (consumers are idempotent on tapeId);
 * when no retry gets the event out, the outbox sweep (event-outbox.ts) publishes it later.
 */
import { requireValidated } from './step-support.ts';
import type { PipelineEvent, PipelinePorts, TapeArtifacts, TapeResultSummary } from './ports.ts';
import { analyticsKey } from './loan-parquet.ts';
import { artifactKeys, validationFigures, type PipelineState } from './state.ts';

export async function publishStep(input: PipelineState, ports: PipelinePorts): Promise<PipelineState> {
  const { tapeId, tape, validation: v } = requireValidated(input);
  const now = (ports.now?.() ?? new Date()).toISOString();
  const keys = artifactKeys(tapeId, input.rescore?.revision);
  const e = input.evaluation;
  const s = input.score;
  if (!e || !s) throw new Error(`publish called before evaluate and score finished (tape ${tapeId}): the state machine or runner is wired wrongly`);
  const summary: TapeResultSummary = {
    ...validationFigures(v),
    eligibleCount: e.eligibleCount,
    ineligibleCount: e.ineligibleCount,
    eligibleBalance: s.eligibleBalance,
    scorePoints: s.points,
    scoreBand: s.band,
    failedTests: s.failedTests,
  };
  // A scored tape always has a reportingDate (every valid loan carries it). The analytical
  // dataset and the watchlist are the loan tape's (another kind's tape has neither).
  const loanTape = v.kind === undefined;
  const analytics = loanTape && v.reportingDate ? analyticsKey({ ...tape, reportingDate: v.reportingDate, tapeId }) : undefined;
  const artifacts: TapeArtifacts = {
    report: keys.report,
    findings: keys.findings,
    loans: keys.loans,
    loanResults: keys.loanResults,
    loanKeys: keys.loanKeys,
    loanPages: keys.loanPages,
    loanPagesIndex: keys.loanPagesIndex,
    ...(loanTape ? { watchlist: keys.watchlist, watchlistLoans: keys.watchlistLoans } : {}),
    ...(analytics ? { analytics } : {}),
  };
  const uploadedAt = input.object.eventTime ?? now;
  const event: PipelineEvent = {
    type: 'TapeScored',
    detail: {
      schemaVersion: 'dmbs-tape-scored/1',
      tapeId,
      issuerId: tape.issuerId,
      dealId: tape.dealId,
      fileName: tape.fileName,
      ...(v.kind !== undefined ? { kind: v.kind as 'compute' } : {}),
      sha256: v.sha256,
      reportingDate: v.reportingDate,
      uploadedAt,
      scoredAt: now,
      object: { bucket: input.object.bucket, key: input.object.key, versionId: input.object.versionId ?? null },
      report: { bucket: ports.store.bucket, key: keys.report },
      validation: {
        rowCount: v.rowCount, validRowCount: v.validRowCount, invalidRowCount: v.invalidRowCount,
        errorCount: v.errorCount, warningCount: v.warningCount, dataQualityScore: v.dataQualityScore,
      },
      eligibility: { eligibleCount: e.eligibleCount, ineligibleCount: e.ineligibleCount, eligibleBalance: s.eligibleBalance },
      score: { points: s.points, band: s.band },
      failedTests: [...summary.failedTests],
      ...(input.rescore ? { revision: input.rescore.revision } : {}),
    },
  };
  const watched = loansWatchlisted(input, ports.store.bucket, keys.report, now);
  const followingEvents = watched ? [watched] : [];
  const first = await ports.results.publishScored(tapeId, input.runId, { summary, artifacts, event, followingEvents }, now, input.rescore);
  await ports.results.recordDealTape(tape, {
    tapeId, fileName: tape.fileName, uploadedAt, reportingDate: v.reportingDate,
    dataQualityScore: v.dataQualityScore, scorePoints: summary.scorePoints, scoreBand: summary.scoreBand,
  }, now);
  // The market dataset's files and the latest-tape index follow in the analytics step (analytics-step.ts).
  for (const next of [event, ...followingEvents]) await ports.events.publish(next);
  await ports.results.eventPublished(tapeId);
  ports.log?.('info', first ? 'tape scored' : 'tape already scored by this run; event re-emitted', { tapeId });
  return input;
}

/** The `LoansWatchlisted` event of a tape whose watchlist is not empty (undefined when it is). */
function loansWatchlisted(input: PipelineState, bucket: string, reportKey: string, scoredAt: string): PipelineEvent | undefined {
  const w = input.watchlist;
  if (!w || w.loanCount === 0 || !input.tapeId || !input.tape) return undefined;
  return {
    type: 'LoansWatchlisted',
    detail: {
      schemaVersion: 'dmbs-loans-watchlisted/1',
      tapeId: input.tapeId,
      issuerId: input.tape.issuerId,
      dealId: input.tape.dealId,
      fileName: input.tape.fileName,
      reportingDate: input.validation?.reportingDate ?? null,
      scoredAt,
      priorTape: w.priorTapeId === null ? null : { tapeId: w.priorTapeId },
      loanCount: w.loanCount,
      balance: w.balance,
      share: w.share,
      countsByCode: { ...w.countsByCode },
      report: { bucket, key: reportKey },
      ...(input.rescore ? { revision: input.rescore.revision } : {}),
    },
  };
}
