/**
 * `npm run bench`: end-to-end throughput of `dmbs check` on generated tapes (CSV 100k and 1M rows,
 * NDJSON, XLSX), peak RSS, a per-stage breakdown of one thread (read, map+coerce, validate,
 * evaluate, report), and the straightforward reference pipeline (reference-pipeline.ts) on the
 * same tapes with the ratio. Prints a table and writes bench/results/pipeline.json. Tapes are
 * generated once into the OS temp folder (never the repository). Asserts nothing.
 *
 *   npm run bench -- [--rows 100000,1000000] [--runs 3] [--workers N] [--broken 0.02] [--quoted 0.05]
 *                    [--ndjson-rows 100000,1000000] [--xlsx-rows 100000] [--reference-rows 100000,1000000]
 *                    [--only csv,ndjson,xlsx,stages,reference]
 *   npm run bench -- --compute [...]         dmbs check over generated compute (GPU lot) tapes (bench/compute-check.ts)
 *   npm run bench -- --market [...]          the market view on DuckDB (bench/market.ts)
 *   npm run bench -- --parquet-writers       the candidate Parquet writers (bench/parquet-writers.ts)
 *
 * Each measurement runs in a child process: `node bin/dmbs.mjs check FILE --json --workers N`
 * (what a user runs, process start included), peak RSS read from /proc (VmHWM, the whole process:
 * main thread and worker threads). The best of --runs is reported with the load average before it,
 * since other work on the machine slows a run down, never speeds it up.
 */
import { LOAN_TAPE_KIND } from '../functions/core/kinds/loan-tape/kind.ts';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildReport, type PassResult } from '../functions/core/check-tape.ts';
import { loadCriteria } from '../functions/core/evaluation/criteria.ts';
import { PoolAccumulator } from '../functions/core/evaluation/pool-accumulator.ts';
import { parseCsv, cellText } from '../functions/core/readers/csv-reader.ts';
import { FIELDS } from '../functions/core/schema/loan-tape-schema.ts';
import { coerceScratch, coerceSpan } from '../functions/core/validation/coerce.ts';
import { TapeValidator } from '../functions/core/validation/tape-validator.ts';
import { LOAN_TAPE_VALIDATION } from '../functions/core/kinds/loan-tape/validation.ts';
import type { GenOptions } from './gen.ts';
import { bestOf, cachedTape, checkRun, load, round, table, type Row } from './check-runs.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
// The compute and market benches have their own flags (bench/compute-check.ts, bench/market.ts, bench/parquet-writers.ts).
if (process.argv.includes('--compute')) {
  await (await import('./compute-check.ts')).runComputeBench(process.argv.slice(2).filter((a) => a !== '--compute'));
  process.exit(0);
}
if (process.argv.includes('--market')) {
  await (await import('./market.ts')).runMarketBench(process.argv.slice(2).filter((a) => a !== '--market'));
  process.exit(0);
}
if (process.argv.includes('--parquet-writers')) {
  await import('./parquet-writers.ts');
  process.exit(0);
}
const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '100000,1000000' },
    runs: { type: 'string', default: '3' },
    workers: { type: 'string', default: String(availableParallelism()) },
    broken: { type: 'string', default: '0.02' },
    quoted: { type: 'string', default: '0.05' },
    'ndjson-rows': { type: 'string', default: '100000,1000000' },
    'xlsx-rows': { type: 'string', default: '100000' },
    'reference-rows': { type: 'string', default: '100000,1000000' },
    only: { type: 'string', default: 'csv,ndjson,xlsx,stages,reference' },
    stage: { type: 'string' },
    file: { type: 'string' },
    out: { type: 'string', default: join(here, 'results', 'pipeline.json') },
  },
});
const list = (s: string) => s.split(',').filter(Boolean).map(Number);
const only = new Set(values.only.split(','));
const runs = Number(values.runs);
const workers = Number(values.workers);

// ---------------------------------------------------------------------------------------------
// Tapes and child-process measurements (bench/check-runs.ts)

function tape(format: GenOptions['format'], rows: number, extra: Partial<GenOptions> = {}): Promise<string> {
  return cachedTape({
    rows, seed: 1, format, out: '',
    broken: Number(values.broken), quoted: format === 'csv' ? Number(values.quoted) : 0, eol: '\n', ...extra,
  });
}

const best = (label: string, command: string, args: string[], n = runs) => bestOf(label, command, args, n);
const endToEnd = (name: string, path: string, rows: number, w: number): Promise<Row> => checkRun(name, path, rows, w, runs);

