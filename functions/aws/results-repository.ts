/**
 * The results repository over one DynamoDB table (table-definition.ts): tapes, deals and content
 * markers, written with conditional single-item writes only (dynalite, the local emulator, has no
 * transactions) so that a tape's results become visible in one final write and every object
 * version is processed at most once. Key design and access patterns: docs/aws.md "DynamoDB".
 */
import { CreateTableCommand, DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type {
  DealLatest, FailedDuplicate, PendingEvent, PipelineEvent, ReceiveOutcome, ReceiveTapeInput, RescoreClaim, RescoreItemOutcome, RescoreJobRecord,
  RescoreResultsPort, RescoreScope, ResultsPort, ScoredResult, TapeArtifacts, TapeFailure, TapeResultSummary,
} from '../pipeline/ports.ts';
import { duplicateFailure } from '../pipeline/tape-status.ts';
import type { RescoreRun, TapeKeyParts, TapeObject } from '../pipeline/state.ts';
import { ACTIVE_STATUSES, ALLOWED_FROM, type TapeStatus } from '../pipeline/tape-status.ts';
import type { DealRecord, Page, PageOptions, TapeRecord, TapeRevisionRecord } from '../pipeline/result-records.ts';
import { createTableInput } from './table-definition.ts';

export type { DealRecord, Page, PageOptions, TapeRecord, TapeRevisionRecord } from '../pipeline/result-records.ts';

/** Thrown when a run tries to move a tape it does not own, or from a status the transition does not allow. */
export class TapeStateConflict extends Error {
  override readonly name = 'TapeStateConflict';
}

const key = {
  tape: (tapeId: string) => ({ PK: `TAPE#${tapeId}`, SK: 'TAPE' }),
  deal: (issuerId: string, dealId: string) => ({ PK: `ISSUER#${issuerId}`, SK: `DEAL#${dealId}` }),
  content: (t: TapeKeyParts, sha256: string) => ({ PK: `DEAL#${t.issuerId}#${t.dealId}`, SK: `SHA#${sha256}` }),
  dealKind: (t: { issuerId: string; dealId: string }) => ({ PK: `DEAL#${t.issuerId}#${t.dealId}`, SK: 'KIND' }),
  dealTapes: (issuerId: string, dealId: string) => `DEAL#${issuerId}#${dealId}`,
  status: (status: TapeStatus) => `STATUS#${status}`,
  rescoreJob: (jobId: string) => ({ PK: `RESCORE#${jobId}`, SK: 'JOB' }),
  rescoreItem: (jobId: string, tapeId: string) => ({ PK: `RESCORE#${jobId}`, SK: `TAPE#${tapeId}` }),
};
/**
 * GSI2 partition of the tapes whose event is still to be published (the outbox): a SCORED tape
 * sits here instead of under `STATUS#SCORED` until its event is out, so the sweep finds exactly
 * those with one query.
 */
const OUTBOX = 'OUTBOX';
const DEALS = 'DEALS';

/**
 * Sort key of a tape in its deal's list (GSI1, newest first): upload time, then S3's sequencer
 * (left-padded hex, so that versions of one key stored in the same millisecond keep the order
 * S3 stored them in), then the tape id.
 */
export function dealTapeSortKey(uploadedAt: string, object: { sequencer?: string | null }, tapeId: string): string {
  return `${uploadedAt}#${String(object.sequencer ?? '').padStart(32, '0')}#${tapeId}`;
}
const INTERNAL_ATTRIBUTES = ['PK', 'SK', 'GSI1PK', 'GSI1SK', 'GSI2PK', 'GSI2SK', 'type', 'bucket', 'key', 'versionId', 'eTag', 'size', 'latestSortKey', 'lastRescoreRunId', 'outbox', 'duplicates'];

/**
 * @example
 * const results = new DynamoResultsRepository({ client: clients.dynamoDb, tableName: 'dmbs-results' });
 * const page = await results.listTapesByDeal('acme', 'deal-1', { limit: 20 });
 */
export class DynamoResultsRepository implements ResultsPort, RescoreResultsPort {
  readonly tableName: string;
  readonly #db: DynamoDBDocumentClient;

  constructor(options: { client: DynamoDBDocumentClient; tableName: string }) {
    this.#db = options.client;
    this.tableName = options.tableName;
  }

  // ---- writes (the pipeline) ----

  async receiveTape(input: ReceiveTapeInput): Promise<ReceiveOutcome> {
    const { tapeId, runId, object, tape, now } = input;
    const uploadedAt = object.eventTime ?? now;
    try {
      await this.#db.send(new PutCommand({
        TableName: this.tableName,
        Item: {
          ...key.tape(tapeId),
          type: 'TAPE', tapeId, status: 'RECEIVED', runId,
          bucket: object.bucket, key: object.key, versionId: object.versionId ?? null, eTag: object.eTag ?? null, size: object.size ?? null,
          ...(tape ? { issuerId: tape.issuerId, dealId: tape.dealId, fileName: tape.fileName } : {}),
          uploadedAt, receivedAt: now, updatedAt: now,
          ...(tape ? { GSI1PK: key.dealTapes(tape.issuerId, tape.dealId), GSI1SK: dealTapeSortKey(uploadedAt, object, tapeId) } : {}),
          GSI2PK: key.status('RECEIVED'), GSI2SK: `${now}#${tapeId}`,
        },
        ConditionExpression: 'attribute_not_exists(PK)',
      }));
    } catch (e) {
      if (!isConditionFailure(e)) throw e;
      const existing = await this.#getTapeItem(tapeId);
      if (!existing) throw new TapeStateConflict(`tape ${tapeId} exists and vanished while being read`);
      if (existing.runId === runId) return { outcome: 'claimed', status: existing.status };
      return { outcome: 'duplicate', status: existing.status, runId: existing.runId };
    }
    if (tape) await this.#touchDeal(tape, now);
    return { outcome: 'claimed', status: 'RECEIVED' };
  }

  async setStatus(tapeId: string, runId: string, status: 'VALIDATING' | 'EVALUATING' | 'SCORING', now: string, rescore?: RescoreRun): Promise<void> {
    if (!rescore) return this.#transition(tapeId, runId, status, now, {});
    // A re-score leaves the tape SCORED (its current revision stays readable): only the claim moves.
    try {
      await this.#db.send(new UpdateCommand({
        TableName: this.tableName, Key: key.tape(tapeId),
        UpdateExpression: 'SET rescoring.step = :step, updatedAt = :now',
        ConditionExpression: 'rescoring.runId = :run AND rescoring.revision = :rev',
        ExpressionAttributeValues: { ':step': status, ':now': now, ':run': runId, ':rev': rescore.revision },
      }));
    } catch (e) {
      if (!isConditionFailure(e)) throw e;
      throw new TapeStateConflict(`re-score run ${runId} no longer holds tape ${tapeId} (revision ${rescore.revision}); it cannot move it to ${status}`);
    }
  }

  async dealKind(tape: { issuerId: string; dealId: string }): Promise<{ kind: string; tapeId: string | null } | undefined> {
    const item = await this.#get(key.dealKind(tape));
    return item ? { kind: String(item.kind), tapeId: (item.tapeId as string | null | undefined) ?? null } : undefined;
  }

  async declareDealKind(tape: { issuerId: string; dealId: string }, kind: string, tapeId: string | null, now: string): Promise<{ kind: string; tapeId: string | null }> {
    const k = key.dealKind(tape);
    try {
      await this.#db.send(new PutCommand({
        TableName: this.tableName,
        Item: { ...k, type: 'DEAL_KIND', kind, tapeId, createdAt: now },
        ConditionExpression: 'attribute_not_exists(PK)',
      }));
      return { kind, tapeId };
    } catch (e) {
      if (!isConditionFailure(e)) throw e;
    }
    // declared before (never removed): the first declaration stands
    return (await this.dealKind(tape))!;
  }

  async claimContent(tape: TapeKeyParts, sha256: string, tapeId: string, now: string): Promise<{ ownerTapeId: string }> {
    const k = key.content(tape, sha256);
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await this.#db.send(new PutCommand({
          TableName: this.tableName,
          Item: { ...k, type: 'CONTENT', tapeId, sha256, createdAt: now },
          ConditionExpression: 'attribute_not_exists(PK)',
        }));
        return { ownerTapeId: tapeId };
      } catch (e) {
        if (!isConditionFailure(e)) throw e;
      }
      const marker = await this.#get(k);
      if (!marker) continue; // deleted meanwhile: try again
      const owner = String(marker.tapeId);
      if (owner === tapeId) return { ownerTapeId: tapeId };
      const ownerTape = await this.#getTapeItem(owner);
      // The bytes belong to a live or scored tape: this one is a duplicate. A failed owner hands the bytes over.
      if (ownerTape && ownerTape.status !== 'FAILED') return { ownerTapeId: owner };
      try {
        await this.#db.send(new UpdateCommand({
          TableName: this.tableName, Key: k,
          UpdateExpression: 'SET tapeId = :me, createdAt = :now',
          ConditionExpression: 'tapeId = :old',
          ExpressionAttributeValues: { ':me': tapeId, ':old': owner, ':now': now },
        }));
        return { ownerTapeId: tapeId };
      } catch (e) {
        if (!isConditionFailure(e)) throw e;
      }
    }
    throw new TapeStateConflict(`content marker of tape ${tapeId} kept changing; try again`);
  }

  async markDuplicate(tapeId: string, runId: string, ownerTapeId: string, now: string): Promise<void> {
    // Registered on the original first, so that the original's failure finds every duplicate that may exist.
    await this.#db.send(new UpdateCommand({
      TableName: this.tableName,
      Key: key.tape(ownerTapeId),
      UpdateExpression: 'ADD duplicates :me',
      ConditionExpression: 'attribute_exists(PK)',
      ExpressionAttributeValues: { ':me': new Set([tapeId]) },
    }));
    // Leaves the deal's tape list (GSI1 is sparse): "no new tape version".
    await this.#transition(tapeId, runId, 'DUPLICATE', now, { duplicateOf: ownerTapeId }, ['GSI1PK', 'GSI1SK']);
  }

  async failDuplicatesOf(ownerTapeId: string, now: string, eventOf?: (failed: FailedDuplicate) => PipelineEvent): Promise<FailedDuplicate[]> {
    const owner = await this.#getTapeItem(ownerTapeId);
    if (owner?.status !== 'FAILED' || !(owner.duplicates instanceof Set) || !owner.failure) return [];
    const failure = duplicateFailure(ownerTapeId, owner.failure as TapeFailure);
    const failed: FailedDuplicate[] = [];
    for (const tapeId of [...(owner.duplicates as Set<string>)].sort()) {
      const item = await this.#getTapeItem(tapeId);
      if (item?.status !== 'DUPLICATE') continue; // already failed (by the duplicate's own run or an earlier retry), or not one
      const record = toTapeRecord(item);
      const d: FailedDuplicate = {
        tapeId, failure,
        object: { bucket: record.object.bucket, key: record.object.key, versionId: record.object.versionId },
        ...(record.issuerId && record.dealId && record.fileName ? { tape: { issuerId: record.issuerId, dealId: record.dealId, fileName: record.fileName } } : {}),
      };
      const event = eventOf?.(d);
      try {
        await this.#db.send(new UpdateCommand({
          TableName: this.tableName,
          Key: key.tape(tapeId),
          UpdateExpression: `SET #status = :failed, failure = :failure, failedAt = :now, updatedAt = :now, GSI2PK = :g2pk, GSI2SK = :g2sk${event ? ', outbox = :event' : ''}`,
          ConditionExpression: '#status = :duplicate AND duplicateOf = :owner',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':failed': 'FAILED', ':failure': failure, ':now': now, ':g2pk': event ? OUTBOX : key.status('FAILED'), ':g2sk': `${now}#${tapeId}`,
            ':duplicate': 'DUPLICATE', ':owner': ownerTapeId, ...(event ? { ':event': event } : {}),
          },
        }));
        failed.push(d);
      } catch (e) {
        if (!isConditionFailure(e)) throw e; // already failed (by the duplicate's own run or an earlier retry), or not yet a duplicate
      }
    }
    return failed;
  }

  async publishScored(
    tapeId: string, runId: string, result: ScoredResult, now: string, rescore?: RescoreRun,
  ): Promise<boolean> {
    if (rescore) return this.#publishRevision(tapeId, runId, result, now, rescore);
    const outbox = outboxOf(result);
    try {
      await this.#transition(tapeId, runId, 'SCORED', now, {
        summary: result.summary, artifacts: result.artifacts, scoredAt: now, ...(outbox ? { outbox } : {}),
      }, [], outbox ? OUTBOX : undefined);
      return true;
    } catch (e) {
      if (!(e instanceof TapeStateConflict)) throw e;
      const existing = await this.#getTapeItem(tapeId);
      if (existing?.status === 'SCORED' && existing.runId === runId) return false; // a retry after the write succeeded
      throw e;
    }
  }

  async eventPublished(tapeId: string, status: 'SCORED' | 'FAILED' = 'SCORED'): Promise<void> {
    try {
      await this.#db.send(new UpdateCommand({
        TableName: this.tableName,
        Key: key.tape(tapeId),
        UpdateExpression: 'SET GSI2PK = :status REMOVE outbox',
        ConditionExpression: 'attribute_exists(outbox)',
        ExpressionAttributeValues: { ':status': key.status(status) },
      }));
    } catch (e) {
      if (!isConditionFailure(e)) throw e; // already cleared (a retry, or the sweep and a run both published)
    }
  }

  async pendingEvents(options: { scoredBefore: string; limit?: number }): Promise<PendingEvent[]> {
    const out = await this.#db.send(new QueryCommand({
      TableName: this.tableName, IndexName: 'GSI2',
      KeyConditionExpression: 'GSI2PK = :pk AND GSI2SK < :before',
      ExpressionAttributeValues: { ':pk': OUTBOX, ':before': options.scoredBefore },
      Limit: Math.min(Math.max(options.limit ?? 100, 1), 1000),
    }));
    // One event (a tape scored before LoansWatchlisted existed, or an empty watchlist), or the tape's events in order.
    return (out.Items ?? []).filter((i) => i.outbox).flatMap((i) => (Array.isArray(i.outbox) ? i.outbox as PipelineEvent[] : [i.outbox as PipelineEvent]).map((event) => ({ tapeId: String(i.tapeId), event })));
  }

  async recordDealTape(tape: TapeKeyParts, latest: DealLatest, now: string): Promise<void> {
    const sortKey = `${latest.uploadedAt}#${latest.tapeId}`;
    try {
      await this.#db.send(new UpdateCommand({
        TableName: this.tableName,
        Key: key.deal(tape.issuerId, tape.dealId),
        UpdateExpression: 'SET #type = :type, issuerId = :issuer, dealId = :deal, createdAt = if_not_exists(createdAt, :now), updatedAt = :now, latest = :latest, latestSortKey = :sk, GSI2PK = :deals, GSI2SK = :g2',
        // Only moves forward: an older tape scored late does not replace a newer one.
        ConditionExpression: 'attribute_not_exists(latestSortKey) OR latestSortKey <= :sk',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: {
          ':type': 'DEAL', ':issuer': tape.issuerId, ':deal': tape.dealId, ':now': now, ':latest': latest, ':sk': sortKey,
          ':deals': DEALS, ':g2': `${now}#${tape.issuerId}#${tape.dealId}`,
        },
      }));
    } catch (e) {
      if (!isConditionFailure(e)) throw e;
    }
  }

  async markFailed(input: { tapeId: string; runId: string; object: TapeObject; tape?: TapeKeyParts; failure: TapeFailure; now: string; event?: PipelineEvent }): Promise<'failed' | 'not-owner' | TapeStatus> {
    const { tapeId, runId, object, tape, failure, now, event } = input;
    const values: Record<string, unknown> = {
      ':failed': 'FAILED', ':failure': failure, ':now': now, ':run': runId, ':type': 'TAPE', ':id': tapeId,
      ':bucket': object.bucket, ':key': object.key, ':version': object.versionId ?? null, ':etag': object.eTag ?? null, ':size': object.size ?? null,
      // With its TapeFailed owed, the tape waits in the outbox partition until eventPublished.
      ':uploaded': object.eventTime ?? now, ':g2pk': event ? OUTBOX : key.status('FAILED'), ':g2sk': `${now}#${tapeId}`,
      ...(event ? { ':event': event } : {}),
    };
    const sets = [
      ...(event ? ['outbox = :event'] : []),
      '#status = :failed', 'failure = :failure', 'failedAt = :now', 'updatedAt = :now', 'GSI2PK = :g2pk', 'GSI2SK = :g2sk',
      '#type = if_not_exists(#type, :type)', 'tapeId = if_not_exists(tapeId, :id)', 'runId = if_not_exists(runId, :run)',
      '#bucket = if_not_exists(#bucket, :bucket)', '#key = if_not_exists(#key, :key)', 'versionId = if_not_exists(versionId, :version)',
      'eTag = if_not_exists(eTag, :etag)', '#size = if_not_exists(#size, :size)',
      'uploadedAt = if_not_exists(uploadedAt, :uploaded)', 'receivedAt = if_not_exists(receivedAt, :now)',
    ];
    if (tape) {
      Object.assign(values, {
        ':issuer': tape.issuerId, ':deal': tape.dealId, ':file': tape.fileName,
        ':g1pk': key.dealTapes(tape.issuerId, tape.dealId), ':g1sk': dealTapeSortKey(object.eventTime ?? now, object, tapeId),
      });
      sets.push('issuerId = if_not_exists(issuerId, :issuer)', 'dealId = if_not_exists(dealId, :deal)', 'fileName = if_not_exists(fileName, :file)',
        'GSI1PK = if_not_exists(GSI1PK, :g1pk)', 'GSI1SK = if_not_exists(GSI1SK, :g1sk)');
    }
    const active = ACTIVE_STATUSES.map((_, i) => `:a${i}`);
    ACTIVE_STATUSES.forEach((s, i) => (values[`:a${i}`] = s));
    try {
      await this.#db.send(new UpdateCommand({
        TableName: this.tableName,
        Key: key.tape(tapeId),
        UpdateExpression: `SET ${sets.join(', ')}`,
        // A tape nobody claimed yet (the claim itself failed), or this run's tape while still active.
        ConditionExpression: `attribute_not_exists(PK) OR (runId = :run AND #status IN (${active.join(', ')}))`,
        ExpressionAttributeNames: { '#status': 'status', '#type': 'type', '#key': 'key', '#size': 'size', '#bucket': 'bucket' },
        ExpressionAttributeValues: values,
      }));
    } catch (e) {
      if (!isConditionFailure(e)) throw e;
      const existing = await this.#getTapeItem(tapeId);
      if (!existing || existing.runId !== runId) return 'not-owner';
      return existing.status;
    }
    if (tape) await this.#touchDeal(tape, now);
    return 'failed';
  }

  // ---- re-scores ----

  async claimRescore(input: { tapeId: string; runId: string; jobId: string | null; now: string; leaseMs: number }): Promise<RescoreClaim> {
    const { tapeId, runId, jobId, now, leaseMs } = input;
    const item = await this.#getTapeItem(tapeId);
    if (!item) return { outcome: 'skipped', reason: `tape ${tapeId} does not exist` };
    const tape = toTapeRecord(item);
    if (tape.status !== 'SCORED' || !tape.summary || !tape.issuerId || !tape.dealId || !tape.fileName) {
      return { outcome: 'skipped', reason: `tape ${tapeId} is ${tape.status}; only SCORED tapes are re-scored` };
    }
    const view = {
      tapeId,
      tape: { issuerId: tape.issuerId, dealId: tape.dealId, fileName: tape.fileName },
      object: { bucket: tape.object.bucket, key: tape.object.key, versionId: tape.object.versionId, size: tape.object.size, eventTime: tape.uploadedAt },
      summary: tape.summary,
    };
    const held = tape.rescoring;
    if (held?.runId === runId) return { outcome: 'claimed', revision: held.revision, tape: view };
    if (held && Date.parse(held.startedAt) > Date.parse(now) - leaseMs) {
      return { outcome: 'skipped', reason: `tape ${tapeId} is being re-scored (revision ${held.revision}, since ${held.startedAt})` };
    }
    const revision = (tape.revision ?? 1) + 1;
    try {
      await this.#db.send(new UpdateCommand({
        TableName: this.tableName, Key: key.tape(tapeId),
        UpdateExpression: 'SET rescoring = :claim, updatedAt = :now',
        // Still the SCORED revision read above, and no live claim (or the stale one read above).
        ConditionExpression: `#status = :scored AND scoredAt = :scoredAt AND ${held ? 'rescoring.runId = :held' : 'attribute_not_exists(rescoring)'}`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':claim': { runId, jobId, revision, step: 'CLAIMED', startedAt: now }, ':now': now, ':scored': 'SCORED', ':scoredAt': tape.scoredAt,
          ...(held ? { ':held': held.runId } : {}),
        },
      }));
    } catch (e) {
      if (!isConditionFailure(e)) throw e;
      return { outcome: 'skipped', reason: `tape ${tapeId} changed while being claimed (another re-score took it)` };
    }
    return { outcome: 'claimed', revision, tape: view };
  }

  async releaseRescore(tapeId: string, runId: string, failure: TapeFailure, now: string): Promise<boolean> {
    try {
      await this.#db.send(new UpdateCommand({
        TableName: this.tableName, Key: key.tape(tapeId),
        UpdateExpression: 'SET lastRescoreFailure = :failure, updatedAt = :now REMOVE rescoring',
        ConditionExpression: 'rescoring.runId = :run',
        ExpressionAttributeValues: { ':failure': { ...failure, failedAt: now }, ':now': now, ':run': runId },
      }));
      return true;
    } catch (e) {
      if (!isConditionFailure(e)) throw e;
      return false;
    }
  }

  async createRescoreJob(job: { jobId: string; scope: RescoreScope; requestedBy: string; now: string }): Promise<RescoreJobRecord> {
    const record: RescoreJobRecord = {
      jobId: job.jobId, scope: job.scope, status: 'RUNNING', total: null, done: 0, scored: 0, failed: 0, skipped: 0,
      requestedBy: job.requestedBy, createdAt: job.now, updatedAt: job.now,
    };
    await this.#db.send(new PutCommand({
      TableName: this.tableName,
      Item: { ...key.rescoreJob(job.jobId), type: 'RESCORE_JOB', ...record },
      ConditionExpression: 'attribute_not_exists(PK)',
    }));
    return record;
  }

  async getRescoreJob(jobId: string): Promise<RescoreJobRecord | undefined> {
    const item = await this.#get(key.rescoreJob(jobId));
    return item ? (strip(item) as unknown as RescoreJobRecord) : undefined;
  }

  async setRescoreJobTotal(jobId: string, total: number, now: string): Promise<void> {
    await this.#db.send(new UpdateCommand({
      TableName: this.tableName, Key: key.rescoreJob(jobId),
      UpdateExpression: `SET #total = :total, updatedAt = :now${total === 0 ? ', #status = :done, finishedAt = :now' : ''}`,
      ConditionExpression: 'attribute_exists(PK)',
      ExpressionAttributeNames: { '#total': 'total', ...(total === 0 ? { '#status': 'status' } : {}) },
      ExpressionAttributeValues: { ':total': total, ':now': now, ...(total === 0 ? { ':done': 'DONE' } : {}) },
    }));
  }

  async countRescoreItem(jobId: string, tapeId: string, outcome: RescoreItemOutcome, now: string): Promise<void> {
    // One marker per tape and job makes the count idempotent across retries of the counting step.
    try {
      await this.#db.send(new PutCommand({
        TableName: this.tableName,
        Item: { ...key.rescoreItem(jobId, tapeId), type: 'RESCORE_ITEM', jobId, tapeId, outcome, countedAt: now },
        ConditionExpression: 'attribute_not_exists(PK)',
      }));
    } catch (e) {
      if (!isConditionFailure(e)) throw e;
      return;
    }
    const out = await this.#db.send(new UpdateCommand({
      TableName: this.tableName, Key: key.rescoreJob(jobId),
      UpdateExpression: 'ADD done :one, #outcome :one SET updatedAt = :now',
      ExpressionAttributeNames: { '#outcome': outcome },
      ExpressionAttributeValues: { ':one': 1, ':now': now },
      ReturnValues: 'ALL_NEW',
    }));
    const job = out.Attributes as { total?: number | null; done?: number } | undefined;
    if (typeof job?.total === 'number' && (job.done ?? 0) >= job.total) await this.finishRescoreJob(jobId, now);
  }

  async finishRescoreJob(jobId: string, now: string): Promise<void> {
    await this.#db.send(new UpdateCommand({
      TableName: this.tableName, Key: key.rescoreJob(jobId),
      UpdateExpression: 'SET #status = :done, finishedAt = if_not_exists(finishedAt, :now), updatedAt = :now',
      ConditionExpression: 'attribute_exists(PK)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':done': 'DONE', ':now': now },
    }));
  }

  async listRescoreTapes(scope: RescoreScope): Promise<string[]> {
    if ('tapeId' in scope) return [scope.tapeId];
    if ('dealId' in scope) {
      const deal = await this.getDeal(scope.issuerId, scope.dealId);
      return deal?.latest ? [deal.latest.tapeId] : [];
    }
    const tapeIds: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.listDeals({ limit: 1000, ...(cursor ? { cursor } : {}) });
      for (const deal of page.items) if (deal.latest) tapeIds.push(deal.latest.tapeId);
      cursor = page.cursor;
    } while (cursor);
    return tapeIds;
  }

  /** A re-score's final write: the new revision current, the previous one listed, the claim released. */
  async #publishRevision(
    tapeId: string, runId: string, result: ScoredResult, now: string, rescore: RescoreRun,
  ): Promise<boolean> {
    const outbox = outboxOf(result);
    const item = await this.#getTapeItem(tapeId);
    const tape = item ? toTapeRecord(item) : undefined;
    if (tape && (tape.revision ?? 1) === rescore.revision && item?.lastRescoreRunId === runId) return false; // a retry after the write succeeded
    if (!tape || tape.status !== 'SCORED' || tape.rescoring?.runId !== runId || tape.rescoring.revision !== rescore.revision || !tape.summary || !tape.artifacts || !tape.scoredAt) {
      throw new TapeStateConflict(`re-score run ${runId} no longer holds tape ${tapeId} (revision ${rescore.revision}); it cannot publish`);
    }
    const previous: TapeRevisionRecord = { revision: tape.revision ?? 1, scoredAt: tape.scoredAt, summary: tape.summary, artifacts: tape.artifacts };
    try {
      await this.#db.send(new UpdateCommand({
        TableName: this.tableName, Key: key.tape(tapeId),
        UpdateExpression: 'SET summary = :summary, artifacts = :artifacts, scoredAt = :now, updatedAt = :now, revision = :rev, lastRescoreRunId = :run, '
          + 'revisions = list_append(if_not_exists(revisions, :empty), :previous)'
          // The revision's TapeScored waits in the outbox (as a first scoring's does) until eventPublished.
          + (outbox ? ', outbox = :event, GSI2PK = :outbox, GSI2SK = :g2sk' : '')
          + ' REMOVE rescoring, lastRescoreFailure',
        ConditionExpression: '#status = :scored AND rescoring.runId = :run AND rescoring.revision = :rev',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':summary': result.summary, ':artifacts': result.artifacts, ':now': now, ':rev': rescore.revision, ':run': runId,
          ':empty': [], ':previous': [previous], ':scored': 'SCORED',
          ...(outbox ? { ':event': outbox, ':outbox': OUTBOX, ':g2sk': `${now}#${tapeId}` } : {}),
        },
      }));
    } catch (e) {
      if (!isConditionFailure(e)) throw e;
      throw new TapeStateConflict(`re-score run ${runId} lost tape ${tapeId} before publishing revision ${rescore.revision}`);
    }
    return true;
  }

  // ---- reads (the API, the local runner) ----

  /** Tape by id (strongly consistent). */
  async getTape(tapeId: string): Promise<TapeRecord | undefined> {
    const item = await this.#getTapeItem(tapeId);
    return item ? toTapeRecord(item) : undefined;
  }

  /** A deal's tapes, newest upload first (duplicates of earlier content are not listed). */
  async listTapesByDeal(issuerId: string, dealId: string, page: PageOptions = {}): Promise<Page<TapeRecord>> {
    return this.#query({
      IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': key.dealTapes(issuerId, dealId) }, ScanIndexForward: false,
    }, page, toTapeRecord);
  }

  /** An issuer's deals, by deal id. */
  async listDealsByIssuer(issuerId: string, page: PageOptions = {}): Promise<Page<DealRecord>> {
    return this.#query({
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :deal)',
      ExpressionAttributeValues: { ':pk': `ISSUER#${issuerId}`, ':deal': 'DEAL#' }, ConsistentRead: true,
    }, page, toDealRecord);
  }

  /** Every deal, most recently active first (reviewers). */
  async listDeals(page: PageOptions = {}): Promise<Page<DealRecord>> {
    return this.#query({
      IndexName: 'GSI2', KeyConditionExpression: 'GSI2PK = :pk',
      ExpressionAttributeValues: { ':pk': DEALS }, ScanIndexForward: false,
    }, page, toDealRecord);
  }

  async getDeal(issuerId: string, dealId: string): Promise<DealRecord | undefined> {
    const item = await this.#get(key.deal(issuerId, dealId));
    return item ? toDealRecord(item) : undefined;
  }

  /** Tapes in one status, most recently changed first (e.g. non-final ones after a restart). */
  async listTapesByStatus(status: TapeStatus, page: PageOptions = {}): Promise<Page<TapeRecord>> {
    return this.#query({
      IndexName: 'GSI2', KeyConditionExpression: 'GSI2PK = :pk',
      ExpressionAttributeValues: { ':pk': key.status(status) }, ScanIndexForward: false,
    }, page, toTapeRecord);
  }

  // ---- internals ----

  async #transition(
    tapeId: string, runId: string, to: keyof typeof ALLOWED_FROM, now: string, fields: Record<string, unknown>, remove: string[] = [],
    statusIndex: string = key.status(to),
  ): Promise<void> {
    const from = ALLOWED_FROM[to];
    const values: Record<string, unknown> = { ':to': to, ':now': now, ':run': runId, ':g2pk': statusIndex, ':g2sk': `${now}#${tapeId}` };
    from.forEach((s, i) => (values[`:f${i}`] = s));
    const sets = ['#status = :to', 'updatedAt = :now', 'GSI2PK = :g2pk', 'GSI2SK = :g2sk'];
    for (const [name, value] of Object.entries(fields)) {
      values[`:${name}`] = value;
      sets.push(`${name} = :${name}`);
    }
    try {
      await this.#db.send(new UpdateCommand({
        TableName: this.tableName,
        Key: key.tape(tapeId),
        UpdateExpression: `SET ${sets.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
        ConditionExpression: `runId = :run AND #status IN (${from.map((_, i) => `:f${i}`).join(', ')})`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: values,
      }));
    } catch (e) {
      if (!isConditionFailure(e)) throw e;
      const existing = await this.#getTapeItem(tapeId);
      throw new TapeStateConflict(existing
        ? `tape ${tapeId} is ${existing.status} and owned by run ${existing.runId}; run ${runId} cannot move it to ${to}`
        : `tape ${tapeId} does not exist; run ${runId} cannot move it to ${to}`);
    }
  }

  async #touchDeal(tape: TapeKeyParts, now: string): Promise<void> {
    await this.#db.send(new UpdateCommand({
      TableName: this.tableName,
      Key: key.deal(tape.issuerId, tape.dealId),
      UpdateExpression: 'SET #type = :type, issuerId = :issuer, dealId = :deal, createdAt = if_not_exists(createdAt, :now), updatedAt = :now, GSI2PK = :deals, GSI2SK = :g2',
      ExpressionAttributeNames: { '#type': 'type' },
      ExpressionAttributeValues: { ':type': 'DEAL', ':issuer': tape.issuerId, ':deal': tape.dealId, ':now': now, ':deals': DEALS, ':g2': `${now}#${tape.issuerId}#${tape.dealId}` },
    }));
  }

  async #getTapeItem(tapeId: string): Promise<(Record<string, unknown> & { status: TapeStatus; runId: string }) | undefined> {
    return (await this.#get(key.tape(tapeId))) as (Record<string, unknown> & { status: TapeStatus; runId: string }) | undefined;
  }

  async #get(k: { PK: string; SK: string }): Promise<Record<string, unknown> | undefined> {
    const out = await this.#db.send(new GetCommand({ TableName: this.tableName, Key: k, ConsistentRead: true }));
    return out.Item;
  }

  async #query<T>(input: Omit<QueryCommandInput, 'TableName'>, page: PageOptions, map: (item: Record<string, unknown>) => T): Promise<Page<T>> {
    const out = await this.#db.send(new QueryCommand({
      TableName: this.tableName,
      ...input,
      Limit: Math.min(Math.max(page.limit ?? 50, 1), 1000),
      ...(page.cursor ? { ExclusiveStartKey: decodeCursor(page.cursor) } : {}),
    }));
    return {
      items: (out.Items ?? []).map(map),
      ...(out.LastEvaluatedKey ? { cursor: encodeCursor(out.LastEvaluatedKey) } : {}),
    };
  }
}

