/**
 * Bench: the stress what-if (POST /v1/tapes/{tapeId}/stress) on the local stack. Uploads one
 * generated tape of R rows (default 100,000; facilities as the generator's default), waits until
 * the pipeline scored it, then asks for the stress section under N models (the cap rate stepped
 * from 7 % to 11 %, one with market add-ons and tranches) and prints each request's time and the
 * median, as the page's what-if panel calls it (reviewer key, over HTTP). Checks that {} answers
 * the report's own section and that the cap rate moves the stressed value; asserts nothing on time.
 *
 *   npm run bench:what-if [-- --rows 100000 --requests 20]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { DmbsReport } from '../functions/core/generated/report.ts';
import { startLocalStack } from '../functions/local/local-stack.ts';
import { tapeIdFor } from '../functions/pipeline/tape-id.ts';
import { generateTape, toCsv } from './tape-generator.ts';
import { arg } from './number-arg.ts';

const rows = arg('rows', 100_000);
const requests = arg('requests', 20);
type Stress = NonNullable<DmbsReport['stress']>;

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const dataDir = await mkdtemp(join(tmpdir(), 'dmbs-bench-what-if-'));
const stack = await startLocalStack({ dataDir, apiPort: 0, s3Port: 0, dynamoDbPort: 0, webPage: false });
let exitCode = 0;
try {
  const token = stack.createdKeys!.reviewer;
  const api = async <T,>(path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${stack.endpoints.api}${path}`, {
      ...(body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) }),
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    });
    if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  console.log(`what-if bench: one tape of ${rows.toLocaleString('en-US')} rows, ${requests} models, ${availableParallelism()} CPUs, Node ${process.version}`);
  const seeded = performance.now();
  const key = 'incoming/bench/deal-what-if/tape.csv';
  const out = await stack.clients.s3.send(new PutObjectCommand({ Bucket: stack.bucket, Key: key, Body: toCsv(generateTape({ rows, seed: 77, dealId: 'deal-what-if' }).rows) }));
  const tapeId = tapeIdFor({ bucket: stack.bucket, key, versionId: out.VersionId ?? null });
  await stack.runner.whenIdle();
  console.log(`  seeded (upload + pipeline) in ${((performance.now() - seeded) / 1000).toFixed(2)} s`);
  const report = await api<DmbsReport>(`/v1/tapes/${tapeId}/report`);

  const models = Array.from({ length: requests }, (_, i) => (i === requests - 1
    ? { capRate: { base: 0.09, marketAdd: { 'Northern Virginia': 0.005, Dallas: 0.01, Phoenix: 0.0125 } }, tranches: [{ name: 'A', share: 0.7 }, { name: 'B', share: 0.2 }, { name: 'C', share: 0.1 }] }
    : { capRate: { base: Number((0.07 + (0.04 * i) / Math.max(1, requests - 2)).toFixed(4)) } }));
  const times: number[] = [];
  const own = await api<Stress>(`/v1/tapes/${tapeId}/stress`, {});
  if (!isDeepStrictEqual(own, report.stress)) {
    console.error('  {} DID NOT ANSWER THE REPORT\'S SECTION');
    exitCode = 1;
  }
  const values = new Set<string | null>();
  for (const model of models) {
    const started = performance.now();
    const section = await api<Stress>(`/v1/tapes/${tapeId}/stress`, model);
    times.push(performance.now() - started);
    values.add(section.pool.stressedValue);
  }
  const sorted = [...times].sort((a, b) => a - b);
  console.log(`  what-if per request: median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(1)} ms, min ${sorted[0]!.toFixed(1)} ms, max ${sorted.at(-1)!.toFixed(1)} ms (first ${times[0]!.toFixed(1)} ms)`);
  console.log(`  eligible loans ${report.eligibility.eligibleCount.toLocaleString('en-US')}; distinct stressed values over the models: ${values.size}`);
  if (values.size < Math.min(requests, 3)) {
    console.error('  THE MODELS DID NOT MOVE THE STRESSED VALUE');
    exitCode = 1;
  }
} finally {
  await stack.stop();
  await rm(dataDir, { recursive: true, force: true });
}
process.exitCode = exitCode;
