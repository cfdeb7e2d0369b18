/**
 * The failure handler (every step's catch): marks the tape FAILED with a reason a person can act
 * on, removes its partial artifacts, emits `TapeFailed`, and fails the tape's DUPLICATEs (their
 * results were to be this tape's). It never touches a tape another run owns (a duplicate
 * notification's failure) nor one already final (e.g. SCORED before the event could be sent):
 * nothing half-written, nothing overwritten.
 */
import { normaliseTapeObject } from './tape-object.ts';
import { parseTapeKey } from './tape-key.ts';
import type { PipelineEvent, PipelinePorts, TapeFailure } from './ports.ts';
import { artifactKeys, type ArtifactKeys, type PipelineState, type TapeKeyParts, type TapeObject } from './state.ts';
import type { ValidationReport } from './validate-step.ts';
import { failureFrom } from './step-error.ts';
import { tapeIdFor } from './tape-id.ts';

/** The fail step's result: the state with the failure shown, and whether this run marked it. */
export interface FailedState extends PipelineState {
  readonly failure: TapeFailure;
  readonly outcome: 'failed' | 'not-owner' | 'already-final';
}

export async function failStep(input: PipelineState, ports: PipelinePorts, stepTimeoutSeconds?: number): Promise<FailedState> {
  const now = (ports.now?.() ?? new Date()).toISOString();
  const object = normaliseTapeObject(input.object);
  const tapeId = input.tapeId ?? tapeIdFor(object);
  const parsed = parseTapeKey(object.key);
  const tape = input.tape ?? (parsed.ok ? parsed.parts : undefined);
  const keys = artifactKeys(tapeId);
  const failure = await withKeptValidation(failureFrom(input.error, input.runId, stepTimeoutSeconds), keys, ports);

  // The TapeFailed waits in the tape's outbox from the same write: a sweep sends it if this run cannot.
  const event = tapeFailedEvent({ tapeId, ...(tape ? { tape } : {}), object, failure, failedAt: now });
  const marked = await ports.results.markFailed({ tapeId, runId: input.runId, object, ...(tape ? { tape } : {}), failure, now, event });
  // 'FAILED' owned by this run: a retry of this handler after the mark succeeded; finish the job.
  if (marked !== 'failed' && marked !== 'FAILED') {
    ports.log?.('warn', 'failure not recorded: the tape is final or owned by another run', { tapeId, marked, error: input.error });
    return { ...input, tapeId, failure, outcome: marked === 'not-owner' ? 'not-owner' : 'already-final' };
  }
  ports.log?.(failure.userError ? 'info' : 'error', 'tape failed', { tapeId, code: failure.code, error: input.error });
  const kept = failure.artifacts ? [failure.artifacts.report, failure.artifacts.findings] : [];
  await ports.store.deleteObjects(Object.values(keys).filter((k) => k !== keys.prefix && !kept.includes(k)));
  // The duplicates first: each failure is stored with its event before any event is sent, so a
  // bus that refuses them all leaves every one owed to the sweep, none lost.
  await failDuplicatesOf(tapeId, ports);
  await ports.events.publish(event);
  await ports.results.eventPublished(tapeId, 'FAILED');
  return { ...input, tapeId, ...(tape ? { tape } : {}), failure, outcome: 'failed' };
}

/**
 * Fails the DUPLICATE tapes of `originalTapeId` when it is FAILED (their "the original's results
 * apply" would point at none) and emits a `TapeFailed` for each; nothing when it is not FAILED.
 * Called by whoever writes last: the original's failure, and a duplicate's run after marking it
 * (the original may have failed in between). Each duplicate is failed once (a conditional write).
 */
export async function failDuplicatesOf(originalTapeId: string, ports: PipelinePorts): Promise<number> {
  const now = (ports.now?.() ?? new Date()).toISOString();
  const failed = await ports.results.failDuplicatesOf(originalTapeId, now, (d) => tapeFailedEvent({ ...d, failedAt: now }));
  for (const d of failed) {
    ports.log?.('info', 'duplicate failed with its original', { tapeId: d.tapeId, originalTapeId, code: d.failure.code });
    await ports.events.publish(tapeFailedEvent({ ...d, failedAt: now }));
    await ports.results.eventPublished(d.tapeId, 'FAILED');
  }
  return failed.length;
}

/** The `TapeFailed` event of a tape. */
export function tapeFailedEvent(t: { tapeId: string; tape?: TapeKeyParts; object: Pick<TapeObject, 'bucket' | 'key' | 'versionId'>; failure: TapeFailure; failedAt: string }): PipelineEvent {
  return {
    type: 'TapeFailed',
    detail: {
      schemaVersion: 'dmbs-tape-failed/1',
      tapeId: t.tapeId,
      issuerId: t.tape?.issuerId ?? null,
      dealId: t.tape?.dealId ?? null,
      fileName: t.tape?.fileName ?? null,
      object: { bucket: t.object.bucket, key: t.object.key, versionId: t.object.versionId ?? null },
      code: t.failure.code,
      reason: t.failure.message,
      userError: t.failure.userError,
      failedAt: t.failedAt,
    },
  };
}

/**
 * A tape with no valid loan (NO_VALID_LOANS) keeps its report (validate-step.ts stores it) and
 * findings, which say why row by row, and its failure carries the validation's counts for tape lists. Any other
 * failure, or a report that cannot be read, leaves the failure as it is (every artifact deleted).
 */
async function withKeptValidation(failure: TapeFailure, keys: ArtifactKeys, ports: PipelinePorts): Promise<TapeFailure> {
  if (failure.code !== 'NO_VALID_LOANS' || !failure.userError) return failure;
  let report: ValidationReport;
  try {
    report = await ports.store.getJson<ValidationReport>(keys.validation);
  } catch (e) {
    ports.log?.('warn', 'validation report unreadable: the NO_VALID_LOANS tape keeps no artifacts', { key: keys.validation, error: e instanceof Error ? e.message : String(e) });
    return failure;
  }
  const { rowCount, validRowCount, invalidRowCount, errorCount, warningCount } = report.validation;
  return {
    ...failure,
    validation: { rowCount, validRowCount, invalidRowCount, errorCount, warningCount },
    artifacts: { report: keys.report, findings: keys.findings },
  };
}