async function reference(path: string, rows: number): Promise<Row> {
  const mb = statSync(path).size / 1e6;
  // It holds the valid loans until duplicated ids are known: 1M rows need more than the default heap.
  const r = await best('reference', process.execPath, ['--max-old-space-size=16384', '--import', 'tsx', join(here, 'reference-pipeline.ts'), path], Math.min(runs, rows > 200_000 ? 1 : runs));
  const counts = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { seconds: number };
  return { name: 'reference (csv-parse + ajv coerceTypes + decimal.js)', rows, mb: round(mb, 1), workers: 1, seconds: round(r.seconds, 2), rowsPerSecond: Math.round(rows / r.seconds), mbPerSecond: round(mb / r.seconds, 1), peakRssMB: r.peakRssMB, load: r.load, runs: r.runs, ...{ counts } };
}

// ---------------------------------------------------------------------------------------------
// Stages (one thread, in a child process each): cumulative passes, a stage = the difference.

const STAGES = ['read', 'coerce', 'validate', 'evaluate'] as const;

async function stageChild(stage: string, path: string): Promise<void> {
  const started = performance.now();
  let validator: TapeValidator | undefined;
  let columnOf: Int32Array | undefined;
  const scratch = coerceScratch();
  const criteria = loadCriteria();
  const accumulator = new PoolAccumulator(criteria);
  let rows = 0;
  let reportMs = 0;
  await parseCsv(createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Uint8Array>, {}, { spans: (row, cells) => {
    rows++;
    if (stage === 'read') return;
    if (!validator) {
      validator = new TapeValidator(LOAN_TAPE_VALIDATION);
      validator.header(Array.from({ length: cells.count }, (_, k) => cellText(cells, k)), row);
      columnOf = validator.finish().plan!.columnOfField;
      return;
    }
    if (stage === 'coerce') {
      for (let i = 0; i < FIELDS.length; i++) {
        const pos = columnOf![i]!;
        if (pos >= 0 && pos < cells.count) {
          const special = cells.special[pos];
          if (special === undefined) coerceSpan(FIELDS[i]!, cells.text, cells.starts[pos]!, cells.ends[pos]!, PLAIN, scratch);
        }
      }
      return;
    }
    const result = validator.recordSpans(row, cells);
    if (stage === 'evaluate' && result.valid && result.loan) accumulator.add(result.loan);
  } });
  if (stage === 'evaluate') {
    const t = performance.now();
    const summary = validator!.finish();
    const pass: PassResult = { summary, format: 'csv', sha256: '', extra: { delimiter: ',' } };
    buildReport({ fileName: path }, pass, [], false, LOAN_TAPE_KIND, (dq) => LOAN_TAPE_KIND.buildSections(accumulator, dq));
    reportMs = performance.now() - t;
  }
  process.stdout.write(`${JSON.stringify({ rows, ms: performance.now() - started - reportMs, reportMs })}\n`);
}
const PLAIN = { percent: false, decimalComma: false };

