/**
 * Bench: re-score every deal's latest tape on the local stack. Seeds D deals with one tape of R
 * rows each (uploads through the real S3 client, waits until the runner is idle), then asks the
 * API for a re-score of every deal (POST /v1/rescores { all: true }, reviewer key) and polls the
 * job (GET /v1/rescores/{jobId}) until DONE. Checks that every tape got revision 2 and still has
 * its revision 1 listed; prints the time, tapes/s and rows/s. Asserts only completeness.
 *
 *   npm run bench:rescore [-- --deals 200 --rows 200 --concurrency 4]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { RescoreJob } from '../functions/api/generated/api.ts';
import { startLocalStack } from '../functions/local/local-stack.ts';
import { tapeIdFor } from '../functions/pipeline/tape-id.ts';
import { generateTape, toCsv } from './tape-generator.ts';
import { arg } from './number-arg.ts';

const deals = arg('deals', 200);
const rows = arg('rows', 200);
const concurrency = arg('concurrency', 4);

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const dataDir = await mkdtemp(join(tmpdir(), 'dmbs-bench-rescore-'));
const stack = await startLocalStack({ dataDir, apiPort: 0, s3Port: 0, dynamoDbPort: 0, concurrency, webPage: false });
let exitCode = 0;
try {
  const token = stack.createdKeys!.reviewer;
  const api = async <T,>(path: string, init: RequestInit = {}): Promise<T> => {
    const res = await fetch(`${stack.endpoints.api}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } });
    if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  console.log(`re-score bench: ${deals} deals × 1 tape × ${rows} rows, runner concurrency ${concurrency}, ${availableParallelism()} CPUs, Node ${process.version}`);
  const seeded = performance.now();
  const tapeIds = await Promise.all(Array.from({ length: deals }, async (_, i) => {
    const key = `incoming/bench-${i % 10}/deal-${String(i).padStart(4, '0')}/tape.csv`;
    const out = await stack.clients.s3.send(new PutObjectCommand({ Bucket: stack.bucket, Key: key, Body: toCsv(generateTape({ rows, seed: 2000 + i, dealId: `deal-${i}` }).rows) }));
    return tapeIdFor({ bucket: stack.bucket, key, versionId: out.VersionId ?? null });
  }));
  await stack.runner.whenIdle();
  console.log(`  seeded (upload + pipeline) in ${((performance.now() - seeded) / 1000).toFixed(2)} s`);

  const started = performance.now();
  let job = await api<RescoreJob>('/v1/rescores', { method: 'POST', body: JSON.stringify({ all: true }) });
  let polls = 0;
  while (job.status !== 'DONE') {
    await new Promise((r) => setTimeout(r, 100));
    job = await api<RescoreJob>(job.links.self);
    polls++;
  }
  const ms = performance.now() - started;
  const revisions = await Promise.all(tapeIds.map(async (id) => {
    const tape = await stack.results.getTape(id);
    return `${tape?.revision ?? 1}:${tape?.revisions?.map((r) => r.revision).join(',') ?? ''}`;
  }));
  const good = revisions.filter((r) => r === '2:1').length;
  console.log(`  re-score of every deal's latest tape: ${(ms / 1000).toFixed(2)} s (${polls} progress polls), ${(deals / (ms / 1000)).toFixed(1)} tapes/s, ${Math.round((deals * rows) / (ms / 1000)).toLocaleString('en-US')} rows/s`);
  console.log(`  job: total ${job.total}, scored ${job.scored}, failed ${job.failed}, skipped ${job.skipped}; tapes at revision 2 with revision 1 listed: ${good}`);
  if (job.total !== deals || job.scored !== deals || good !== deals) {
    console.error(`  NOT ALL RE-SCORED: expected ${deals}`);
    exitCode = 1;
  }
} finally {
  await stack.stop();
  await rm(dataDir, { recursive: true, force: true });
}
process.exitCode = exitCode;
