/**
 * Bench: the API over two big tape versions of one deal, before and after loan keys and loan
 * pages. Generates the tapes (v2: 1 % of v1's loans removed, 2 % with another balance, 1 % new
 * loans; 1 % broken rows, duplicated ids among them), runs the real pipeline on the embedded
 * emulators (s3rver + dynalite on loopback), then measures each request in its own child process
 * (time of the request; its CPU seconds, all threads, steadier than wall time on a shared
 * machine; peak RSS = the child's VmHWM, and its RSS before the request):
 *
 * - compare v1 → v2 (limit 100), old route (the canonical loans streamed) and new (loan keys);
 * - six compares at once in one process, old and new;
 * - a page of 100 loans: unfiltered, eligible=false, criterion=E05 first page, and a page of
 *   criterion=E05 deep in the tape (from a token at 90 % of the results), old (scan) and new (pages).
 *
 * Prints figures; asserts nothing. Old = the same tape records without the new artifact keys.
 *
 *   npx tsx bench/api-big-tapes.ts [--rows 1000000] [--data DIR] [--only new|old]
 *
 * --data DIR keeps the emulators' data (objects and table) in DIR: a second run with the same
 * DIR skips generating and scoring the tapes. Without it everything goes to a temp folder.
 */
import { spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { createApp } from '../functions/api/app.ts';
import { encodePageToken } from '../functions/api/page-token.ts';
import type { ResultsReader } from '../functions/api/ports.ts';
import { createAwsClients } from '../functions/aws/clients.ts';
import { DynamoResultsRepository, ensureResultsTable, type TapeRecord } from '../functions/aws/results-repository.ts';
import { S3TapeStore } from '../functions/aws/s3-tape-store.ts';
import { LOCAL_TABLE_NAME } from '../functions/aws/table-definition.ts';
import { MemoryEventPublisher } from '../functions/aws/event-publisher.ts';
import { EMULATOR_CREDENTIALS, startDynamoDbEmulator, startS3Emulator } from '../functions/local/emulators.ts';
import { runPipeline } from '../functions/pipeline/run-pipeline.ts';
import { GENERATED_FIELDS, csvCell, streamTape, type GeneratedRow } from './tape-generator.ts';

const BUCKET = 'dmbs-tapes';
const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};

const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
const vmHwm = async () => Number(/VmHWM:\s+(\d+) kB/.exec(await readFile('/proc/self/status', 'utf8'))?.[1] ?? 0) * 1024;

/** As a tape scored before loan keys and loan pages existed is recorded. */
function legacy(tape: TapeRecord | undefined): TapeRecord | undefined {
  if (!tape?.artifacts) return tape;
  const { loanKeys: _k, loanPages: _p, loanPagesIndex: _i, ...artifacts } = tape.artifacts;
  return { ...tape, artifacts };
}

/** Child: one measured request (or several at once) against the emulators the parent runs. */
async function child(): Promise<void> {
  const [s3Endpoint, dynamoDbEndpoint, route, paths] = [arg('s3')!, arg('ddb')!, arg('route')!, JSON.parse(arg('paths')!) as string[]];
  const clients = createAwsClients({ s3Endpoint, dynamoDbEndpoint, credentials: EMULATOR_CREDENTIALS, region: 'us-east-1' });
  const repo = new DynamoResultsRepository({ client: clients.dynamoDb, tableName: LOCAL_TABLE_NAME });
  const results: ResultsReader = {
    getTape: async (id) => (route === 'old' ? legacy(await repo.getTape(id)) : repo.getTape(id)),
    listTapesByDeal: (...a) => repo.listTapesByDeal(...a),
    listDealsByIssuer: (...a) => repo.listDealsByIssuer(...a),
    listDeals: (...a) => repo.listDeals(...a),
    getDeal: (...a) => repo.getDeal(...a),
    listTapesByStatus: (...a) => repo.listTapesByStatus(...a),
    dealKind: (...a) => repo.dealKind(...a),
  };
  const app = createApp({
    results,
    artifacts: new S3TapeStore({ client: clients.s3, bucket: BUCKET }),
    presigner: { presignPut: async () => ({ url: '', headers: {} }) },
    auth: { authenticate: () => ({ ok: true, principal: { role: 'reviewer', subject: 'bench' } }) },
  });
  const before = process.memoryUsage().rss;
  const t = performance.now();
  const cpu = process.cpuUsage();
  const bodies = await Promise.all(paths.map(async (p) => {
    const res = await app.request(p, { headers: { authorization: 'Bearer x' } });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`${p}: ${res.status} ${text}`);
    return text;
  }));
  const seconds = (performance.now() - t) / 1000;
  const used = process.cpuUsage(cpu);
  process.stdout.write(JSON.stringify({ seconds, cpu: (used.user + used.system) / 1e6, peak: await vmHwm(), before, bytes: bodies[0]!.length, sha: createHash('sha256').update(bodies[0]!).digest('hex') }));
  process.exit(0);
}

