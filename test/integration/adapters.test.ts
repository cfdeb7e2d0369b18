/**
 * The S3 and DynamoDB adapters through the real @aws-sdk clients against the embedded
 * emulators (s3rver 3.7.1, dynalite 4.0.0 on 127.0.0.1 free ports).
 */
import { afterAll, beforeAll } from 'vitest';
import { repositoryContract, tapeStoreContract } from './support/contracts.ts';
import { BUCKET, startEmbeddedAws, type EmbeddedAws } from './support/embedded-aws.ts';

const PART = 5 * 1024 * 1024;
let aws: EmbeddedAws;
beforeAll(async () => {
  aws = await startEmbeddedAws({ partSizeBytes: PART });
});
afterAll(async () => {
  await aws?.stop();
});

tapeStoreContract('s3rver', () => ({ store: aws.store, s3: aws.clients.s3, bucket: BUCKET, partSizeBytes: PART }));
repositoryContract('dynalite', () => ({ results: aws.results }));