/** What a scored tape's outbox holds: its event alone (as before LoansWatchlisted), or its events in order. */
function outboxOf(result: ScoredResult): PipelineEvent | PipelineEvent[] | undefined {
  if (!result.event) return undefined;
  return result.followingEvents?.length ? [result.event, ...result.followingEvents] : result.event;
}

/**
 * Creates the results table in an emulator when it does not exist yet, and waits until it is
 * ACTIVE (the local stack and tests; in AWS the stack owns the table).
 */
export async function ensureResultsTable(client: DynamoDBClient | DynamoDBDocumentClient, tableName: string, timeoutMs = 10_000): Promise<void> {
  const send = client.send.bind(client) as (command: unknown) => Promise<{ Table?: { TableStatus?: string } }>;
  const status = async () => {
    try {
      return (await send(new DescribeTableCommand({ TableName: tableName }))).Table?.TableStatus;
    } catch (e) {
      if ((e as { name?: string }).name === 'ResourceNotFoundException') return undefined;
      throw e;
    }
  };
  if ((await status()) === undefined) {
    try {
      await send(new CreateTableCommand(createTableInput(tableName)));
    } catch (e) {
      if ((e as { name?: string }).name !== 'ResourceInUseException') throw e;
    }
  }
  const deadline = Date.now() + timeoutMs;
  while ((await status()) !== 'ACTIVE') {
    if (Date.now() > deadline) throw new Error(`table ${tableName} did not become ACTIVE within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function toTapeRecord(item: Record<string, unknown>): TapeRecord {
  const rest = strip(item);
  return {
    ...rest,
    object: {
      bucket: String(item.bucket), key: String(item.key),
      versionId: (item.versionId as string | null | undefined) ?? null, size: (item.size as number | null | undefined) ?? null,
    },
  } as unknown as TapeRecord;
}

function toDealRecord(item: Record<string, unknown>): DealRecord {
  return strip(item) as unknown as DealRecord;
}

function strip(item: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) if (!INTERNAL_ATTRIBUTES.includes(k)) out[k] = v;
  return out;
}

function isConditionFailure(e: unknown): boolean {
  return (e as { name?: string }).name === 'ConditionalCheckFailedException';
}

function encodeCursor(k: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(k)).toString('base64url');
}

function decodeCursor(cursor: string): Record<string, unknown> {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new RangeError('cursor is not one this API returned; start again without it');
}
