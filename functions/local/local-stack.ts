/**
 * The whole product on one machine, in one process: DynamoDB (dynalite) and S3 (s3rver, with
 * object versions) persisted under the data directory, the table created from the stack's own
 * definition, the local runner walking the pipeline's step list for every upload, recovery of
 * what an earlier process left, and the API with the reviewers' page. Everything binds 127.0.0.1.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getHeapStatistics } from 'node:v8';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { DescribeTableCommand, type DescribeTableCommandOutput } from '@aws-sdk/client-dynamodb';
import { serveApi, type RunningApi } from '../api/node-server.ts';
import type { ApiLog, ApiOptions, StaticAssets } from '../api/ports.ts';
import { createDiskAssets } from '../api/static-assets.ts';
import { createAwsClients, destroyAwsClients, type AwsClients } from '../aws/clients.ts';
import type { S3NotificationRecord } from '../aws/object-created.ts';
import { DynamoResultsRepository, ensureResultsTable } from '../aws/results-repository.ts';
import { DynamoLatestTapeIndex, DynamoSeriesStore } from '../aws/market-index.ts';
import { createMarketService, type MarketService } from '../market/market-service.ts';
import { DuckDbEngine, LocalAnalyticsCache } from './duckdb-engine.ts';
import { S3TapeStore } from '../aws/s3-tape-store.ts';
import { LOCAL_TABLE_NAME } from '../aws/table-definition.ts';
import { sweepEventOutbox, type SweepResult } from '../pipeline/event-outbox.ts';
import type { PipelinePorts } from '../pipeline/ports.ts';
import { AttemptLog } from './attempts.ts';
import type { TapeObject } from '../pipeline/state.ts';
import type { StepInvoker } from '../pipeline/step-invoker.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { EMULATOR_CREDENTIALS, startDynamoDbEmulator, startS3Emulator } from './emulators.ts';
import { EventLogPublisher } from './event-log.ts';
import { ensureLocalKeys, type CreatedKeys } from './local-keys.ts';
import { dataPaths, LOCAL_BUCKET, LOCAL_DEFAULTS } from './local-config.ts';
import { createLocalRescores } from './local-rescores.ts';
import { LocalRunner, type RunResult } from './local-runner.ts';
import { recoverTapes, type RecoveryReport } from './recovery.ts';
import { isUploadKey } from './s3rver-notifications.ts';
import { ObjectVersions } from './s3-versioning.ts';

export type LocalLog = (level: 'debug' | 'info' | 'warn' | 'error', message: string, data?: Record<string, unknown>) => void;

export interface LocalStackOptions {
  /** Absolute path of the data directory (created when missing). */
  readonly dataDir: string;
  /** Ports; 0 picks a free one. Defaults: 3000, 4568, 4567. */
  readonly apiPort?: number;
  readonly s3Port?: number;
  readonly dynamoDbPort?: number;
  /** Tapes processed at once (default 4); fewer when the heap cannot hold that many `tapeMemoryMb`. */
  readonly concurrency?: number;
  /** Memory one tape may take, in MB (default 256): bounds an XLSX's shared strings (`tapeLimits`) and the concurrency. */
  readonly tapeMemoryMb?: number;
  /** New uploads waiting in memory at most (default 1,000); the rest wait in the version inbox on disk. */
  readonly maxQueued?: number;
  /** Replace keys.json with new random keys before starting. */
  readonly rotateKeys?: boolean;
  /** Issuers given a key when keys.json is written (default: DEMO_ISSUER_ID). */
  readonly issuerIds?: readonly string[];
  /** False: uploads are queued but not processed until `runner.start()` (tests of recovery). Default true. */
  readonly startRunner?: boolean;
  /** Waits between step retries (tests pass a fast one). */
  readonly retrySleep?: (ms: number) => Promise<void>;
  /**
   * Wraps the pipeline's ports (S3 store, results repository, event publisher) before the runner
   * uses them: fault-injection tests make an adapter call fail here, e.g. the nth S3 put.
   */
  readonly wrapPorts?: (ports: PipelinePorts) => PipelinePorts;
  /** The API's options (tests switch on the large-response redirect with `maxResponseBytes`, as on AWS). */
  readonly apiOptions?: ApiOptions;
  /** The step port the runner calls steps through: fault injection (e.g. `throttleFirstCalls`). */
  readonly invokeStep?: StepInvoker;
  /** Seconds between outbox sweeps (events a run could not publish); default 60, 0: only at start. */
  readonly eventSweepSeconds?: number;
  /** Serve the reviewers' page (default true). */
  readonly webPage?: boolean;
  /** Log lines; silent when absent. */
  readonly log?: LocalLog;
  /** Every finished run (tests, the demo seeder, the console). */
  readonly onRun?: (result: RunResult) => void;
}

