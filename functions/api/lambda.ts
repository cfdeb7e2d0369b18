/**
 * The API in AWS Lambda behind API Gateway HTTP API (payload format 2.0): Hono's aws-lambda
 * adapter around the one app, with the JWT claims provider (API Gateway's Cognito authorizer has
 * verified the token). Ports are built once per cold start from DMBS_BUCKET and DMBS_TABLE (set by
 * the stack); DMBS_*_ENDPOINT point them at emulators. The reviewers' page is served when
 * DMBS_WEB_DIR (and DMBS_CHART_JS) name where the bundle put its files.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { handle } from 'hono/aws-lambda';
import { awsClientOptionsFromEnv, createAwsClients } from '../aws/clients.ts';
import { DynamoResultsRepository } from '../aws/results-repository.ts';
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

export const app = createApp({
  results: new DynamoResultsRepository({ client: clients.dynamoDb, tableName: required('DMBS_TABLE') }),
  artifacts: new S3TapeStore({ client: clients.s3, bucket }),
  presigner: createS3UploadPresigner({
    bucket,
    client: presignerClient({
      ...(clientOptions.region ? { region: clientOptions.region } : {}),
      ...(clientOptions.s3Endpoint ? { endpoint: clientOptions.s3Endpoint, forcePathStyle: true } : {}),
    }),
  }),
  auth: createJwtClaimsAuth({ ...(process.env.DMBS_ISSUER_ID_CLAIM ? { issuerIdClaim: process.env.DMBS_ISSUER_ID_CLAIM } : {}) }),
  ...(process.env.DMBS_WEB_DIR
    ? { assets: createDiskAssets({ webDir: process.env.DMBS_WEB_DIR, ...(process.env.DMBS_CHART_JS ? { chartJsFile: process.env.DMBS_CHART_JS } : {}) }) }
    : {}),
  log: (level, message, data) => logger[level](message, data ?? {}),
  options: { ...(maxUploadBytes ? { maxUploadBytes } : {}) },
});

/** The Lambda handler (HTTP API v2 events). */
export const handler = handle(app);
