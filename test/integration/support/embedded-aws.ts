/**
 * The embedded emulators for one test file: s3rver and dynalite on 127.0.0.1 free ports, the
 * bucket and the results table created from the same definition the stack uses, real @aws-sdk
 * clients pointed at them, and the pipeline's ports. `stop()` removes everything.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAwsClients, destroyAwsClients, type AwsClients } from '../../../functions/aws/clients.ts';
import { MemoryEventPublisher } from '../../../functions/aws/event-publisher.ts';
import { DynamoResultsRepository, ensureResultsTable } from '../../../functions/aws/results-repository.ts';
import { S3TapeStore } from '../../../functions/aws/s3-tape-store.ts';
import { LOCAL_TABLE_NAME } from '../../../functions/aws/table-definition.ts';
import { EMULATOR_CREDENTIALS, startDynamoDbEmulator, startS3Emulator } from '../../../functions/local/emulators.ts';
import { fromS3Notification, type S3NotificationRecord } from '../../../functions/aws/object-created.ts';
import type { TapeObject } from '../../../functions/pipeline/state.ts';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { PipelinePorts } from '../../../functions/pipeline/ports.ts';

export const BUCKET = 'dmbs-tapes';

export interface EmbeddedAws {
  readonly clients: AwsClients;
  readonly store: S3TapeStore;
  readonly results: DynamoResultsRepository;
  readonly events: MemoryEventPublisher;
  readonly ports: PipelinePorts;
  /** s3rver notifications received so far. */
  readonly notifications: S3NotificationRecord[];
  /** Uploads through the S3 API and returns the object as its notification describes it. */
  upload(key: string, body: string | Uint8Array): Promise<TapeObject>;
  stop(): Promise<void>;
}

export async function startEmbeddedAws(options: { partSizeBytes?: number } = {}): Promise<EmbeddedAws> {
  const directory = await mkdtemp(join(tmpdir(), 'dmbs-s3-'));
  const notifications: S3NotificationRecord[] = [];
  const s3 = await startS3Emulator({ directory, buckets: [BUCKET], browserUploads: true, onEvent: (r) => notifications.push(...r) });
  const ddb = await startDynamoDbEmulator();
  const clients = createAwsClients({ s3Endpoint: s3.endpoint, dynamoDbEndpoint: ddb.endpoint, credentials: EMULATOR_CREDENTIALS, region: 'us-east-1' });
  await ensureResultsTable(clients.dynamoDb, LOCAL_TABLE_NAME);
  const store = new S3TapeStore({ client: clients.s3, bucket: BUCKET, ...(options.partSizeBytes ? { partSizeBytes: options.partSizeBytes } : {}) });
  const results = new DynamoResultsRepository({ client: clients.dynamoDb, tableName: LOCAL_TABLE_NAME });
  const events = new MemoryEventPublisher();
  return {
    clients, store, results, events, notifications,
    ports: { store, results, events },
    async upload(key, body) {
      await clients.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
      for (let i = 0; i < 200; i++) {
        const found = fromS3Notification(notifications, { urlEncodedKeys: false }).filter((o) => o.key === key);
        if (found.length > 0) return found.at(-1)!;
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error(`no notification for ${key}`);
    },
    async stop() {
      destroyAwsClients(clients);
      await Promise.all([s3.stop(), ddb.stop()]);
      await rm(directory, { recursive: true, force: true });
    },
  };
}
