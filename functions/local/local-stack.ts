/**
 * The whole product on one machine, in one process: DynamoDB (dynalite) and S3 (s3rver, with
 * object versions) persisted under the data directory, the table created from the stack's own
 * definition, the local runner walking the pipeline's step list for every upload, recovery of
 * what an earlier process left, and the API with the reviewers' page. Everything binds 127.0.0.1.
 */
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { DescribeTableCommand, type DescribeTableCommandOutput } from '@aws-sdk/client-dynamodb';
import { serveApi, type RunningApi } from '../api/node-server.ts';
import type { ApiLog, StaticAssets } from '../api/ports.ts';
import { createDiskAssets } from '../api/static-assets.ts';
import { createAwsClients, destroyAwsClients, type AwsClients } from '../aws/clients.ts';
import type { S3NotificationRecord } from '../aws/object-created.ts';
import { DynamoResultsRepository, ensureResultsTable } from '../aws/results-repository.ts';
import { S3TapeStore } from '../aws/s3-tape-store.ts';
import { LOCAL_TABLE_NAME } from '../aws/table-definition.ts';
import type { PipelinePorts } from '../pipeline/ports.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { EMULATOR_CREDENTIALS, startDynamoDbEmulator, startS3Emulator } from './emulators.ts';
import { EventLogPublisher } from './event-log.ts';
import { ensureLocalKeys, type CreatedKeys } from './local-keys.ts';
import { dataPaths, LOCAL_BUCKET, LOCAL_DEFAULTS } from './local-config.ts';
import { createLocalRescores } from './local-rescores.ts';
import { LocalRunner, type RunResult } from './local-runner.ts';
import { recoverTapes, type RecoveryReport } from './recovery.ts';
import { ObjectVersions } from './s3-versioning.ts';

export type LocalLog = (level: 'debug' | 'info' | 'warn' | 'error', message: string, data?: Record<string, unknown>) => void;

