/**
 * `npm run bench -- --market`: the market view at scale on embedded DuckDB. Generates the group
 * sums (core/market/tape-groups.ts) of `--deals` deals × `--loans` loans (default 1,000 × 2,000 =
 * 2M loans) once into the OS temp folder, as the analytics step writes them (the statements read
 * nothing else: the loans' own files are not written here), builds the table in a DuckDB
 * database file as the local stack keeps it, then times every market query cold (a new DuckDB
 * instance opening that file, then the first statement) and warm (best of the
 * following `--runs`), prints peak RSS and Athena's bytes scanned per query (the compressed size
 * of the columns each statement reads, over the files it names). Writes
 * bench/results/market.json. Asserts nothing. The Parquet write's cost per tape:
 * bench/parquet-write.ts.
 *
 *   npm run bench -- --market [--deals 1000] [--loans 2000] [--runs 5] [--dir D]
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { exposuresSql, lookThroughSql, MARKET_COLUMNS, transitionSql } from '../functions/core/market/market-sql.ts';
import { formatMoney } from '../functions/core/evaluation/exact.ts';
import { TapeGroups } from '../functions/core/market/tape-groups.ts';
import { DuckDbEngine } from '../functions/local/duckdb-engine.ts';
import { createMarketService, type MarketService } from '../functions/market/market-service.ts';
import { MemoryLatestTapeIndex, MemorySeriesStore } from '../functions/market/memory-stores.ts';
import type { IndexedTape } from '../functions/market/ports.ts';
import { ANALYTICS_ROOT, analyticsKey, groupsKey, groupsParquet } from '../functions/pipeline/loan-parquet.ts';
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
      dir: { type: 'string' },
      out: { type: 'string', default: join(here, 'results', 'market.json') },
    },
  });
  const deals = Number(values.deals);
  const loansPerDeal = Number(values.loans);
  const runs = Math.max(2, Number(values.runs));
  const dir = values.dir ?? join(tmpdir(), `dmbs-market-groups-${deals}x${loansPerDeal}`);
  const root = join(dir, 'analytics');
  const indexFile = join(dir, 'index.json');

  // 1. The dataset (once).
  let generated: { seconds: number; loans: number } | undefined;
  if (!existsSync(indexFile)) {
    const t0 = performance.now();
    const entries: IndexedTape[] = [];
    for (let d = 0; d < deals; d++) {
      const tape = { issuerId: `issuer-${d % 25}`, dealId: `deal-${d}`, tapeId: d.toString(16).padStart(32, '0'), reportingDate: REPORTING_DATES[d % REPORTING_DATES.length]! };
      const groups = new TapeGroups(tape.issuerId);
      let cents = 0n;
      let count = 0;
      for (const { loan, result, cents: c } of dealLoans(d + 1, loansPerDeal, tape.reportingDate)) {
        groups.add(loan, result.eligible === true);
        if (result.eligible) {
          cents += c;
          count++;
        }
      }
      const path = join(root, groupsKey(tape).slice(ANALYTICS_ROOT.length));
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, await groupsParquet(groups.rows(), tape));
      entries.push({ ...tape, uploadedAt: `${tape.reportingDate}T12:00:00.000Z`, eligibleCount: count, eligibleBalance: formatMoney(cents), dataQualityScore: '95.00', analyticsKey: analyticsKey(tape) });
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
  // columns: what each statement names; dimensions: the row groups it reads (the others are skipped by their min/max).
  const queries: Array<{ name: string; run: (m: MarketService) => Promise<unknown>; columns: string[]; dimensions: string[] }> = [
    ...(['tenantGroup', 'sponsor', 'market', 'facility'] as const).map((by) => ({
      name: `exposures by=${by}`,
      run: (m: MarketService) => m.exposures({ by }),
      columns: sqlColumns(exposuresSql(by, tapeIds, { offset: 0, limit: 101 }).sql),
      dimensions: [by],
    })),
    { name: 'exposures by=tenantGroup asOf=2026-08-31', run: (m) => m.exposures({ by: 'tenantGroup', asOf: '2026-08-31' }), columns: sqlColumns(exposuresSql('tenantGroup', tapeIds, { offset: 0, limit: 101 }).sql), dimensions: ['tenantGroup'] },
    { name: 'balance-sheet-transition', run: (m) => m.balanceSheetTransition({}), columns: sqlColumns(transitionSql(tapeIds).sql), dimensions: ['transition'] },
    { name: 'dmbx create (25 deals)', run: (m) => m.createSeries({ name: `bench-${++seriesRun}`, asOf: '2026-10-31', rulebook }), columns: sqlColumns(lookThroughSql(tapeIds.slice(0, 25)).sql), dimensions: ['tenantGroup', 'sponsor', 'market'] },
  ];
  const columnBytes = await compressedColumnBytes(root);
  // The local stack keeps the loaded table in a database file: built once, then opened.
  const database = join(dir, 'market.duckdb');
  rmSync(database, { force: true });
  const tb = performance.now();
  (await DuckDbEngine.open({ root, database })).close();
  const buildSeconds = round((performance.now() - tb) / 1000);
  console.log(`table built from ${entries.length} group files in ${buildSeconds.toFixed(3)} s -> ${database}`);
  const totalBytes = [...columnBytes.values()].reduce((a, b) => a + b, 0);
  const results: Array<Record<string, unknown>> = [];
  for (const q of queries) {
    const t0 = performance.now();
    const engine = await DuckDbEngine.open({ root, database });
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
    const scanned = Math.round(q.dimensions.reduce((sum, d) => sum + q.columns.reduce((s, c) => s + (columnBytes.get(`${d}|${c}`) ?? 0), 0), 0) * share);
    results.push({ query: q.name, coldSeconds: round(cold), loadSeconds: round(load), firstQuerySeconds: round(first), warmSeconds: round(warm), athenaBytesScanned: scanned, load: loadavg().map((x) => round(x, 2)) });
    console.log(`${q.name.padEnd(42)} cold ${round(cold).toFixed(3)} s (load ${round(load).toFixed(3)} + first ${round(first).toFixed(3)})  warm ${round(warm).toFixed(3)} s  Athena scans ${(scanned / 1024 / 1024).toFixed(1)} MB`);
  }

  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(`dataset: ${(totalBytes / 1024 / 1024).toFixed(0)} MB compressed column data; peak RSS ${peakRssMb} MB; load ${loadavg().map((x) => round(x, 2)).join(' ')}`);
  mkdirSync(dirname(values.out), { recursive: true });
  writeFileSync(values.out, `${JSON.stringify({
    deals, loansPerDeal, generated, datasetBytes: totalBytes, buildSeconds, queries: results, peakRssMb,
  }, null, 2)}\n`);
}

/** The group sums' columns a statement names, the path values too (the files carry them: docs/aws.md). */
function sqlColumns(sql: string): string[] {
  return [...MARKET_COLUMNS, 'issuer', 'deal', 'tape'].filter((n) => new RegExp(`\\b${n}\\b`).test(sql.replace(/'[^']*'/g, "''")));
}

/** Compressed bytes per `dimension|column` over every file's row groups (DuckDB's parquet_metadata). */
async function compressedColumnBytes(root: string): Promise<Map<string, number>> {
  const engine = await DuckDbEngine.open({ root });
  try {
    const rows = await engine.query(`WITH m AS (SELECT * FROM parquet_metadata('${join(root, '**', 'groups.parquet')}')),
      d AS (SELECT file_name, row_group_id, stats_min_value AS dimension FROM m WHERE path_in_schema = 'dimension')
      SELECT d.dimension || '|' || m.path_in_schema AS c, CAST(SUM(m.total_compressed_size) AS VARCHAR) AS b FROM m JOIN d USING (file_name, row_group_id) GROUP BY 1`, []);
    return new Map(rows.map((r) => [String(r.c), Number(r.b)]));
  } finally {
    engine.close();
  }
}
