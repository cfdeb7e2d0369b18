/**
 * The market view's DynamoDB side, in the results table (no new index; docs/aws.md "DynamoDB"):
 * - per scored tape `MARKET#DEAL#{issuerId}#{dealId}` / `TAPE#{reportingDate}#{uploadedAt}#{tapeId}`:
 *   a deal's tapes in (reportingDate, upload) order, so "latest on or before asOf" is one Query
 *   of one deal, descending, Limit 1;
 * - per deal `MARKET#LATEST` / `DEAL#{issuerId}#{dealId}`: its latest tape, moved only forward by a
 *   conditional write; the market view reads this one partition, never old versions;
 * - per DMBX series `DMBX#SERIES` / `SERIES#{name}`: created with attribute_not_exists (immutable),
 *   the document gzip-compressed in `body` (series lists can be long; an item holds 400 KB).
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DmbxSeries, DmbxSeriesSummary } from '../core/market/types.ts';
import { byDeal, tapeOrder } from '../market/memory-stores.ts';
import type { IndexedTape, LatestTapeIndex, SeriesStore } from '../market/ports.ts';

const LATEST = 'MARKET#LATEST';
const SERIES = 'DMBX#SERIES';
const dealTapes = (t: Pick<IndexedTape, 'issuerId' | 'dealId'>) => `MARKET#DEAL#${t.issuerId}#${t.dealId}`;
const dealSk = (t: Pick<IndexedTape, 'issuerId' | 'dealId'>) => `DEAL#${t.issuerId}#${t.dealId}`;
/** Largest compressed series document stored (the item limit is 400 KB). */
const MAX_SERIES_BYTES = 350_000;
/** Deals whose latest tape is after `asOf` looked up at once. */
const AS_OF_CONCURRENCY = 16;

function isConditionFailure(e: unknown): boolean {
  return (e as { name?: string }).name === 'ConditionalCheckFailedException';
}

function indexedTape(item: Record<string, unknown> | undefined): IndexedTape | undefined {
  return item?.tape as IndexedTape | undefined;
}

export class DynamoLatestTapeIndex implements LatestTapeIndex {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(options: { client: DynamoDBDocumentClient; tableName: string }) {
    this.#db = options.client;
    this.#table = options.tableName;
  }

  async record(tape: IndexedTape): Promise<void> {
    const order = tapeOrder(tape);
    await this.#db.send(new PutCommand({
      TableName: this.#table,
      Item: { PK: dealTapes(tape), SK: `TAPE#${order}`, type: 'MARKET_TAPE', tape },
    }));
    try {
      await this.#db.send(new UpdateCommand({
        TableName: this.#table,
        Key: { PK: LATEST, SK: dealSk(tape) },
        UpdateExpression: 'SET #type = :type, #order = :order, tape = :tape',
        // Only forward: an older reportingDate (or an earlier upload of the same date) never replaces it; the same tape re-scored does.
        ConditionExpression: 'attribute_not_exists(#order) OR #order <= :order',
        ExpressionAttributeNames: { '#type': 'type', '#order': 'order' },
        ExpressionAttributeValues: { ':type': 'MARKET_LATEST', ':order': order, ':tape': tape },
      }));
    } catch (e) {
      if (!isConditionFailure(e)) throw e;
    }
  }

  async latest(asOf?: string): Promise<IndexedTape[]> {
    const latest: IndexedTape[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.#db.send(new QueryCommand({
        TableName: this.#table, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': LATEST }, ...(start ? { ExclusiveStartKey: start } : {}),
      }));
      for (const item of page.Items ?? []) {
        const t = indexedTape(item);
        if (t) latest.push(t);
      }
      start = page.LastEvaluatedKey;
    } while (start);
    if (asOf === undefined) return latest.sort(byDeal);
    const out = latest.filter((t) => t.reportingDate <= asOf);
    const older = latest.filter((t) => t.reportingDate > asOf);
    for (let i = 0; i < older.length; i += AS_OF_CONCURRENCY) {
      const found = await Promise.all(older.slice(i, i + AS_OF_CONCURRENCY).map((t) => this.#latestOnOrBefore(t, asOf)));
      for (const t of found) if (t) out.push(t);
    }
    return out.sort(byDeal);
  }

  async #latestOnOrBefore(deal: Pick<IndexedTape, 'issuerId' | 'dealId'>, asOf: string): Promise<IndexedTape | undefined> {
    const page = await this.#db.send(new QueryCommand({
      TableName: this.#table,
      // Every sort key of a tape dated asOf is below `TAPE#{asOf}#~` ('~' sorts after the ISO time's digits and letters).
      KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': dealTapes(deal), ':from': 'TAPE#', ':to': `TAPE#${asOf}#~` },
      ScanIndexForward: false,
      Limit: 1,
    }));
    return indexedTape(page.Items?.[0]);
  }
}

export class DynamoSeriesStore implements SeriesStore {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(options: { client: DynamoDBDocumentClient; tableName: string }) {
    this.#db = options.client;
    this.#table = options.tableName;
  }

  async create(series: DmbxSeries): Promise<boolean> {
    const body = gzipSync(JSON.stringify(series));
    if (body.length > MAX_SERIES_BYTES) throw new Error(`DMBX series ${series.name} is ${body.length} bytes compressed, over the ${MAX_SERIES_BYTES} a table item holds`);
    try {
      await this.#db.send(new PutCommand({
        TableName: this.#table,
        Item: { PK: SERIES, SK: `SERIES#${series.name}`, type: 'DMBX_SERIES', name: series.name, asOf: series.asOf, createdAt: series.createdAt, dealCount: series.deals.length, body },
        ConditionExpression: 'attribute_not_exists(PK)',
      }));
      return true;
    } catch (e) {
      if (isConditionFailure(e)) return false;
      throw e;
    }
  }

  async get(name: string): Promise<DmbxSeries | undefined> {
    const out = await this.#db.send(new GetCommand({ TableName: this.#table, Key: { PK: SERIES, SK: `SERIES#${name}` } }));
    const body = out.Item?.body as Uint8Array | undefined;
    return body ? (JSON.parse(gunzipSync(body).toString('utf8')) as DmbxSeries) : undefined;
  }

  async list(q: { limit: number; cursor?: string }): Promise<{ items: DmbxSeriesSummary[]; cursor?: string }> {
    const page = await this.#db.send(new QueryCommand({
      TableName: this.#table,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': SERIES },
      ExpressionAttributeNames: { '#name': 'name' },
      ProjectionExpression: 'PK, SK, #name, asOf, createdAt, dealCount',
      Limit: q.limit,
      ...(q.cursor ? { ExclusiveStartKey: { PK: SERIES, SK: `SERIES#${q.cursor}` } } : {}),
    }));
    const items = (page.Items ?? []).map((i) => ({ name: String(i.name), asOf: String(i.asOf), createdAt: String(i.createdAt), dealCount: Number(i.dealCount) }));
    return { items, ...(page.LastEvaluatedKey && items.length > 0 ? { cursor: items.at(-1)!.name } : {}) };
  }
}
