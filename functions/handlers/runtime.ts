/**
 * What every Lambda entry point shares, built once per cold start: Powertools logger, metrics
 * and tracer (one pinned version), and the pipeline's ports from the environment
 * (DMBS_BUCKET, DMBS_TABLE, DMBS_EVENT_BUS; DMBS_*_ENDPOINT to point at emulators).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { awsClientOptionsFromEnv, createAwsClients } from '../aws/clients.ts';
import { EventBridgePublisher } from '../aws/event-publisher.ts';
import { DynamoResultsRepository } from '../aws/results-repository.ts';
import { DynamoLatestTapeIndex } from '../aws/market-index.ts';
import { S3TapeStore } from '../aws/s3-tape-store.ts';
import type { EventPublisher, RescorePorts } from '../pipeline/ports.ts';
import { METRICS_NAMESPACE, SERVICE_NAME } from './metric-names.ts';

export const logger = new Logger({ serviceName: SERVICE_NAME });
export const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME });
export const tracer = new Tracer({ serviceName: SERVICE_NAME });

let cached: RescorePorts | undefined;

/** The ports for this process (created on first use, then reused across invocations); the re-score side included. */
export function pipelinePorts(env: NodeJS.ProcessEnv = process.env): RescorePorts {
  if (cached) return cached;
  const clients = createAwsClients(awsClientOptionsFromEnv(env));
  tracer.captureAWSv3Client(clients.s3);
  tracer.captureAWSv3Client(clients.dynamoDb);
  tracer.captureAWSv3Client(clients.eventBridge);
  const events: EventPublisher = env.DMBS_EVENT_BUS
    ? new EventBridgePublisher({ client: clients.eventBridge, busName: env.DMBS_EVENT_BUS })
    : { publish: async (event) => logger.info('event (no DMBS_EVENT_BUS configured)', { event }) };
  const maxReportErrors = numberFrom(env.DMBS_MAX_REPORT_ERRORS);
  const maxTapeBytes = numberFrom(env.DMBS_MAX_TAPE_BYTES);
  cached = {
    store: new S3TapeStore({ client: clients.s3, bucket: required(env, 'DMBS_BUCKET') }),
    results: new DynamoResultsRepository({ client: clients.dynamoDb, tableName: required(env, 'DMBS_TABLE') }),
    tapeIndex: new DynamoLatestTapeIndex({ client: clients.dynamoDb, tableName: required(env, 'DMBS_TABLE') }),
    events,
    options: { ...(maxReportErrors ? { maxReportErrors } : {}), ...(maxTapeBytes ? { maxTapeBytes } : {}) },
    log: (level, message, data) => logger[level](message, data ?? {}),
  };
  return cached;
}

/** Forgets the cached ports (tests that change the environment). */
export function resetPipelinePorts(): void {
  cached = undefined;
}

/** The environment variable `name`, or an error saying it is missing. */
export function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`environment variable ${name} is not set (the stack sets it; locally see functions/local)`);
  return value;
}

function numberFrom(text: string | undefined): number | undefined {
  const n = text ? Number(text) : NaN;
  return Number.isFinite(n) && n > 0 ? n : undefined;
}
