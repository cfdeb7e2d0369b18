/**
 * The same adapter contracts against moto_server (a second, independent emulator of S3, DynamoDB
 * and EventBridge, with S3 versioning), plus the EventBridge publisher and a whole pipeline run
 * whose TapeScored event is routed by a rule to SQS, and the intake starter over moto's Step
 * Functions. Runs when `moto_server` is on PATH
 * (pip install 'moto[server]'); otherwise says why it did not.
 */
import { CreateBucketCommand, PutBucketVersioningCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { CreateEventBusCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CreateStateMachineCommand, SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTape, toCsv } from '../../bench/tape-generator.ts';
import { createAwsClients, destroyAwsClients, type AwsClients } from '../../functions/aws/clients.ts';
import { EVENT_SOURCE, EventBridgePublisher } from '../../functions/aws/event-publisher.ts';
import { DynamoResultsRepository, ensureResultsTable } from '../../functions/aws/results-repository.ts';
import { StepFunctionsRunStarter } from '../../functions/aws/run-starter.ts';
import { S3TapeStore } from '../../functions/aws/s3-tape-store.ts';
import { startRuns } from '../../functions/pipeline/intake.ts';
import { runPipeline } from '../../functions/pipeline/run-pipeline.ts';
import { repositoryContract, tapeStoreContract } from './support/contracts.ts';
import { motoUnavailable, startMoto, type MotoServer } from './support/moto-server.ts';

const unavailable = motoUnavailable();
const available = !unavailable;
if (unavailable) console.log(`moto_server tests skipped: ${unavailable}`);

const BUCKET = 'dmbs-tapes-moto';
const TABLE = 'dmbs-results-moto';
const BUS = 'dmbs-events-moto';
const PART = 5 * 1024 * 1024;
const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };

let moto: MotoServer | undefined;
let endpoint = '';
let clients: AwsClients;
let sqs: SQSClient;
let store: S3TapeStore;
let results: DynamoResultsRepository;
let queueUrl = '';

describe.skipIf(!available)('moto_server', () => {
  beforeAll(async () => {
    moto = await startMoto();
    endpoint = moto.endpoint;
    clients = createAwsClients({ s3Endpoint: endpoint, dynamoDbEndpoint: endpoint, eventBridgeEndpoint: endpoint, credentials, region: 'us-east-1' });
    sqs = new SQSClient({ endpoint, credentials, region: 'us-east-1' });
    await clients.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await clients.s3.send(new PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: 'Enabled' } }));
    await ensureResultsTable(clients.dynamoDb, TABLE);
    store = new S3TapeStore({ client: clients.s3, bucket: BUCKET, partSizeBytes: PART });
    results = new DynamoResultsRepository({ client: clients.dynamoDb, tableName: TABLE });
    // TapeScored/TapeFailed → a queue the test reads.
    await clients.eventBridge.send(new CreateEventBusCommand({ Name: BUS }));
    queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'dmbs-events' }))).QueueUrl!;
    const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
    await clients.eventBridge.send(new PutRuleCommand({ Name: 'all-dmbs', EventBusName: BUS, EventPattern: JSON.stringify({ source: [EVENT_SOURCE] }) }));
    await clients.eventBridge.send(new PutTargetsCommand({ Rule: 'all-dmbs', EventBusName: BUS, Targets: [{ Id: 'q', Arn: queueArn }] }));
  }, 60_000);

  afterAll(async () => {
    if (clients) destroyAwsClients(clients);
    sqs?.destroy();
    await moto?.stop();
  });

  tapeStoreContract('moto (versioned bucket)', () => ({ store, s3: clients.s3, bucket: BUCKET, partSizeBytes: PART }));
  repositoryContract('moto', () => ({ results }));

  it('a versioned upload runs through the pipeline; TapeScored reaches the bus and its rule', async () => {
    const key = 'incoming/moto/deal-1/tape.csv';
    const put = await clients.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: toCsv(generateTape({ rows: 120, seed: 4 }).rows) }));
    expect(put.VersionId).toBeTruthy();
    const events = new EventBridgePublisher({ client: clients.eventBridge, busName: BUS });
    const object = { bucket: BUCKET, key, versionId: put.VersionId!, eTag: put.ETag!, eventTime: new Date().toISOString() };
    const { outcome, state } = await runPipeline(object, { store, results, events }, { runId: 'moto-run-1', sleep: async () => {} });
    expect(outcome).toBe('scored');
    expect((await results.getTape(state.tapeId!))?.status).toBe('SCORED');
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    const bodies = (received.Messages ?? []).map((m) => JSON.parse(m.Body!) as { source: string; 'detail-type': string; detail: { tapeId: string } });
    expect(bodies).toContainEqual(expect.objectContaining({ source: EVENT_SOURCE, 'detail-type': 'TapeScored', detail: expect.objectContaining({ tapeId: state.tapeId }) }));
  });

  it('the intake starter over Step Functions: starts up to the cap, defers the rest, starts a redelivered upload once', async () => {
    const sfn = new SFNClient({ endpoint, credentials, region: 'us-east-1' });
    try {
      const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({
        name: 'dmbs-pipeline-moto', roleArn: 'arn:aws:iam::123456789012:role/sfn', definition: JSON.stringify({ StartAt: 'Done', States: { Done: { Type: 'Succeed' } } }),
      }));
      const starter = new StepFunctionsRunStarter({ client: sfn, stateMachineArn: stateMachineArn! });
      const message = (n: number) => ({
        messageId: `m-${n}`,
        body: JSON.stringify({ eventId: `6f1c0c9e-0000-4000-8000-00000000000${n}`, object: { bucket: BUCKET, key: `incoming/moto/deal-2/t${n}.csv` } }),
      });
      const first = await startRuns([1, 2, 3, 4, 5].map(message), starter, 3);
      expect(first).toMatchObject({ started: 3, deferred: ['m-4', 'm-5'], failed: [] });
      expect(await starter.running(10)).toBe(3);
      // at the cap: nothing more starts, whatever the batch
      expect(await startRuns([4, 5].map(message), starter, 3)).toMatchObject({ started: 0, deferred: ['m-4', 'm-5'] });
      // a message delivered again names the same execution: Step Functions answers with the running
      // one (same name and input) or ExecutionAlreadyExists (once it ended) — never a second run
      const again = await startRuns([message(1)], starter, 10);
      expect(again).toMatchObject({ deferred: [], failed: [] });
      expect(again.started + again.alreadyStarted).toBe(1);
      expect(await starter.running(10)).toBe(3);
    } finally {
      sfn.destroy();
    }
  });
});
