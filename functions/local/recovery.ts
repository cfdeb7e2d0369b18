/**
 * What the local stack does at start, before it takes new uploads, so that nothing stays stuck
 * and nothing is lost after a stop or a crash: tapes an earlier process left in a non-final
 * status are resumed or marked FAILED with a reason, and uploads whose notification was never
 * turned into a tape are queued. It never touches a tape this process's runner owns.
 */
import type { DynamoResultsRepository, TapeRecord } from '../aws/results-repository.ts';
import { parseTapeKey } from '../pipeline/tape-key.ts';
import { failDuplicatesOf, tapeFailedEvent } from '../pipeline/fail-step.ts';
import { ACTIVE_STATUSES, artifactKeys, tapeIdFor, type PipelinePorts, type TapeFailure, type TapeObject, type TapeStatus } from '../pipeline/index.ts';
import type { AttemptLog } from './attempts.ts';
import type { LocalRunner } from './local-runner.ts';
import type { ObjectVersions } from './s3-versioning.ts';
import { isUploadKey } from './s3rver-notifications.ts';

/** Code of the failure recorded for a tape whose processing an earlier process did not finish. */
export const INTERRUPTED_CODE = 'INTERRUPTED';

/** Code of the failure recorded for a tape that was being processed when the process ended unasked (killed, out of memory). */
export const CRASHED_CODE = 'PROCESS_ENDED_DURING_TAPE';

/**
 * Resume policy. A run that had not got past validation (RECEIVED, VALIDATING) is resumed under
 * its own run id: validation reads the same immutable object version again and overwrites its
 * artifacts at their fixed keys, and nothing was visible yet. A run that had (EVALUATING,
 * SCORING) cannot re-enter validation (the status transitions only move forward, as in the state
 * machine) and the state between steps lived in the dead process, so the tape is marked FAILED
 * with a reason; uploading the file again processes it (a failed tape hands its content over).
 */
export const RESUMABLE_STATUSES: readonly TapeStatus[] = ['RECEIVED', 'VALIDATING'];

export interface RecoveryOptions {
  readonly results: DynamoResultsRepository;
  readonly ports: PipelinePorts;
  readonly runner: LocalRunner;
  readonly versions: ObjectVersions;
  readonly bucket: string;
  /** Marks of the tapes an earlier process had started: those are failed, never resumed. */
  readonly attempts?: AttemptLog;
  readonly now?: () => Date;
}

export interface RecoveryReport {
  /** Tapes resumed under their earlier run id. */
  readonly resumed: string[];
  /** Tapes marked FAILED (INTERRUPTED, or PROCESS_ENDED_DURING_TAPE: they were running when the process died). */
  readonly failed: string[];
  /** Uploads that had no tape yet, queued as new runs. */
  readonly queued: number;
}

/** @example const report = await recoverTapes({ results, ports, runner, versions, bucket: 'dmbs-tapes' }); */
export async function recoverTapes(options: RecoveryOptions): Promise<RecoveryReport> {
  const { results, runner } = options;
  const resumed: string[] = [];
  const failed: string[] = [];
  const started = options.attempts?.leftOver() ?? new Set<string>();
  for (const status of ACTIVE_STATUSES) {
    for await (const tape of allTapesIn(results, status)) {
      if (runner.ownsRun(tape.runId)) continue;
      const object = objectOf(tape);
      // A tape the process died during may be what killed it: resuming could kill every restart.
      const crashed = started.has(tape.tapeId);
      // A tape without a version id (a key s3rver does not version) cannot be read again as the same bytes.
      if (!crashed && RESUMABLE_STATUSES.includes(tape.status) && object.versionId && tapeIdFor(object) === tape.tapeId) {
        runner.enqueue(object, { runId: tape.runId });
        resumed.push(tape.tapeId);
      } else if (await failInterrupted(tape, options, crashed)) {
        failed.push(tape.tapeId);
      }
    }
  }
  for (const tapeId of started) options.attempts?.forget(tapeId);
  let queued = 0;
  // Criteria files and the pipeline's own artifacts are versions too, but never uploads.
  const pending = (await options.versions.list(options.bucket, { unsettledOnly: true })).filter((v) => isUploadKey(v.key));
  const known = new Set([...resumed, ...failed]);
  await forEachLimited(pending, 16, async (version) => {
    const object: TapeObject = {
      bucket: version.bucket, key: version.key, versionId: version.versionId, eTag: version.eTag,
      size: version.size, sequencer: null, eventTime: version.createdAt,
    };
    const tapeId = tapeIdFor(object);
    if (known.has(tapeId)) return;
    if (await results.getTape(tapeId)) {
      await options.versions.markSettled(version.bucket, version.key, version.versionId);
      return;
    }
    runner.enqueue(object);
    queued++;
  });
  return { resumed, failed, queued };
}

/** Marks an abandoned tape FAILED with a reason, removes its partial artifacts and emits TapeFailed (as the failure step does). */
async function failInterrupted(tape: TapeRecord, options: RecoveryOptions, crashed: boolean): Promise<boolean> {
  const { ports } = options;
  const now = (options.now?.() ?? new Date()).toISOString();
  const failure: TapeFailure = crashed
    ? {
      code: CRASHED_CODE,
      message: `The local stack ended (killed, out of memory or crashed) while it was processing this tape (${tape.status}); it is not tried again, `
        + 'as it may be what ended it. Check the file with `dmbs check` first (a very large file or workbook may need splitting), then upload it again.',
      userError: false,
    }
    : {
      code: INTERRUPTED_CODE,
      message: `Processing stopped while the tape was ${tape.status} because the local stack was shut down or crashed; the tape was not scored and `
        + 'nothing of it is visible. Upload the file again to process it.',
      userError: false,
    };
  const object = objectOf(tape);
  const parsed = parseTapeKey(object.key);
  const parts = parsed.ok ? parsed.parts : undefined;
  // The event waits in the tape's outbox from the same write (the sweep sends it if the bus cannot).
  const event = tapeFailedEvent({ tapeId: tape.tapeId, ...(parts ? { tape: parts } : {}), object, failure, failedAt: now });
  const marked = await ports.results.markFailed({ tapeId: tape.tapeId, runId: tape.runId, object, ...(parts ? { tape: parts } : {}), failure, now, event });
  if (marked !== 'failed') return false;
  const keys = artifactKeys(tape.tapeId);
  await ports.store.deleteObjects(Object.values(keys).filter((k) => k !== keys.prefix));
  ports.log?.('warn', 'interrupted tape marked FAILED', { tapeId: tape.tapeId, status: tape.status });
  await failDuplicatesOf(tape.tapeId, ports);
  await ports.events.publish(event);
  await ports.results.eventPublished(tape.tapeId, 'FAILED');
  return true;
}

function objectOf(tape: TapeRecord): TapeObject {
  return {
    bucket: tape.object.bucket, key: tape.object.key, versionId: tape.object.versionId, size: tape.object.size,
    eTag: null, sequencer: null, eventTime: tape.uploadedAt,
  };
}

async function* allTapesIn(results: DynamoResultsRepository, status: TapeStatus): AsyncGenerator<TapeRecord> {
  let cursor: string | undefined;
  do {
    const page = await results.listTapesByStatus(status, { limit: 100, ...(cursor ? { cursor } : {}) });
    yield* page.items;
    cursor = page.cursor;
  } while (cursor);
}

async function forEachLimited<T>(items: readonly T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await run(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