function csvLine(row: GeneratedRow): string {
  return `${GENERATED_FIELDS.map((f) => csvCell(row[f])).join(',')}\n`;
}

async function writeTape(file: string, rows: Iterable<GeneratedRow>): Promise<number> {
  const out = createWriteStream(file);
  out.write(`${GENERATED_FIELDS.join(',')}\n`);
  let batch = '';
  for (const row of rows) {
    batch += csvLine(row);
    if (batch.length > 1 << 20 && !out.write(batch)) await once(out, 'drain');
    if (batch.length > 1 << 20) batch = '';
  }
  out.end(batch);
  await once(out, 'finish');
  return (await stat(file)).size;
}

async function main(): Promise<void> {
  const rows = Number(arg('rows') ?? 1_000_000);
  const kept = arg('data');
  const dir = kept ?? await mkdtemp(join(tmpdir(), 'dmbs-bench-api-'));
  await mkdir(join(dir, 'ddb'), { recursive: true });
  const prepared = join(dir, 'tapes.json');
  const s3 = await startS3Emulator({ directory: join(dir, 's3'), buckets: [BUCKET], onEvent: () => {} });
  const ddb = await startDynamoDbEmulator({ path: join(dir, 'ddb') });
  try {
    const clients = createAwsClients({ s3Endpoint: s3.endpoint, dynamoDbEndpoint: ddb.endpoint, credentials: EMULATOR_CREDENTIALS, region: 'us-east-1' });
    await ensureResultsTable(clients.dynamoDb, LOCAL_TABLE_NAME);
    const store = new S3TapeStore({ client: clients.s3, bucket: BUCKET });
    const results = new DynamoResultsRepository({ client: clients.dynamoDb, tableName: LOCAL_TABLE_NAME });
    const ports = { store, results, events: new MemoryEventPublisher(), options: { maxTapeBytes: 2 ** 40 } };

    const v1 = function* () {
      for (const { row } of streamTape({ rows, seed: 51, brokenShare: 0.01, dealId: 'deal-1' })) yield row;
    };
    const v2 = function* () {
      for (const { index, row } of streamTape({ rows, seed: 51, brokenShare: 0.01, dealId: 'deal-1' })) {
        if (index % 100 === 7) continue;
        if (index % 50 === 3 && /^\d+\.\d\d$/.test(row.currentBalance)) row.currentBalance = (Number(row.currentBalance) - 12345.67).toFixed(2);
        yield row;
      }
      for (const { row } of streamTape({ rows: Math.floor(rows / 100), seed: 52, dealId: 'deal-1' })) yield row;
    };
    let tapeIds: string[] = [];
    try {
      tapeIds = JSON.parse(await readFile(prepared, 'utf8')) as string[];
      console.log(`tapes ${tapeIds.join(', ')} from ${dir}`);
    } catch {
      let clock = Date.parse('2026-11-01T00:00:00Z');
      for (const [name, gen] of [['v1', v1], ['v2', v2]] as const) {
        const file = join(dir, `${name}.csv`);
        const size = await writeTape(file, gen());
        const key = `incoming/acme/deal-1/${name}.csv`;
        const put = await clients.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: createReadStream(file), ContentLength: size }));
        await rm(file);
        const t = performance.now();
        const run = await runPipeline({ bucket: BUCKET, key, versionId: put.VersionId ?? null, eTag: put.ETag ?? null, size, eventTime: new Date((clock += 60_000)).toISOString() }, ports, { runId: randomUUID(), sleep: async () => {} });
        if (run.outcome !== 'scored') throw new Error(`${name}: ${run.outcome} ${JSON.stringify(run.state.error ?? run.state)}`);
        tapeIds.push(run.state.tapeId!);
        console.log(`${name}: ${mib(size)} MiB CSV, pipeline ${((performance.now() - t) / 1000).toFixed(1)} s, ${run.state.evaluation?.loansEvaluated} loans evaluated`);
      }
      await writeFile(prepared, JSON.stringify(tapeIds));
    }
    const [a, b] = tapeIds as [string, string];
    const tape = (await results.getTape(b))!;
    for (const k of ['loans', 'loanResults', 'loanKeys', 'loanPages', 'loanPagesIndex'] as const) {
      const key = tape.artifacts![k]!;
      let bytes = 0;
      for await (const c of await store.open({ key })) bytes += c.length;
      console.log(`  v2 ${k.padEnd(15)} ${(bytes / 2 ** 20).toFixed(1).padStart(7)} MiB`);
    }

    const compare = `/v1/deals/deal-1/compare?issuerId=acme&from=${a}&to=${b}&limit=100`;
    const results90 = Math.floor((tape.summary!.eligibleCount + tape.summary!.ineligibleCount) * 0.9);
    const deep = encodePageToken(`loans:${b}::E05`, results90);
    const cases: [string, string[]][] = [
      ['compare v1 -> v2', [compare]],
      ['6 compares at once', Array(6).fill(compare)],
      ['loans, first page', [`/v1/tapes/${b}/loans?limit=100`]],
      ['loans eligible=false', [`/v1/tapes/${b}/loans?eligible=false&limit=100`]],
      ['loans criterion=E05', [`/v1/tapes/${b}/loans?criterion=E05&limit=100`]],
      ['loans E05 at 90 %', [`/v1/tapes/${b}/loans?criterion=E05&limit=100&nextToken=${deep}`]],
    ];
    console.log(`\n${'request'.padEnd(22)} ${'route'.padEnd(5)} ${'time s'.padStart(7)} ${'cpu s'.padStart(6)} ${'peak RSS MiB'.padStart(13)} ${'RSS before'.padStart(11)}  response`);
    for (const [name, paths] of cases) {
      const bodies: string[] = [];
      for (const route of ['old', 'new'].filter((r) => !arg('only') || arg('only') === r)) {
        const out = await new Promise<string>((resolve, reject) => {
          const p = spawn(process.execPath, [...process.execArgv, process.argv[1]!, '--child', '--s3', s3.endpoint, '--ddb', ddb.endpoint, '--route', route, '--paths', JSON.stringify(paths)], { stdio: ['ignore', 'pipe', 'pipe'] });
          let text = '';
          let errors = '';
          p.stdout.on('data', (c: Buffer) => (text += c.toString()));
          p.stderr.on('data', (c: Buffer) => (errors += c.toString()));
          p.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`${name} ${route}: exit ${code}\n${errors}`))));
        });
        const r = JSON.parse(out.slice(out.indexOf('{'))) as { seconds: number; cpu: number; peak: number; before: number; bytes: number; sha: string };
        bodies.push(r.sha);
        console.log(`${name.padEnd(22)} ${route.padEnd(5)} ${r.seconds.toFixed(2).padStart(7)} ${r.cpu.toFixed(2).padStart(6)} ${mib(r.peak).padStart(13)} ${mib(r.before).padStart(11)}  ${r.bytes} bytes`);
      }
      if (bodies.length === 2 && bodies[0] !== bodies[1]) console.log('  ! the old and new responses differ');
    }
  } finally {
    await Promise.all([s3.stop(), ddb.stop()]);
    if (!kept) await rm(dir, { recursive: true, force: true });
  }
}

await (process.argv.includes('--child') ? child() : main());