export interface LocalStackOptions {
  /** Absolute path of the data directory (created when missing). */
  readonly dataDir: string;
  /** Ports; 0 picks a free one. Defaults: 3000, 4568, 4567. */
  readonly apiPort?: number;
  readonly s3Port?: number;
  readonly dynamoDbPort?: number;
  /** Tapes processed at once (default 4). */
  readonly concurrency?: number;
  /** Replace keys.json with new random keys before starting. */
  readonly rotateKeys?: boolean;
  /** False: uploads are queued but not processed until `runner.start()` (tests of recovery). Default true. */
  readonly startRunner?: boolean;
  /** Waits between step retries (tests pass a fast one). */
  readonly retrySleep?: (ms: number) => Promise<void>;
  /**
   * Wraps the pipeline's ports (S3 store, results repository, event publisher) before the runner
   * uses them: fault-injection tests make an adapter call fail here, e.g. the nth S3 put.
   */
  readonly wrapPorts?: (ports: PipelinePorts) => PipelinePorts;
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
  readonly runner: LocalRunner;
  readonly versions: ObjectVersions;
  readonly events: EventLogPublisher;
  readonly recovery: RecoveryReport;
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
  await Promise.all([mkdir(paths.s3, { recursive: true }), mkdir(paths.s3Versions, { recursive: true }), mkdir(paths.dynamoDb, { recursive: true })]);
  const lock = await lockDataDir(options.dataDir);
  const started: Array<() => Promise<void>> = [() => lock.release()];
  const unwind = async () => {
    for (const stop of started.reverse()) await stop().catch(() => undefined);
  };
  try {
    const keys = await ensureLocalKeys(paths.keys, { rotate: options.rotateKeys ?? false });
    // Keys made now are shown only once the stack is up: if it does not come up, do not keep tokens nobody saw.
    if (keys.created) started.push(() => rm(paths.keys, { force: true }));
    const ddb = await listening('DynamoDB emulator', 'DMBS_DYNAMODB_PORT', options.dynamoDbPort ?? LOCAL_DEFAULTS.dynamoDbPort,
      (port) => startDynamoDbEmulator({ port, path: paths.dynamoDb }));
    started.push(() => ddb.stop());

    // Notifications may come as soon as s3rver listens; they wait here until the runner exists.
    let deliver: ((records: readonly S3NotificationRecord[]) => void) | undefined;
    const early: S3NotificationRecord[] = [];
    const versions = new ObjectVersions({ directory: paths.s3Versions });
    const s3 = await listening('S3 emulator', 'DMBS_S3_PORT', options.s3Port ?? LOCAL_DEFAULTS.s3Port,
      (port) => startS3Emulator({ port, directory: paths.s3, buckets: [LOCAL_BUCKET], versions, onEvent: (r) => (deliver ? deliver(r) : early.push(...r)) }));
    started.push(() => s3.stop());

    const clients = createAwsClients({ s3Endpoint: s3.endpoint, dynamoDbEndpoint: ddb.endpoint, credentials: EMULATOR_CREDENTIALS, region: 'us-east-1' });
    started.push(async () => destroyAwsClients(clients));
    const tableName = LOCAL_TABLE_NAME;
    await ensureResultsTable(clients.dynamoDb, tableName);

    const results = new DynamoResultsRepository({ client: clients.dynamoDb, tableName });
    const events = new EventLogPublisher(paths.events);
    const adapters: PipelinePorts = {
      store: new S3TapeStore({ client: clients.s3, bucket: LOCAL_BUCKET }),
      results,
      events,
      log: (level, message, data) => log(level === 'info' ? 'debug' : level, message, data),
    };
    const ports = options.wrapPorts ? options.wrapPorts(adapters) : adapters;
    const runner = new LocalRunner({
      ports,
      concurrency: options.concurrency ?? LOCAL_DEFAULTS.concurrency,
      ...(options.retrySleep ? { sleep: options.retrySleep } : {}),
      onSettled: (result) => {
        if (result.outcome !== 'crashed' && result.object.versionId) {
          void versions.markSettled(result.object.bucket, result.object.key, result.object.versionId).catch(() => undefined);
        }
        options.onRun?.(result);
      },
    });
    started.push(async () => void (await runner.stop(0)));
    deliver = (r) => runner.submit(r);
    runner.submit(early.splice(0));

    const recovery = await recoverTapes({ results, ports, runner, versions, bucket: LOCAL_BUCKET });
    if (recovery.resumed.length || recovery.failed.length || recovery.queued) {
      log('info', `recovery: ${recovery.resumed.length} tape(s) resumed, ${recovery.failed.length} marked FAILED (interrupted), ${recovery.queued} upload(s) queued`);
    }
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
    const rescores = createLocalRescores({ ports: { ...ports, results }, runner, ...(options.retrySleep ? { sleep: options.retrySleep } : {}) });
    const apiLog: ApiLog = (level, message, data) => log(level, message, data);
    const api: RunningApi = await listening('API', 'DMBS_PORT', options.apiPort ?? LOCAL_DEFAULTS.apiPort, (port) => serveApi({
      port, host: '127.0.0.1', s3: clients.s3, dynamoDb: clients.dynamoDb, bucket: LOCAL_BUCKET, tableName,
      keysFile: paths.keys, readiness, log: apiLog, rescores, assets: options.webPage === false ? false : webPageAssets(),
    }));
    started.push(() => api.close());
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
      clients, results, runner, versions, events, recovery, readiness,
      stop(stopOptions = {}) {
        stopping ??= (async () => {
          // New uploads first (the API hands out upload URLs), then the running tapes, then the emulators they use.
          await api.close();
          const { unfinished, dropped } = await runner.stop(stopOptions.graceMs ?? 10_000);
          if (unfinished || dropped) log('warn', `stopping with ${unfinished} tape(s) still running and ${dropped} queued; they are resumed or failed with a reason at the next start`);
          destroyAwsClients(clients);
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
