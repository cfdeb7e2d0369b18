/**
 * The same S3 and DynamoDB adapters, and the same step list, against moto (a second, independent
 * emulator of the AWS wire protocol, with real bucket versioning) when `moto_server` is on PATH:
 * what passes against s3rver/dynalite only because of an emulator quirk shows up here.
 */
import { CreateBucketCommand, PutBucketVersioningCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsClients, destroyAwsClients, type AwsClients } from '../../functions/aws/clients.ts';
import { MemoryEventPublisher } from '../../functions/aws/event-publisher.ts';
import { DynamoResultsRepository, ensureResultsTable } from '../../functions/aws/results-repository.ts';
import { S3TapeStore } from '../../functions/aws/s3-tape-store.ts';
import { LOCAL_TABLE_NAME } from '../../functions/aws/table-definition.ts';
import { runPipeline, type PipelinePorts, type TapeObject } from '../../functions/pipeline/index.ts';
import { generateTape, toCsv } from '../../bench/tape-generator.ts';
import { motoUnavailable, startMoto, type MotoServer } from './support/moto-server.ts';

const unavailable = motoUnavailable();
const motoOnPath = !unavailable;
if (unavailable) console.log(`local-stack-moto: the adapter round trip against moto does not run: ${unavailable}`);

const BUCKET = 'dmbs-tapes-moto';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

describe.runIf(motoOnPath)('S3 and DynamoDB adapters against moto', () => {
  let moto: MotoServer | undefined;
  let clients: AwsClients;
  let ports: PipelinePorts;
  let results: DynamoResultsRepository;
  let events: MemoryEventPublisher;

  beforeAll(async () => {
    moto = await startMoto();
    const endpoint = moto.endpoint;
    clients = createAwsClients({ s3Endpoint: endpoint, dynamoDbEndpoint: endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, region: 'us-east-1' });
    await clients.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await clients.s3.send(new PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: 'Enabled' } }));
    await ensureResultsTable(clients.dynamoDb, LOCAL_TABLE_NAME);
    results = new DynamoResultsRepository({ client: clients.dynamoDb, tableName: LOCAL_TABLE_NAME });
    events = new MemoryEventPublisher();
    ports = { store: new S3TapeStore({ client: clients.s3, bucket: BUCKET }), results, events };
  }, 60_000);

  afterAll(async () => {
    if (clients) destroyAwsClients(clients);
    await moto?.stop();
  });

  const upload = async (key: string, body: string): Promise<TapeObject> => {
    const out = await clients.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
    expect(out.VersionId).toBeTruthy(); // a real versioned bucket
    return { bucket: BUCKET, key, versionId: out.VersionId ?? null, eTag: out.ETag ?? null, size: Buffer.byteLength(body), eventTime: new Date().toISOString() };
  };

  it('scores a tape, once per object version, and keeps byte-identical content to one tape version', async () => {
    const body = toCsv(generateTape({ rows: 150, seed: 91, dealId: 'deal-moto' }).rows);
    const object = await upload('incoming/acme/deal-moto/tape.csv', body);
    const run = await runPipeline(object, ports, { runId: 'moto-1', sleep: async () => undefined });
    expect(run.outcome).toBe('scored');
    const tapeId = run.state.tapeId!;
    const tape = await results.getTape(tapeId);
    expect(tape?.status).toBe('SCORED');
    expect(tape?.summary?.rowCount).toBe(150);
    const report = await ports.store.getJson<{ validation: { rowCount: number }; tape: { sha256: string } }>(tape!.artifacts!.report);
    expect(report.validation.rowCount).toBe(150);

    // The same notification again: ignored.
    const again = await runPipeline(object, ports, { runId: 'moto-2', sleep: async () => undefined });
    expect(again.outcome).toBe('stopped');
    expect(again.state.stop?.reason).toBe('DUPLICATE_NOTIFICATION');

    // The same bytes as a new version: no new tape version. Changed bytes: a new one.
    const same = await runPipeline(await upload('incoming/acme/deal-moto/tape.csv', body), ports, { runId: 'moto-3', sleep: async () => undefined });
    expect(same.state.stop?.reason).toBe('DUPLICATE_CONTENT');
    const changed = await runPipeline(await upload('incoming/acme/deal-moto/tape.csv', toCsv(generateTape({ rows: 150, seed: 92, dealId: 'deal-moto' }).rows)), ports, { runId: 'moto-4', sleep: async () => undefined });
    expect(changed.outcome).toBe('scored');
    const page = await results.listTapesByDeal('acme', 'deal-moto');
    expect(page.items.map((t) => t.tapeId)).toEqual([changed.state.tapeId, tapeId]);
    expect(events.events.filter((e) => e.type === 'TapeScored')).toHaveLength(2);
  });

  it('records a bad key as FAILED with the reason', async () => {
    const run = await runPipeline(await upload('incoming/acme/tape.csv', 'loanId\nL1\n'), ports, { runId: 'moto-5', sleep: async () => undefined });
    expect(run.outcome).toBe('failed');
    const tape = await results.getTape(run.state.tapeId!);
    expect(tape?.status).toBe('FAILED');
    expect(tape?.failure?.code).toBe('OBJECT_KEY_INVALID');
  });
});
