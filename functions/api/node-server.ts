/**
 * The API on a laptop: the same app on @hono/node-server, bound to 127.0.0.1 by default, with the
 * local keys file as auth provider. Used by the local stack (`npm start`) and the tests.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoResultsRepository } from '../aws/results-repository.ts';
import { S3TapeStore } from '../aws/s3-tape-store.ts';
import { createApp } from './app.ts';
import { createKeysFileAuth } from './keys-file-auth.ts';
import type { ApiDeps, ApiLog, ApiOptions, ReadinessCheck, RescoreService, StaticAssets } from './ports.ts';
import type { AuthProvider } from './principal.ts';
import type { MarketService } from '../market/market-service.ts';
import type { BusEventPublisher } from '../pipeline/ports.ts';
import { createS3ResponseExports } from '../aws/s3-response-exports.ts';
import { createS3UploadPresigner } from './s3-upload-presigner.ts';
import { createDiskAssets } from './static-assets.ts';

export interface ServeApiOptions {
  /** Default 3000 (DMBS_PORT); 0 picks a free port. */
  readonly port?: number;
  /** Default 127.0.0.1: the local stack is not exposed to the network. */
  readonly host?: string;
  /** S3 client for artifacts and presigning (built with createAwsClients: emulator settings included). */
  readonly s3: S3Client;
  readonly dynamoDb: DynamoDBDocumentClient;
  readonly bucket: string;
  readonly tableName: string;
  /** keys.json (`${DMBS_DATA_DIR}/keys.json`); ignored when `auth` is given. */
  readonly keysFile?: string;
  readonly auth?: AuthProvider;
  /** The reviewers' page (default: web/ and Chart.js from node_modules). `false`: API only. */
  readonly assets?: StaticAssets | false;
  readonly readiness?: ReadinessCheck;
  /** Re-scores (the local stack passes its runner's); without it the re-score routes answer 503. */
  readonly rescores?: RescoreService;
  /** The market view and DMBX series (the local stack passes its DuckDB-backed one); without it those routes answer 503. */
  readonly market?: MarketService;
  /** Where the API's own events go (DmbxSeriesCreated): the local stack's events log. */
  readonly events?: BusEventPublisher;
  readonly now?: () => Date;
  readonly log?: ApiLog;
  readonly options?: ApiOptions;
}

export interface RunningApi {
  /** e.g. http://127.0.0.1:3000 */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Starts the API; resolves once it listens.
 * @example
 * const api = await serveApi({ port: 0, s3: clients.s3, dynamoDb: clients.dynamoDb, bucket: 'dmbs-tapes',
 *   tableName: 'dmbs-results', keysFile: join(dataDir, 'keys.json') });
 * console.log(api.url); await api.close();
 */
export async function serveApi(options: ServeApiOptions): Promise<RunningApi> {
  const auth = options.auth ?? (options.keysFile ? createKeysFileAuth({ path: options.keysFile, ...(options.log ? { log: options.log } : {}) }) : undefined);
  if (!auth) throw new Error('serveApi needs `keysFile` (the local keys.json) or an `auth` provider');
  const assets = options.assets === false ? undefined : options.assets ?? createDiskAssets();
  const store = new S3TapeStore({ client: options.s3, bucket: options.bucket });
  const deps: ApiDeps = {
    results: new DynamoResultsRepository({ client: options.dynamoDb, tableName: options.tableName }),
    artifacts: store,
    mappings: store,
    stressModels: store,
    presigner: createS3UploadPresigner({ client: options.s3, bucket: options.bucket }),
    // used only when options.maxResponseBytes is set (no limit by default: this server streams any size)
    exports: createS3ResponseExports({ client: options.s3, presignClient: options.s3, bucket: options.bucket }),
    auth,
    ...(assets ? { assets } : {}),
    ...(options.readiness ? { readiness: options.readiness } : {}),
    ...(options.rescores ? { rescores: options.rescores } : {}),
    ...(options.market ? { market: options.market } : {}),
    ...(options.events ? { events: options.events } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.log ? { log: options.log } : {}),
    ...(options.options ? { options: options.options } : {}),
  };
  const app = createApp(deps);
  const host = options.host ?? '127.0.0.1';
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: options.port ?? 3000, hostname: host }, () => resolve(s));
    s.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    close: () => new Promise<void>((resolve) => {
      const s = server as unknown as { close(cb: () => void): void; closeAllConnections?: () => void };
      s.close(() => resolve());
      s.closeAllConnections?.();
    }),
  };
}
