/**
 * The Lambda entry points as Step Functions calls them — state in, state out, errors as Lambda
 * reports them — with their ports built from the environment and pointed at the emulators.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTape, toCsv } from '../../bench/tape-generator.ts';
import { LOCAL_TABLE_NAME } from '../../functions/aws/table-definition.ts';
import type { PipelineState } from '../../functions/pipeline/state.ts';
import { BUCKET, startEmbeddedAws, type EmbeddedAws } from './support/embedded-aws.ts';

type Handler = (event: PipelineState, context?: Context) => Promise<PipelineState & Record<string, unknown>>;
let aws: EmbeddedAws;
const handlers: Record<string, Handler> = {};
let api: (event: APIGatewayProxyEventV2) => Promise<{ statusCode?: number; body?: string; headers?: Record<string, unknown> }>;
const context = { functionName: 'test', awsRequestId: 'req-1', getRemainingTimeInMillis: () => 60_000 } as unknown as Context;

beforeAll(async () => {
  aws = await startEmbeddedAws();
  const endpoint = async (c: { config: { endpoint?: () => Promise<{ hostname: string; port?: number }> } }) => {
    const e = await c.config.endpoint!();
    return `http://${e.hostname}:${e.port}`;
  };
  Object.assign(process.env, {
    DMBS_BUCKET: BUCKET,
    DMBS_TABLE: LOCAL_TABLE_NAME,
    DMBS_S3_ENDPOINT: await endpoint(aws.clients.s3 as never),
    DMBS_DYNAMODB_ENDPOINT: await endpoint(aws.clients.dynamoDb as never),
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_REGION: 'us-east-1',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
  // The handlers build their ports at first use, from the environment set above.
  for (const name of ['validate', 'evaluate', 'score', 'publish', 'fail', 'rescore-list', 'rescore-claim', 'rescore-publish', 'rescore-fail', 'rescore-finish']) {
    handlers[name] = ((await import(`../../functions/handlers/${name}.ts`)) as { handler: Handler }).handler;
  }
  api = ((await import('../../functions/handlers/api.ts')) as { handler: typeof api }).handler;
});
afterAll(async () => {
  await aws?.stop();
});

/** What the state machine's Receive state hands the first task: the input transformer's object and the execution name. */
async function received(key: string, body: string | Uint8Array, runId: string): Promise<PipelineState> {
  const put = await aws.clients.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
  return { object: { bucket: BUCKET, key, versionId: '', eTag: `${put.ETag}`, size: body.length, sequencer: '', eventTime: '2026-11-25T10:00:00Z' }, runId };
}

/** What Step Functions' Catch puts at $.error for an error a Lambda function threw. */
function caught(e: unknown) {
  const error = e as Error;
  return { Error: error.name, Cause: JSON.stringify({ errorType: error.name, errorMessage: error.message, trace: (error.stack ?? '').split('\n') }) };
}

describe('re-score handlers, as the Distributed Map calls them', () => {
  it('list → (claim → evaluate → score → publish per item) → finish: a new revision and the job DONE', async () => {
    let state = await received('incoming/hcorp/deal-r/tape.csv', toCsv(generateTape({ rows: 50, seed: 19 }).rows), 'exec-first');
    for (const name of ['validate', 'evaluate', 'score', 'publish']) state = await handlers[name]!(state, context);
    const tapeId = state.tapeId!;
    const jobId = 'a'.repeat(32);
    await aws.results.createRescoreJob({ jobId, scope: { issuerId: 'hcorp', dealId: 'deal-r' }, requestedBy: 'test', now: new Date().toISOString() });
    const run = handlers as unknown as Record<string, (event: unknown, context?: Context) => Promise<Record<string, unknown>>>;
    const list = await run['rescore-list']!({ jobId, scope: { issuerId: 'hcorp', dealId: 'deal-r' } }, context);
    expect(list).toMatchObject({ jobId, total: 1, itemsKey: `rescores/${jobId}/tapes.json` });
    const items = await aws.ports.store.getJson<Array<{ tapeId: string }>>(String(list.itemsKey));
    expect(items).toEqual([{ tapeId }]);
    // The Map's ItemSelector: the item's tapeId, the job id, a run id per item.
    let item = await run['rescore-claim']!({ tapeId, jobId, runId: 'exec-rescore-0' }, context) as unknown as PipelineState;
    expect(item.rescore).toEqual({ revision: 2, jobId });
    for (const name of ['evaluate', 'score']) item = await handlers[name]!(item, context);
    item = await run['rescore-publish']!(item, context) as unknown as PipelineState;
    expect(JSON.stringify(item).length, 'state stays small').toBeLessThan(8 * 1024);
    await run['rescore-finish']!(list, context);
    expect(await aws.results.getTape(tapeId)).toMatchObject({ status: 'SCORED', revision: 2, revisions: [{ revision: 1 }] });
    expect(await aws.results.getRescoreJob(jobId)).toMatchObject({ status: 'DONE', total: 1, done: 1, scored: 1 });
  });
});