export interface LocalStack {
  readonly endpoints: { readonly api: string; readonly s3: string; readonly dynamoDb: string };
  readonly dataDir: string;
  readonly bucket: string;
  readonly tableName: string;
  readonly keysFile: string;
  readonly eventsFile: string;
  /** The tokens of a keys file written at this start (shown once). */
  readonly createdKeys?: CreatedKeys;
  readonly clients: AwsClients;
  readonly results: DynamoResultsRepository;
  /** The market view and DMBX series the API serves. */
  readonly market: MarketService;
  readonly runner: LocalRunner;
  readonly versions: ObjectVersions;
  readonly events: EventLogPublisher;
  readonly recovery: RecoveryReport;
  /** Publishes the events SCORED tapes still owe (`graceSeconds`: only of tapes scored that long ago; default OUTBOX_GRACE_SECONDS). */
  sweepEvents(options?: { graceSeconds?: number }): Promise<SweepResult>;
  /** What GET /health checks: s3, dynamodb, runner -> 'ok' or why not. */
  readiness(): Promise<Record<string, string>>;
  /** Stops taking uploads, lets running tapes finish (up to `graceMs`, default 10 s), closes everything. Idempotent. */
  stop(options?: { graceMs?: number }): Promise<void>;
}

/**
 * Starts the stack; resolves when every part is ready.
 * @example
 * const stack = await startLocalStack({ dataDir: resolve('.dmbs'), log: console.log });
 * console.log(stack.endpoints.api); await stack.stop();
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const log: LocalLog = options.log ?? (() => undefined);
  const paths = dataPaths(options.dataDir);
  // Owner only: tapes and results are issuers' data, keys.json holds the API keys' hashes.
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  await chmod(options.dataDir, 0o700);
  await Promise.all([paths.s3, paths.s3Versions, paths.dynamoDb, paths.analyticsCache].map((dir) => mkdir(dir, { recursive: true, mode: 0o700 })));
  const lock = await lockDataDir(options.dataDir);
  const started: Array<() => Promise<void>> = [() => lock.release()];
  const unwind = async () => {
    for (const stop of started.reverse()) await stop().catch(() => undefined);
  };
  try {
    const keys = await ensureLocalKeys(paths.keys, { rotate: options.rotateKeys ?? false, ...(options.issuerIds ? { issuerIds: options.issuerIds } : {}) });
    // Keys made now are shown only once the stack is up: if it does not come up, do not keep tokens nobody saw.
    if (keys.created) started.push(() => rm(paths.keys, { force: true }));
    const ddb = await listening('DynamoDB emulator', 'DMBS_DYNAMODB_PORT', options.dynamoDbPort ?? LOCAL_DEFAULTS.dynamoDbPort,
      (port) => startDynamoDbEmulator({ port, path: paths.dynamoDb }));
    started.push(() => ddb.stop());

    // Notifications may come as soon as s3rver listens; they wait here until the runner exists.
    let deliver: ((records: readonly S3NotificationRecord[]) => void) | undefined;
    const early: S3NotificationRecord[] = [];
    const versions = new ObjectVersions({ directory: paths.s3Versions });
    /** The API's origins, known once it listens. */
    let pageOrigins: readonly string[] = [];
    // The pipeline's and the API's own key, new at every start: the only one the guard lets touch reports/, exports/ and rescores/.
    const pipelineCredentials = { accessKeyId: `DMBSPIPELINE${randomBytes(4).toString('hex').toUpperCase()}`, secretAccessKey: randomBytes(24).toString('base64url') };
    const s3 = await listening('S3 emulator', 'DMBS_S3_PORT', options.s3Port ?? LOCAL_DEFAULTS.s3Port,
      (port) => startS3Emulator({
        port, directory: paths.s3, buckets: [LOCAL_BUCKET], versions, onEvent: (r) => (deliver ? deliver(r) : early.push(...r)),
        // The reviewers' page uploads issuers' tapes with presigned PUTs: from the API's origin only.
        browserUploads: true,
        guard: { user: EMULATOR_CREDENTIALS, pipeline: pipelineCredentials, pageOrigins: () => pageOrigins },
      }));
    started.push(() => s3.stop());

    const clients = createAwsClients({ s3Endpoint: s3.endpoint, dynamoDbEndpoint: ddb.endpoint, credentials: pipelineCredentials, region: 'us-east-1' });
    started.push(async () => destroyAwsClients(clients));
    const tableName = LOCAL_TABLE_NAME;
    await ensureResultsTable(clients.dynamoDb, tableName);

    const results = new DynamoResultsRepository({ client: clients.dynamoDb, tableName });
    const events = new EventLogPublisher(paths.events);
    const tapeIndex = new DynamoLatestTapeIndex({ client: clients.dynamoDb, tableName });
    const adapters: PipelinePorts = {
      store: new S3TapeStore({ client: clients.s3, bucket: LOCAL_BUCKET }),
      results,
      events,
      tapeIndex,
      log: (level, message, data) => log(level === 'info' ? 'debug' : level, message, data),
    };
    const budget = tapeBudget(options.tapeMemoryMb ?? LOCAL_DEFAULTS.tapeMemoryMb, options.concurrency ?? LOCAL_DEFAULTS.concurrency);
    if (budget.concurrency < (options.concurrency ?? LOCAL_DEFAULTS.concurrency)) {
      log('warn', `processing ${budget.concurrency} tape(s) at once, not ${options.concurrency ?? LOCAL_DEFAULTS.concurrency}: the heap (${budget.heapMb} MB) holds no more tapes of ${budget.tapeMemoryMb} MB (DMBS_TAPE_MEMORY_MB)`);
    }
    const withLimits: PipelinePorts = { ...adapters, options: { ...adapters.options, readerLimits: budget.readerLimits } };
    const ports = options.wrapPorts ? options.wrapPorts(withLimits) : withLimits;
    const attempts = new AttemptLog(paths.attempts);
    const runner = new LocalRunner({
      ports,
      attempts,
      concurrency: budget.concurrency,
      ...(options.retrySleep ? { sleep: options.retrySleep } : {}),
      ...(options.invokeStep ? { invoke: options.invokeStep } : {}),
      maxQueued: options.maxQueued ?? LOCAL_DEFAULTS.maxQueued,
      backlog: async () => (await versions.list(LOCAL_BUCKET, { unsettledOnly: true })).filter((v) => isUploadKey(v.key)).map((v): TapeObject => ({
        bucket: v.bucket, key: v.key, versionId: v.versionId, eTag: v.eTag, size: v.size, sequencer: null, eventTime: v.createdAt,
      })),
      onSettled: async (result) => {
        // Awaited: until the inbox knows the version is done, the runner keeps it from being queued again.
        if (result.outcome !== 'crashed' && result.object.versionId) {
          await versions.markSettled(result.object.bucket, result.object.key, result.object.versionId).catch(() => undefined);
        }
        options.onRun?.(result);
      },
    });
    started.push(async () => void (await runner.stop(0)));
    deliver = (r) => runner.submit(r);
    runner.submit(early.splice(0));

    const recovery = await recoverTapes({ results, ports, runner, versions, attempts, bucket: LOCAL_BUCKET });
    if (recovery.resumed.length || recovery.failed.length || recovery.queued) {
      log('info', `recovery: ${recovery.resumed.length} tape(s) resumed, ${recovery.failed.length} marked FAILED (interrupted), ${recovery.queued} upload(s) queued`);
    }
    const sweepEvents = async (sweep: { graceSeconds?: number } = {}): Promise<SweepResult> => {
      const result = await sweepEventOutbox(ports, sweep);
      if (result.published) log('info', `outbox: ${result.published} event(s) published late`);
      return result;
    };
    // No run of this process has started yet: every event still owed is an earlier process's.
    await sweepEvents({ graceSeconds: 0 }).catch((e: unknown) => log('warn', 'outbox sweep at start failed; tried again later', { error: String(e) }));
    const sweepMs = (options.eventSweepSeconds ?? 60) * 1000;
    const sweepTimer = sweepMs > 0
      ? setInterval(() => void sweepEvents().catch((e: unknown) => log('warn', 'outbox sweep failed; tried again later', { error: String(e) })), sweepMs).unref()
      : undefined;
    started.push(async () => clearInterval(sweepTimer));
    const readiness = async (): Promise<Record<string, string>> => {
      const [s3Check, dynamoCheck] = await Promise.all([
        check(() => clients.s3.send(new HeadBucketCommand({ Bucket: LOCAL_BUCKET }))),
        check(async () => {
          // The document client passes low-level commands through unchanged.
          const send = clients.dynamoDb.send.bind(clients.dynamoDb) as unknown as (c: DescribeTableCommand) => Promise<DescribeTableCommandOutput>;
          const out = await send(new DescribeTableCommand({ TableName: tableName }));
          if (out.Table?.TableStatus !== 'ACTIVE') throw new Error(`table ${tableName} is ${out.Table?.TableStatus ?? 'missing'}`);
        }),
      ]);
      return { s3: s3Check, dynamodb: dynamoCheck, runner: runner.ready ? 'ok' : 'not processing uploads (stopped or not started)' };
    };

    // Re-scores use the (possibly wrapped) store and events, and the repository's re-score side.
    const rescores = createLocalRescores({
      ports: { ...ports, results }, runner, ...(options.retrySleep ? { sleep: options.retrySleep } : {}), ...(options.invokeStep ? { invoke: options.invokeStep } : {}),
    });
    // The market view: DuckDB over a mirror of the bucket's analytics/loans/ (refreshed before each query).
    const analyticsCache = new LocalAnalyticsCache({ s3: clients.s3, bucket: LOCAL_BUCKET, root: paths.analyticsCache });
    // The loaded table is kept in a database file beside the copy: a restart loads only what changed.
    const engine = await DuckDbEngine.open({ root: analyticsCache.root, database: join(paths.analyticsCache, 'market.duckdb'), beforeQuery: () => analyticsCache.sync() });
    started.push(async () => engine.close());
    const market: MarketService = createMarketService({ engine, tapes: tapeIndex, series: new DynamoSeriesStore({ client: clients.dynamoDb, tableName }) });
    const apiLog: ApiLog = (level, message, data) => log(level, message, data);
    const api: RunningApi = await listening('API', 'DMBS_PORT', options.apiPort ?? LOCAL_DEFAULTS.apiPort, (port) => serveApi({
      port, host: '127.0.0.1', s3: clients.s3, dynamoDb: clients.dynamoDb, bucket: LOCAL_BUCKET, tableName,
      keysFile: paths.keys, readiness, log: apiLog, rescores, market, events, assets: options.webPage === false ? false : webPageAssets(),
      ...(options.apiOptions ? { options: options.apiOptions } : {}),
    }));
    started.push(() => api.close());
    pageOrigins = [api.url, api.url.replace('//127.0.0.1:', '//localhost:')];
    // Last, so that nothing is processed unless the whole stack came up.
    if (options.startRunner ?? true) runner.start();

    let stopping: Promise<void> | undefined;
    return {
      endpoints: { api: api.url, s3: s3.endpoint, dynamoDb: ddb.endpoint },
      dataDir: options.dataDir,
      bucket: LOCAL_BUCKET,
      tableName,
      keysFile: paths.keys,
      eventsFile: paths.events,
      ...(keys.created ? { createdKeys: keys.created } : {}),
      clients, results, market, runner, versions, events, recovery, readiness, sweepEvents,
      stop(stopOptions = {}) {
        stopping ??= (async () => {
          // New uploads first (the API hands out upload URLs), then the running tapes, then the emulators they use.
          await api.close();
          clearInterval(sweepTimer);
          const { unfinished, dropped } = await runner.stop(stopOptions.graceMs ?? 10_000);
          if (unfinished || dropped) log('warn', `stopping with ${unfinished} tape(s) still running and ${dropped} queued; they are resumed or failed with a reason at the next start`);
          destroyAwsClients(clients);
          engine.close();
          await s3.stop();
          await ddb.stop();
          await lock.release();
        })();
        return stopping;
      },
    };
  } catch (e) {
    await unwind();
    throw e;
  }
}

