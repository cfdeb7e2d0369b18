/**
 * Builds the AWS SDK clients the adapters use, with endpoints and credentials overridable so
 * that the same code talks to AWS, to the embedded emulators (s3rver, dynalite) or to moto.
 * Clients are created once per process (a Lambda cold start), never per request.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface AwsClientOptions {
  /** Default: the SDK's (AWS_REGION), else us-east-1 when any endpoint is overridden. */
  readonly region?: string;
  /** S3 endpoint of an emulator, e.g. http://127.0.0.1:4568. Turns on emulator mode for S3 (see below). */
  readonly s3Endpoint?: string;
  readonly dynamoDbEndpoint?: string;
  readonly eventBridgeEndpoint?: string;
  /** Static credentials (the emulators accept any; s3rver's default pair is S3RVER/S3RVER). */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Attempts per SDK call (the SDK's own retry with backoff for throttling and 5xx). Default 3. */
  readonly maxAttempts?: number;
}

export interface AwsClients {
  readonly s3: S3Client;
  /** Document client: native JS values in and out, undefined attributes removed. */
  readonly dynamoDb: DynamoDBDocumentClient;
  readonly eventBridge: EventBridgeClient;
}

/**
 * @example
 * const clients = createAwsClients({ s3Endpoint: 'http://127.0.0.1:4568', dynamoDbEndpoint: 'http://127.0.0.1:4567',
 *   credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
 */
export function createAwsClients(options: AwsClientOptions = {}): AwsClients {
  const anyEndpoint = Boolean(options.s3Endpoint || options.dynamoDbEndpoint || options.eventBridgeEndpoint);
  const region = options.region ?? (anyEndpoint && !process.env.AWS_REGION ? 'us-east-1' : undefined);
  const common = {
    ...(region ? { region } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    maxAttempts: options.maxAttempts ?? 3,
  };
  const s3 = new S3Client({
    ...common,
    ...(options.s3Endpoint
      ? {
          endpoint: options.s3Endpoint,
          forcePathStyle: true,
          // s3rver stores streamed bodies with aws-chunked framing kept unless checksums are
          // computed only when an operation requires them (docs/design.md, "Facts about the parts").
          requestChecksumCalculation: 'WHEN_REQUIRED' as const,
          responseChecksumValidation: 'WHEN_REQUIRED' as const,
        }
      : {}),
  });
  const dynamoDb = DynamoDBDocumentClient.from(
    new DynamoDBClient({ ...common, ...(options.dynamoDbEndpoint ? { endpoint: options.dynamoDbEndpoint } : {}) }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  const eventBridge = new EventBridgeClient({ ...common, ...(options.eventBridgeEndpoint ? { endpoint: options.eventBridgeEndpoint } : {}) });
  return { s3, dynamoDb, eventBridge };
}

/**
 * Client options from the environment: DMBS_S3_ENDPOINT, DMBS_DYNAMODB_ENDPOINT,
 * DMBS_EVENTS_ENDPOINT (emulators); AWS_REGION and the SDK's credential chain otherwise.
 */
export function awsClientOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): AwsClientOptions {
  return {
    ...(env.AWS_REGION ? { region: env.AWS_REGION } : {}),
    ...(env.DMBS_S3_ENDPOINT ? { s3Endpoint: env.DMBS_S3_ENDPOINT } : {}),
    ...(env.DMBS_DYNAMODB_ENDPOINT ? { dynamoDbEndpoint: env.DMBS_DYNAMODB_ENDPOINT } : {}),
    ...(env.DMBS_EVENTS_ENDPOINT ? { eventBridgeEndpoint: env.DMBS_EVENTS_ENDPOINT } : {}),
  };
}

/** Closes the clients' sockets (tests and the local stack, so that servers can stop). */
export function destroyAwsClients(clients: AwsClients): void {
  clients.s3.destroy();
  clients.dynamoDb.destroy();
  clients.eventBridge.destroy();
}