describe('step handlers', () => {
  it('validate → evaluate → score → publish: the tape is SCORED', async () => {
    let state = await received('incoming/hcorp/deal-1/tape.csv', toCsv(generateTape({ rows: 200, seed: 9, brokenShare: 0.05 }).rows), 'exec-ok');
    for (const name of ['validate', 'evaluate', 'score', 'publish']) {
      state = await handlers[name]!(state, context);
      expect(JSON.stringify(state).length, 'state stays small').toBeLessThan(8 * 1024);
    }
    expect(await aws.results.getTape(state.tapeId!)).toMatchObject({ status: 'SCORED', summary: { rowCount: 200 } });
  });

  it('a user error is returned (no Lambda error) as $.error DmbsUserError "CODE: message"; the failure handler records the reason', async () => {
    const state = await received('incoming/hcorp/deal-1/empty.csv', new Uint8Array(0), 'exec-empty');
    const rejected = await handlers.validate!(state, context);
    expect(rejected.error).toEqual({
      Error: 'DmbsUserError',
      Cause: JSON.stringify({ errorType: 'DmbsUserError', errorMessage: 'TAPE_EMPTY: the file is empty; a tape needs a header row and one row per loan' }),
    });
    expect(rejected.object).toEqual(state.object);
    // the state machine's Choice hands this result, as is, to MarkFailed
    const out = await handlers.fail!(rejected, context);
    expect(out).toMatchObject({ outcome: 'failed', failure: { code: 'TAPE_EMPTY', userError: true } });
    expect(await aws.results.getTape(out.tapeId!)).toMatchObject({ status: 'FAILED', failure: { message: 'the file is empty; a tape needs a header row and one row per loan' } });
  });

  it('an internal error is still thrown (Step Functions retries it, then its Catch runs the failure handler)', async () => {
    const state = await received('incoming/hcorp/deal-3/tape.csv', 'loanId\n', 'exec-internal');
    const error = await handlers.evaluate!(state, context).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/before validate finished/);
    const out = await handlers.fail!({ ...state, error: caught(error) }, context);
    expect(out).toMatchObject({ outcome: 'failed', failure: { code: 'INTERNAL', userError: false } });
  });

  it('a Lambda time-out is failed with advice, not retried as if transient', async () => {
    const state = await received('incoming/hcorp/deal-2/big.csv', 'loanId\n', 'exec-timeout');
    const out = await handlers.fail!({ ...state, error: { Error: 'Sandbox.Timedout', Cause: '{"errorMessage":"Task timed out after 900.00 seconds"}' } }, context);
    expect(out).toMatchObject({ outcome: 'failed', failure: { code: 'TIMEOUT', userError: false } });
    expect((out.failure as { message: string }).message).toMatch(/Split it into smaller tapes/);
  });
});

describe('api handler (the Hono app behind its Lambda adapter)', () => {
  const request = (method: string, path: string, claims?: Record<string, string>) => ({
    version: '2.0', routeKey: '$default', rawPath: path, rawQueryString: '', isBase64Encoded: false, body: null,
    headers: { host: 'api.example', ...(claims ? { authorization: 'Bearer jwt' } : {}) },
    requestContext: {
      accountId: '1', apiId: 'a', domainName: 'api.example', domainPrefix: 'api', requestId: 'r', routeKey: '$default', stage: '$default',
      time: '', timeEpoch: 0, http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      ...(claims ? { authorizer: { jwt: { claims, scopes: null } } } : {}),
    },
  }) as unknown as APIGatewayProxyEventV2;

  it('GET /health answers 200 JSON', async () => {
    const res = await api(request('GET', '/health'));
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body!)).toMatchObject({ status: 'ok' });
  });

  it('serves the OpenAPI document without a token and refuses /v1 without claims (problem+json 401)', async () => {
    expect((await api(request('GET', '/openapi.json'))).statusCode).toBe(200);
    const res = await api(request('GET', '/v1/deals'));
    expect(res.statusCode).toBe(401);
    expect(String(res.headers?.['content-type'])).toMatch(/application\/problem\+json/);
  });

  it('a reviewer with JWT claims lists deals', async () => {
    const res = await api(request('GET', '/v1/deals', { sub: 'u1', 'cognito:groups': '[reviewer]' }));
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body!)).toHaveProperty('items');
  });
});
