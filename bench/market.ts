/**
 * `npm run bench -- --market`: the market view at scale on embedded DuckDB. Generates the
 * analytical dataset of `--deals` deals × `--loans` loans (default 1,000 × 2,000 = 2M loans) once
 * into the OS temp folder, then times every market query cold (a new DuckDB instance: loading
 * the table, then the first statement) and warm (best of the following `--runs`), prints peak RSS, Athena's bytes scanned
 * per query (the compressed size of the columns each statement reads, over the files it names),
 * and the cost of writing one 100k-loan tape's Parquet next to that tape's check time
 * (`checkTape`, one thread, same process). Writes bench/results/market.json. Asserts nothing.
 *
 *   npm run bench -- --market [--deals 1000] [--loans 2000] [--runs 5] [--check-rows 100000] [--dir D]
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { checkTape } from '../functions/core/check-tape.ts';
import type { DmbsLoan } from '../functions/core/generated/loan-tape.ts';
import { exposuresSql, lookThroughSql, MARKET_COLUMNS, transitionSql } from '../functions/core/market/market-sql.ts';
import { formatMoney } from '../functions/core/evaluation/exact.ts';
import { loadCriteria, PoolAccumulator } from '../functions/core/evaluation/index.ts';
import { DuckDbEngine } from '../functions/local/duckdb-engine.ts';
import { createMarketService, type MarketService } from '../functions/market/market-service.ts';
import { MemoryLatestTapeIndex, MemorySeriesStore } from '../functions/market/memory-stores.ts';
import type { IndexedTape } from '../functions/market/ports.ts';
import { ANALYTICS_PREFIX, analyticsKey, LoanParquetBuilder } from '../functions/pipeline/loan-parquet.ts';
import { generateFile } from './gen.ts';
import { dealLoans } from './market-data.ts';

const here = dirname(fileURLToPath(import.meta.url));
const REPORTING_DATES = ['2026-07-31', '2026-08-31', '2026-09-30', '2026-10-31'];
const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

export async function runMarketBench(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      deals: { type: 'string', default: '1000' },
      loans: { type: 'string', default: '2000' },
      runs: { type: 'string', default: '5' },
      'check-rows': { type: 'string', default: '100000' },
      dir: { type: 'string' },
      out: { type: 'string', default: join(here, 'results', 'market.json') },
    },
  });
  const deals = Number(values.deals);
  const loansPerDeal = Number(values.loans);
  const runs = Math.max(2, Number(values.runs));
  const dir = values.dir ?? join(tmpdir(), `dmbs-market-bench-${deals}x${loansPerDeal}`);
  const root = join(dir, 'loans');
  const indexFile = join(dir, 'index.json');

  // 1. The dataset (once).
  let generated: { seconds: number; loans: number } | undefined;
  if (!existsSync(indexFile)) {
    const t0 = performance.now();
    const entries: IndexedTape[] = [];
    for (let d = 0; d < deals; d++) {
      const tape = { issuerId: `issuer-${d % 25}`, dealId: `deal-${d}`, tapeId: d.toString(16).padStart(32, '0'), reportingDate: REPORTING_DATES[d % REPORTING_DATES.length]! };
      const parts: Uint8Array[] = [];
      const pq = new LoanParquetBuilder((b) => parts.push(b));
      let cents = 0n;
      let count = 0;
      for (const { loan, result, cents: c } of dealLoans(d + 1, loansPerDeal, tape.reportingDate)) {
        pq.add(loan, result);
        if (result.eligible) {
          cents += c;
          count++;
        }
      }
      await pq.finish();
      const key = analyticsKey(tape);
      const path = join(root, key.slice(ANALYTICS_PREFIX.length));
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, Buffer.concat(parts));
      entries.push({ ...tape, uploadedAt: `${tape.reportingDate}T12:00:00.000Z`, eligibleCount: count, eligibleBalance: formatMoney(cents), dataQualityScore: '95.00', analyticsKey: key });
    }
    writeFileSync(indexFile, JSON.stringify(entries));
    generated = { seconds: round((performance.now() - t0) / 1000, 1), loans: deals * loansPerDeal };
    console.log(`generated ${deals} deals x ${loansPerDeal} loans in ${generated.seconds} s -> ${root}`);
  }
  const entries = JSON.parse(readFileSync(indexFile, 'utf8')) as IndexedTape[];
  const index = new MemoryLatestTapeIndex();
  for (const e of entries) await index.record(e);
  const tapeIds = entries.map((e) => e.tapeId);

  // 2. Queries, cold and warm.
  const rulebook = { minEligibleBalance: 0, minEligibleLoans: 1, minDataQuality: 0 };
  let seriesRun = 0;
  const queries: Array<{ name: string; run: (m: MarketService) => Promise<unknown>; columns: string[] }> = [
    ...(['tenantGroup', 'sponsor', 'market', 'facility'] as const).map((by) => ({
      name: `exposures by=${by}`,
      run: (m: MarketService) => m.exposures({ by }),
      columns: sqlColumns(exposuresSql(by, tapeIds, { offset: 0, limit: 101 }).sql),
    })),
    { name: 'exposures by=tenantGroup asOf=2026-08-31', run: (m) => m.exposures({ by: 'tenantGroup', asOf: '2026-08-31' }), columns: sqlColumns(exposuresSql('tenantGroup', tapeIds, { offset: 0, limit: 101 }).sql) },
    { name: 'balance-sheet-transition', run: (m) => m.balanceSheetTransition({}), columns: sqlColumns(transitionSql(tapeIds).sql) },
    { name: 'dmbx create (25 deals)', run: (m) => m.createSeries({ name: `bench-${++seriesRun}`, asOf: '2026-10-31', rulebook }), columns: sqlColumns(lookThroughSql(tapeIds.slice(0, 25)).sql) },
  ];
  const columnBytes = await compressedColumnBytes(root);
  const totalBytes = [...columnBytes.values()].reduce((a, b) => a + b, 0);
  const results: Array<Record<string, unknown>> = [];
  for (const q of queries) {
    const t0 = performance.now();
    const engine = await DuckDbEngine.open({ root });
    const load = (performance.now() - t0) / 1000;
    const market = createMarketService({ engine, tapes: index, series: new MemorySeriesStore() });
    const tq = performance.now();
    await q.run(market);
    const first = (performance.now() - tq) / 1000;
    const cold = load + first;
    let warm = Infinity;
    for (let i = 1; i < runs; i++) {
      const t1 = performance.now();
      await q.run(market);
      warm = Math.min(warm, (performance.now() - t1) / 1000);
    }
    engine.close();
    // Athena reads the named columns of the files the statement names (DMBX: 25 of them).
    const share = q.name.startsWith('dmbx') ? 25 / deals : 1;
    const scanned = Math.round(q.columns.reduce((s, c) => s + (columnBytes.get(c) ?? 0), 0) * share);
    results.push({ query: q.name, coldSeconds: round(cold), loadSeconds: round(load), firstQuerySeconds: round(first), warmSeconds: round(warm), athenaBytesScanned: scanned, load: loadavg().map((x) => round(x, 2)) });
    console.log(`${q.name.padEnd(42)} cold ${round(cold).toFixed(3)} s (load ${round(load).toFixed(3)} + first ${round(first).toFixed(3)})  warm ${round(warm).toFixed(3)} s  Athena scans ${(scanned / 1024 / 1024).toFixed(1)} MB`);
  }

  // 3. The Parquet write cost of one tape, next to that tape's check.
  const checkRows = Number(values['check-rows']);
  const tapeFile = join(dir, `check-${checkRows}.csv`);
  if (!existsSync(tapeFile)) await generateFile({ rows: checkRows, seed: 3, format: 'csv', out: tapeFile, broken: 0.02 });
  const loans: Array<{ row: number; loan: DmbsLoan }> = [];
  const t0 = performance.now();
  await checkTape({
    fileName: 'check.csv', maxErrors: 1000, onLoan: (loan: DmbsLoan, row: number) => loans.push({ row, loan }),
    open: async function* () { yield readFileSync(tapeFile); },
  } as never);
  const checkSeconds = (performance.now() - t0) / 1000;
  const acc = new PoolAccumulator(loadCriteria());
  const evaluated = loans.map(({ row, loan }) => ({ loan, result: { row, ...acc.add(loan) } }));
  const t1 = performance.now();
  const parts: Uint8Array[] = [];
  const pq = new LoanParquetBuilder((b) => parts.push(b));
  for (const { loan, result } of evaluated) pq.add(loan, result);
  await pq.finish();
  const parquetSeconds = (performance.now() - t1) / 1000;
  const bytes = parts.reduce((s, p) => s + p.length, 0);
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(`parquet of a ${checkRows}-row tape: ${round(parquetSeconds, 2)} s (${(bytes / 1024 / 1024).toFixed(1)} MB) vs its check ${round(checkSeconds, 2)} s = ${round((parquetSeconds / checkSeconds) * 100, 1)} %`);
  console.log(`dataset: ${(totalBytes / 1024 / 1024).toFixed(0)} MB compressed column data; peak RSS ${peakRssMb} MB; load ${loadavg().map((x) => round(x, 2)).join(' ')}`);
  mkdirSync(dirname(values.out), { recursive: true });
  writeFileSync(values.out, `${JSON.stringify({
    deals, loansPerDeal, generated, datasetBytes: totalBytes, queries: results, peakRssMb,
    parquetWrite: { rows: checkRows, seconds: round(parquetSeconds, 2), bytes, checkSeconds: round(checkSeconds, 2), shareOfCheck: round(parquetSeconds / checkSeconds, 3) },
  }, null, 2)}\n`);
}

/** The dataset's columns a statement names (partition columns cost Athena nothing). */
function sqlColumns(sql: string): string[] {
  return MARKET_COLUMNS.filter((n) => new RegExp(`\\b${n}\\b`).test(sql));
}

/** Compressed bytes per column over every file of the dataset (DuckDB's parquet_metadata). */
async function compressedColumnBytes(root: string): Promise<Map<string, number>> {
  const engine = await DuckDbEngine.open({ root });
  try {
    const rows = await engine.query(`SELECT path_in_schema AS c, CAST(SUM(total_compressed_size) AS VARCHAR) AS b FROM parquet_metadata('${join(root, '**', 'loans.parquet')}') GROUP BY 1`, []);
    return new Map(rows.map((r) => [String(r.c), Number(r.b)]));
  } finally {
    engine.close();
  }
}
