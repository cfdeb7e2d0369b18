import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalAnalyticsCache } from '../../functions/local/duckdb-engine.ts';
import { BUCKET, startEmbeddedAws, type EmbeddedAws } from './support/embedded-aws.ts';

let aws: EmbeddedAws;
let root: string;
beforeAll(async () => {
  aws = await startEmbeddedAws();
  root = await mkdtemp(join(tmpdir(), 'dmbs-cache-'));
});
afterAll(async () => {
  await aws?.stop();
  await rm(root, { recursive: true, force: true });
});

describe('the local analytics cache', () => {
  it('downloads new and replaced objects once, keeps them across a restart, drops deleted ones', async () => {
    // Paths below the cache's root are the keys below analytics/: the loans' and the group sums' files.
    const rel = 'loans/issuer=a/deal=d/reporting_date=2026-10-31/tape=t1/loans.parquet';
    const put = (body: string) => aws.clients.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `analytics/${rel}`, Body: body }));
    await put('first');
    await aws.clients.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'analytics/loans/x/other.txt', Body: 'not a tape file' }));
    await aws.clients.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'analytics/groups/x/loans.parquet', Body: 'not a group-sums file' }));
    const groups = 'groups/issuer=a/deal=d/reporting_date=2026-10-31/tape=t1/groups.parquet';
    await aws.clients.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `analytics/${groups}`, Body: 'sums' }));
    const cache = new LocalAnalyticsCache({ s3: aws.clients.s3, bucket: BUCKET, root });
    expect((await cache.sync()).slice().sort()).toEqual([groups, rel]);
    expect(await cache.sync()).toEqual([]);
    // A restart over the same directory: the file's bytes match the object, nothing to reload.
    const restarted = new LocalAnalyticsCache({ s3: aws.clients.s3, bucket: BUCKET, root });
    expect(await restarted.sync()).toEqual([]);
    await put('second');
    expect(await restarted.sync()).toEqual([rel]);
    await aws.clients.s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: `analytics/${rel}` }));
    expect(await restarted.sync()).toEqual([rel]);
    expect(existsSync(join(root, rel))).toBe(false);
  });
});