/**
 * The reviewers' page from the repository's web/ folder, found from this module whether it runs
 * from source (functions/local/) or bundled (dist/dmbs-local.mjs).
 */
function webPageAssets(): StaticAssets {
  const candidates = ['../web/', '../../web/'].map((p) => fileURLToPath(new URL(p, import.meta.url)));
  const webDir = candidates.find((dir) => existsSync(`${dir}index.html`));
  return createDiskAssets(webDir ? { webDir } : {});
}

/** Characters of XLSX shared strings per byte of a tape's budget: a character takes 1–2 bytes, and each string some 30 more. */
const BUDGET_BYTES_PER_SHARED_CHAR = 2.5;
/** Heap kept for everything but the tapes (the API, emulators, buffers). */
const HEAP_RESERVE_MB = 128;

/**
 * What one tape may cost and how many fit at once: a tape's XLSX shared strings (held whole) are
 * bounded by its budget, and no more tapes run at once than the heap holds budgets of.
 * @example tapeBudget(256, 4) // { concurrency: 4 (on a heap of ≥ 1.2 GB), readerLimits: { maxSharedStringChars: 107374182 }, ... }
 */
export function tapeBudget(tapeMemoryMb: number, concurrency: number, heapBytes = getHeapStatistics().heap_size_limit) {
  const heapMb = Math.floor(heapBytes / 1024 ** 2);
  const fits = Math.max(1, Math.floor((heapMb - HEAP_RESERVE_MB) / tapeMemoryMb));
  return {
    tapeMemoryMb,
    heapMb,
    concurrency: Math.max(1, Math.min(concurrency, fits)),
    readerLimits: { maxSharedStringChars: Math.floor((tapeMemoryMb * 1024 ** 2) / BUDGET_BYTES_PER_SHARED_CHAR) },
  };
}

/** Thrown when a port is taken (main.ts prints it as one line). */
export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
}

async function listening<T>(what: string, variable: string, port: number, start: (port: number) => Promise<T>): Promise<T> {
  try {
    return await start(port);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new PortInUseError(`port ${port} for the ${what} is in use on 127.0.0.1 (another \`npm start\`?); stop that process or set ${variable} to a free port`);
    }
    throw e;
  }
}

async function check(run: () => Promise<unknown>, timeoutMs = 2000): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      run(),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs))),
    ]);
    return 'ok';
  } catch (e) {
    return e instanceof Error ? e.message || e.name : String(e);
  } finally {
    clearTimeout(timer);
  }
}
