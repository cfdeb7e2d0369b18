/**
 * Bench: the local stack under a burst. Starts the embedded stack (free ports, temp data dir),
 * uploads N distinct tapes of R rows at once through the real S3 client, waits until the runner
 * is idle, checks that every upload is one SCORED tape (none lost, none duplicated), and prints
 * tapes/s, rows/s and per-tape latency. Asserts only completeness; prints figures.
 *
 *   npm run bench:local [-- --tapes 200 --rows 200 --concurrency 4 --large 0 --throttle 0 --max-queued 1000 --delay-scale 0.001]
 *   (--large N: also time one N-row tape alone; --throttle N: the first N step invocations are
 *   throttled as Lambda throttles them, retried under THROTTLING_RETRY with its waits times
 *   --delay-scale; --max-queued M: uploads waiting in memory, the rest wait in the inbox)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { startLocalStack } from '../functions/local/local-stack.ts';
import type { RunResult } from '../functions/local/local-runner.ts';
import { throttleFirstCalls } from '../functions/pipeline/step-invoker.ts';
import { tapeIdFor } from '../functions/pipeline/tape-id.ts';
import { generateTape, toCsv } from './tape-generator.ts';
import { arg } from './number-arg.ts';

const tapes = arg('tapes', 200);
const rows = arg('rows', 200);
const concurrency = arg('concurrency', 4);
const large = arg('large', 0);
const throttled = arg('throttle', 0);
const maxQueued = arg('max-queued', 1000);
const delayScale = arg('delay-scale', 0.001);
const throttle = throttleFirstCalls(throttled);

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const dataDir = await mkdtemp(join(tmpdir(), 'dmbs-bench-local-'));
const runs: RunResult[] = [];
const stack = await startLocalStack({ dataDir, apiPort: 0, s3Port: 0, dynamoDbPort: 0, concurrency, webPage: false, onRun: (r) => runs.push(r),
  maxQueued, ...(throttled > 0 ? { invokeStep: throttle, retrySleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms * delayScale)) } : {}),
});
const percentile = (xs: number[], p: number) => xs.sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? 0;
let exitCode = 0;
try {
  const bodies = Array.from({ length: tapes }, (_, i) => ({
    key: `incoming/bench-${i % 10}/deal-${i % 25}/tape-${String(i).padStart(4, '0')}.csv`,
    body: toCsv(generateTape({ rows, seed: 1000 + i, dealId: `deal-${i % 25}` }).rows),
  }));
  const bytes = bodies.reduce((n, b) => n + b.body.length, 0);
  console.log(`local stack: ${tapes} tapes × ${rows} rows (${(bytes / 2 ** 20).toFixed(1)} MiB), runner concurrency ${concurrency}, queue ${maxQueued}, first ${throttled} step calls throttled (waits × ${delayScale}), ${availableParallelism()} CPUs, Node ${process.version}`);

  const started = performance.now();
  const uploaded = await Promise.all(bodies.map(async ({ key, body }) => {
    const out = await stack.clients.s3.send(new PutObjectCommand({ Bucket: stack.bucket, Key: key, Body: body }));
    return tapeIdFor({ bucket: stack.bucket, key, versionId: out.VersionId ?? null });
  }));
  const uploadMs = performance.now() - started;
  await stack.runner.whenIdle();
  const totalMs = performance.now() - started;

  const statuses = await Promise.all(uploaded.map((id) => stack.results.getTape(id).then((t) => t?.status ?? 'MISSING')));
  const counts = statuses.reduce<Record<string, number>>((m, s) => ({ ...m, [s]: (m[s] ?? 0) + 1 }), {});
  const scored = counts.SCORED ?? 0;
  const distinct = new Set(uploaded).size;
  const latencies = runs.filter((r) => r.outcome === 'scored').map((r) => r.milliseconds);
  console.log(`  uploads accepted in ${(uploadMs / 1000).toFixed(2)} s; all processed in ${(totalMs / 1000).toFixed(2)} s`);
  console.log(`  ${(tapes / (totalMs / 1000)).toFixed(1)} tapes/s, ${Math.round((tapes * rows) / (totalMs / 1000)).toLocaleString('en-US')} rows/s`);
  console.log(`  per tape (one run, queueing excluded): p50 ${percentile(latencies, 50).toFixed(0)} ms, p95 ${percentile(latencies, 95).toFixed(0)} ms, max ${Math.max(...latencies).toFixed(0)} ms`);
  console.log(`  outcome: ${JSON.stringify(counts)}; ${distinct} distinct tapes; runs ${runs.length}; step calls throttled ${throttle.throttled}`);
  if (scored !== tapes || distinct !== tapes) {
    console.error(`  NOT ALL SCORED: expected ${tapes} SCORED tapes`);
    exitCode = 1;
  }

  if (large > 0) {
    const body = toCsv(generateTape({ rows: large, seed: 5, dealId: 'deal-large' }).rows);
    const t = performance.now();
    const out = await stack.clients.s3.send(new PutObjectCommand({ Bucket: stack.bucket, Key: 'incoming/bench/deal-large/large.csv', Body: body }));
    await stack.runner.whenIdle();
    const ms = performance.now() - t;
    const tape = await stack.results.getTape(tapeIdFor({ bucket: stack.bucket, key: 'incoming/bench/deal-large/large.csv', versionId: out.VersionId ?? null }));
    console.log(`  one tape of ${large.toLocaleString('en-US')} rows (${(body.length / 2 ** 20).toFixed(0)} MiB): ${tape?.status} in ${(ms / 1000).toFixed(1)} s upload included, ${Math.round(large / (ms / 1000)).toLocaleString('en-US')} rows/s`);
  }
} finally {
  await stack.stop();
  await rm(dataDir, { recursive: true, force: true });
}
process.exitCode = exitCode;