async function stages(path: string, rows: number): Promise<Record<string, number>> {
  const ms: Record<string, number> = {};
  let reportMs = 0;
  for (const stage of STAGES) {
    let bestMs = Number.POSITIVE_INFINITY;
    for (let i = 0; i < runs; i++) {
      const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--stage', stage, '--file', path], { cwd: root, encoding: 'utf8' });
      const out = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as { ms: number; reportMs: number };
      if (out.ms < bestMs) {
        bestMs = out.ms;
        if (stage === 'evaluate') reportMs = out.reportMs;
      }
    }
    ms[stage] = bestMs;
  }
  // sha256 of the bytes (the report's tape.sha256), in this process
  const t = performance.now();
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  hash.digest();
  const hashMs = performance.now() - t;
  const stage = {
    read: ms.read!,
    'map+coerce': ms.coerce! - ms.read!,
    validate: ms.validate! - ms.coerce!,
    evaluate: ms.evaluate! - ms.validate!,
    report: reportMs,
    sha256: hashMs,
  };
  return Object.fromEntries(Object.entries(stage).map(([k, v]) => [k, round(v)])) as Record<string, number>;
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  console.log(`dmbs bench — node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), load ${load().join(' ')}`);
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('build failed');
  const results: Row[] = [];
  const report: Record<string, unknown> = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
    tapes: { columns: 61, seed: 1, broken: Number(values.broken), quoted: Number(values.quoted), facilities: 'one per 1.25 loans, at most 20,000 (bench/tape-generator.ts), unless the row says otherwise' },
  };
  const ratios: Array<Record<string, unknown>> = [];
  const say = (r: Row) => {
    results.push(r);
    console.log(`  ${r.name.padEnd(46)} ${String(r.rows).padStart(8)} rows ${r.seconds.toFixed(2).padStart(7)} s ${String(r.rowsPerSecond).padStart(7)} rows/s ${String(r.mbPerSecond).padStart(6)} MB/s  peak RSS ${r.peakRssMB} MB  (load ${r.load[0]})`);
  };

  if (only.has('csv') || only.has('reference') || only.has('stages')) {
    for (const rows of list(values.rows)) {
      const path = await tape('csv', rows);
      const clean = await tape('csv', rows, { broken: 0 });
      console.log(`CSV ${rows} rows (${(statSync(path).size / 1e6).toFixed(0)} MB; ${Number(values.broken) * 100}% broken rows incl. duplicated ids, ${Number(values.quoted) * 100}% quoted line breaks)`);
      let ours: Row | undefined;
      if (only.has('csv')) {
        say((ours = await endToEnd(`dmbs check csv, ${workers} workers`, path, rows, workers)));
        if (workers !== 1) say(await endToEnd('dmbs check csv, 1 worker', path, rows, 1));
        say(await endToEnd(`dmbs check csv, no broken rows, ${workers} workers`, clean, rows, workers));
        // Memory follows distinct groups: the worst case, a new facility every 1.25 loans.
        const spread = await tape('csv', rows, { facilities: Math.floor(rows * 0.8) });
        say(await endToEnd(`dmbs check csv, a facility per 1.25 loans, ${workers} workers`, spread, rows, workers));
      }
      if (only.has('reference') && list(values['reference-rows']).includes(rows)) {
        const ref = await reference(path, rows);
        say(ref);
        if (ours) {
          const ratio = round(ours.rowsPerSecond / ref.rowsPerSecond, 1);
          ratios.push({ rows, ours: ours.rowsPerSecond, reference: ref.rowsPerSecond, ratio });
          console.log(`  ratio dmbs check / reference: ${ratio}×`);
        }
      }
      if (only.has('stages')) {
        const s = await stages(path, rows);
        (report.stages ??= {} as Record<string, unknown>);
        (report.stages as Record<string, unknown>)[String(rows)] = s;
        const total = s.read! + s['map+coerce']! + s.validate! + s.evaluate! + s.report!;
        console.log(`  stages, one thread (ms; rows/s of the stage alone): ${Object.entries(s).map(([k, v]) => `${k} ${v} (${Math.round(rows / (v / 1000)).toLocaleString('en-US')}/s)`).join(', ')}; total ${Math.round(total)} ms = ${Math.round(rows / (total / 1000)).toLocaleString('en-US')} rows/s`);
      }
    }
  }
  if (only.has('ndjson')) {
    for (const rows of list(values['ndjson-rows'])) {
      const path = await tape('ndjson', rows);
      say(await endToEnd(`dmbs check ndjson, ${workers} workers`, path, rows, workers));
      if (workers !== 1) say(await endToEnd('dmbs check ndjson, 1 worker', path, rows, 1));
      say(await endToEnd(`dmbs check ndjson, no broken rows, ${workers} workers`, await tape('ndjson', rows, { broken: 0 }), rows, workers));
    }
  }
  if (only.has('xlsx')) {
    for (const rows of list(values['xlsx-rows'])) {
      const path = await tape('xlsx', rows);
      const clean = await tape('xlsx', rows, { broken: 0 });
      // XLSX is one deflate stream: with 2 threads it is read by one and checked by the other.
      say(await endToEnd(`dmbs check xlsx, ${workers} threads`, path, rows, workers));
      if (workers !== 1) say(await endToEnd('dmbs check xlsx, 1 thread', path, rows, 1));
      say(await endToEnd(`dmbs check xlsx, no broken rows, ${workers} threads`, clean, rows, workers));
    }
  }
  report.results = results;
  report.referenceRatio = ratios;
  report.loadAfter = load();
  console.log(`\n${table(results)}`);
  mkdirSync(dirname(values.out), { recursive: true });
  writeFileSync(values.out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nwrote ${values.out}`);
}

if (values.stage) await stageChild(values.stage, values.file!);
else await main();
