/**
 * The API in AWS Lambda behind API Gateway HTTP API (payload format 2.0): Hono's aws-lambda
 * adapter around the one app, with the JWT claims provider (API Gateway's Cognito authorizer has
 * verified the token). Ports are built once per cold start from DMBS_BUCKET and DMBS_TABLE (set by
 * the stack); DMBS_*_ENDPOINT point them at emulators. The market routes query Athena in
 * DMBS_ATHENA_WORKGROUP over the Glue database DMBS_ATHENA_DATABASE. The reviewers' page is served when
 * DMBS_WEB_DIR (and DMBS_CHART_JS) name where the bundle put its files.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { handle } from 'hono/aws-lambda';
import { awsClientOptionsFromEnv, createAwsClients } from '../aws/clients.ts';
import { AthenaClient } from '@aws-sdk/client-athena';
import { AthenaEngine } from '../aws/athena-engine.ts';
import { EventBridgePublisher } from '../aws/event-publisher.ts';
import { DynamoLatestTapeIndex, DynamoSeriesStore } from '../aws/market-index.ts';
import { DynamoResultsRepository } from '../aws/results-repository.ts';
import { createMarketService } from '../market/market-service.ts';
import { createEventBridgeRescores } from '../aws/rescore-requests.ts';
import { createS3ResponseExports } from '../aws/s3-response-exports.ts';
import { S3TapeStore } from '../aws/s3-tape-store.ts';
import { createApp } from './app.ts';
import { createJwtClaimsAuth } from './jwt-claims-auth.ts';
import { createS3UploadPresigner, presignerClient } from './s3-upload-presigner.ts';
import { createDiskAssets } from './static-assets.ts';

const logger = new Logger({ serviceName: 'dmbs-api' });

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set (the stack sets it)`);
  return value;
}

const clientOptions = awsClientOptionsFromEnv();
const clients = createAwsClients(clientOptions);
const bucket = required('DMBS_BUCKET');
const maxUploadBytes = Number(process.env.DMBS_MAX_TAPE_BYTES) || undefined;
const presignClient = presignerClient({
  ...(clientOptions.region ? { region: clientOptions.region } : {}),
  ...(clientOptions.s3Endpoint ? { endpoint: clientOptions.s3Endpoint, forcePathStyle: true } : {}),
});
/** Largest body answered inline (see `exports` below). */
export const MAX_INLINE_RESPONSE_BYTES = 4_000_000;

const results = new DynamoResultsRepository({ client: clients.dynamoDb, tableName: required('DMBS_TABLE') });

const store = new S3TapeStore({ client: clients.s3, bucket });
const tableName = required('DMBS_TABLE');

/** The market view and DMBX series: the market SQL on Athena (workgroup and Glue database from the stack), the index and series in the table. */
function marketFromEnv() {
  const workGroup = process.env.DMBS_ATHENA_WORKGROUP;
  const database = process.env.DMBS_ATHENA_DATABASE;
  if (!workGroup || !database) return undefined;
  const athena = new AthenaClient({ ...(clientOptions.region ? { region: clientOptions.region } : {}), ...(process.env.DMBS_ATHENA_ENDPOINT ? { endpoint: process.env.DMBS_ATHENA_ENDPOINT } : {}) });
  return createMarketService({
    engine: new AthenaEngine({ client: athena, workGroup, database }),
    tapes: new DynamoLatestTapeIndex({ client: clients.dynamoDb, tableName }),
    series: new DynamoSeriesStore({ client: clients.dynamoDb, tableName }),
  });
}
const market = marketFromEnv();

export const app = createApp({
  results,
  artifacts: store,
  mappings: store,
  stressModels: store,
  presigner: createS3UploadPresigner({ bucket, client: presignClient }),
  auth: createJwtClaimsAuth({ ...(process.env.DMBS_ISSUER_ID_CLAIM ? { issuerIdClaim: process.env.DMBS_ISSUER_ID_CLAIM } : {}) }),
  ...(process.env.DMBS_WEB_DIR
    ? { assets: createDiskAssets({ webDir: process.env.DMBS_WEB_DIR, ...(process.env.DMBS_CHART_JS ? { chartJsFile: process.env.DMBS_CHART_JS } : {}) }) }
    : {}),
  // Lambda refuses a response over 6 MB, and the adapter base64-encodes binary types (× 4/3):
  // bodies over 4 MB go to exports/ and are answered by a redirect to a presigned GET.
  exports: createS3ResponseExports({ client: clients.s3, presignClient, bucket }),
  // Re-score jobs start the re-score state machine through the bus (functions/aws/rescore-requests.ts).
  ...(process.env.DMBS_EVENT_BUS ? { rescores: createEventBridgeRescores({ results, client: clients.eventBridge, busName: process.env.DMBS_EVENT_BUS }) } : {}),
  // DmbxSeriesCreated goes on the same bus.
  ...(process.env.DMBS_EVENT_BUS ? { events: new EventBridgePublisher({ client: clients.eventBridge, busName: process.env.DMBS_EVENT_BUS }) } : {}),
  ...(market ? { market } : {}),
  log: (level, message, data) => logger[level](message, data ?? {}),
  options: { maxResponseBytes: MAX_INLINE_RESPONSE_BYTES, ...(maxUploadBytes ? { maxUploadBytes } : {}) },
});

/** The Lambda handler (HTTP API v2 events). */
export const handler = handle(app);
