/**
 * The embedded AWS emulators, in-process on loopback: s3rver (S3) and dynalite (DynamoDB).
 * Used by the integration tests and the local stack. They bind 127.0.0.1 only; port 0 picks a
 * free port; `stop()` closes them and their open connections so a process can exit.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import dynalite from 'dynalite';
import S3rver from 's3rver';
import type { S3NotificationRecord } from '../aws/object-created.ts';
import { attachS3Guard, type S3GuardOptions } from './s3-guard.ts';
import type { ObjectVersions } from './s3-versioning.ts';

/** The users' key: s3rver's default pair, the one the README's `aws` example uses (dynalite accepts any). */
export const EMULATOR_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface RunningEmulator {
  readonly endpoint: string;
  readonly port: number;
  stop(): Promise<void>;
}

export interface S3EmulatorOptions {
  /** Default 0: a free port. */
  readonly port?: number;
  /** Where objects are kept (s3rver stores on disk). */
  readonly directory: string;
  /** Buckets created at start (existing ones are kept). */
  readonly buckets?: readonly string[];
  /** Every ObjectCreated/ObjectRemoved notification (s3rver's S3-notification shape, keys not URL-encoded). */
  readonly onEvent?: (records: readonly S3NotificationRecord[]) => void;
  /** Gives uploads version ids (s3rver has none); notifications then carry `versionId`. */
  readonly versions?: ObjectVersions;
  /** Puts the private-bucket guard in front (s3-guard.ts): signed requests only, path-safe keys, no browsers. */
  readonly guard?: S3GuardOptions;
  /** Answers CORS for presigned PUTs from any web page (the reviewers' page uploads tapes so). */
  readonly browserUploads?: boolean;
}

/** Presigned PUTs from a web page: any origin, as the presigned URL itself is the credential. */
const BROWSER_UPLOADS_CORS = '<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>PUT</AllowedMethod>'
  + '<AllowedHeader>*</AllowedHeader><MaxAgeSeconds>3600</MaxAgeSeconds></CORSRule></CORSConfiguration>';

/**
 * @example const s3 = await startS3Emulator({ directory: '/tmp/s3', buckets: ['dmbs-tapes'] }); ...; await s3.stop();
 */
export async function startS3Emulator(options: S3EmulatorOptions): Promise<RunningEmulator> {
  const server = new S3rver({
    address: '127.0.0.1',
    port: options.port ?? 0,
    silent: true,
    directory: options.directory,
    configureBuckets: (options.buckets ?? []).map((name) => ({ name, ...(options.browserUploads ? { configs: [BROWSER_UPLOADS_CORS] } : {}) })),
  });
  const versions = options.versions;
  versions?.attach(server);
  // Last, so that it runs first: nothing reaches s3rver (or the versions) unchecked.
  if (options.guard) attachS3Guard(server, options.guard);
  if (options.onEvent) {
    const onEvent = options.onEvent;
    server.on('event', (e: { Records: S3NotificationRecord[] }) => {
      // s3rver emits inside the request that stored the object: a throwing listener would turn a stored upload into a 500.
      try {
        onEvent(versions ? versions.withVersionIds(e.Records) : e.Records);
      } catch (error) {
        process.emitWarning(`S3 notification handler failed: ${(error as Error)?.message ?? String(error)}`);
      }
    });
  }
  const { port } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    stop: () => closeServer(server.httpServer),
  };
}

export interface DynamoDbEmulatorOptions {
  readonly port?: number;
  /** LevelDB directory for persistence; in memory when absent. */
  readonly path?: string;
}

/** @example const ddb = await startDynamoDbEmulator(); ...; await ddb.stop(); */
export async function startDynamoDbEmulator(options: DynamoDbEmulatorOptions = {}): Promise<RunningEmulator> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...(options.path ? { path: options.path } : {}) });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return { endpoint: `http://127.0.0.1:${port}`, port, stop: () => closeServer(server) };
}

async function closeServer(server: Server | undefined): Promise<void> {
  if (!server) return;
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    // Keep-alive sockets of SDK clients would hold close() open.
    server.closeAllConnections();
  });
}
