/**
 * `npm run bench -- --parquet-writers`: the candidate Parquet writers for the analytical dataset
 * on one 100k-loan tape (the dataset's columns, core/market/loan-columns.ts): time to write,
 * file size, what a Lambda bundle carries (esbuild, minified, plus the native or wasm files the
 * writer loads) and whether DuckDB reads back the same rows and balance. Candidates not
 * installed are skipped; install the others for a run without saving them:
 *
 *   npm install --no-save parquet-wasm@0.8.0 apache-arrow@21.2.0 @dsnp/parquetjs@1.8.9
 *
 * Asserts nothing; prints a table (bench/README.md "Parquet writers").
 */
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { DuckDBInstance } from '@duckdb/node-api';
import { LOAN_COLUMNS, type LoanColumn } from '../functions/core/market/loan-columns.ts';
import { LoanParquetBuilder } from '../functions/pipeline/loan-parquet.ts';
import { groupKey, tenantGroupName } from '../functions/core/evaluation/group-key.ts';
import { dealLoans, type BenchLoan } from './market-data.ts';

const ROWS = Number(process.env.DMBS_BENCH_ROWS ?? 100_000);
const dir = await mkdtemp(join(tmpdir(), 'dmbs-pq-writers-'));
const loans: BenchLoan[] = [...dealLoans(7, ROWS)];
const expected = { rows: ROWS, cents: loans.reduce((s, l) => s + l.cents, 0n) };

/** Plain row objects with the dataset's column names (what the non-hyparquet writers take). */
function plainRows(): Record<string, unknown>[] {
  return loans.map(({ loan, result }) => {
    const rec = loan as unknown as Record<string, unknown>;
    const tenant = tenantGroupName(loan);
    const keys: Record<string, string> = { tenant_group: tenant, tenant_group_key: groupKey(tenant), sponsor_key: groupKey(loan.sponsor), market_key: groupKey(loan.market), facility_key: groupKey(loan.facilityId) };
    const row: Record<string, unknown> = {};
    for (const c of LOAN_COLUMNS) {
      const s = c.source;
      let v: unknown = 'loan' in s ? rec[s.loan] : 'key' in s ? keys[s.key] : s.list ? (result[s.result] as Array<{ criterion: string }>).map((f) => f.criterion).join(',') : result[s.result];
      if (c.type === 'MONEY' && typeof v === 'number') v = BigInt(Math.round(v * 100));
      if (c.type === 'INT32' && typeof v !== 'number') v = null;
      if (c.type === 'DOUBLE' && typeof v !== 'number') v = null;
      if (c.type === 'BOOLEAN' && typeof v !== 'boolean') v = null;
      if ((c.type === 'STRING' || c.type === 'DATE') && typeof v !== 'string') v = null;
      row[c.name] = v ?? null;
    }
    return row;
  });
}

interface Candidate {
  readonly name: string;
  readonly module: string;
  /** Files the bundle must carry besides its JavaScript (native library, wasm). */
  readonly assets: () => Promise<number>;
  write(path: string): Promise<void>;
  /** The money column as DuckDB sums it. */
  readonly balanceSql: string;
  readonly bundleEntry: string;
}

const sizeOf = async (...paths: string[]) => (await Promise.all(paths.map((p) => (existsSync(p) ? stat(p).then((s) => s.size) : 0)))).reduce((a, b) => a + b, 0);

const candidates: Candidate[] = [
  {
    name: 'hyparquet-writer 0.17.0 (chosen)', module: 'hyparquet-writer', assets: async () => 0,
    balanceSql: 'CAST(SUM(current_balance) * 100 AS BIGINT)',
    bundleEntry: "import { ByteWriter, ParquetWriter } from 'hyparquet-writer'; console.log(ByteWriter, ParquetWriter);",
    async write(path) {
      const parts: Uint8Array[] = [];
      const pq = new LoanParquetBuilder((b) => parts.push(b));
      for (const { loan, result } of loans) pq.add(loan, result);
      await pq.finish();
      await writeFile(path, Buffer.concat(parts));
    },
  },
  {
    name: 'DuckDB COPY from NDJSON (@duckdb/node-api 1.5.6)', module: '@duckdb/node-api',
    // The arm64 Lambda would carry @duckdb/node-bindings-linux-arm64: duckdb.node + libduckdb.so (measured from that package).
    assets: async () => Number(process.env.DMBS_DUCKDB_ARM64_BYTES ?? 63_460_456),
    balanceSql: 'SUM(current_balance)',
    bundleEntry: "import { DuckDBInstance } from '@duckdb/node-api'; console.log(DuckDBInstance);",
    async write(path) {
      const rows = plainRows();
      const json = `${join(dir, 'rows.ndjson')}`;
      await writeFile(json, rows.map((r) => JSON.stringify(r, (_, v) => (typeof v === 'bigint' ? Number(v) : v))).join('\n'));
      const db = await DuckDBInstance.create(':memory:', { threads: '1' });
      const c = await db.connect();
      await c.run(`COPY (SELECT * FROM read_json('${json}', format = 'newline_delimited')) TO '${path}' (FORMAT parquet, COMPRESSION snappy)`);
      c.closeSync();
      db.closeSync();
    },
  },
  {
    name: 'parquet-wasm 0.8.0 + apache-arrow 21.2.0', module: 'parquet-wasm',
    assets: async () => sizeOf(join('node_modules', 'parquet-wasm', 'node', 'parquet_wasm_bg.wasm')),
    balanceSql: 'SUM(current_balance)',
    bundleEntry: "import { writeParquet, Table } from 'parquet-wasm'; import { tableFromArrays, tableToIPC } from 'apache-arrow'; console.log(writeParquet, Table, tableFromArrays, tableToIPC);",
    async write(path) {
      const arrow = await import('apache-arrow');
      const pw = await import('parquet-wasm');
      const rows = plainRows();
      const cols: Record<string, unknown> = {};
      for (const c of LOAN_COLUMNS) {
        const values = rows.map((r) => r[c.name]);
        cols[c.name] = c.type === 'MONEY' ? arrow.vectorFromArray(values, new arrow.Int64()) : c.type === 'DOUBLE' ? arrow.vectorFromArray(values, new arrow.Float64())
          : c.type === 'INT32' ? arrow.vectorFromArray(values, new arrow.Int32()) : c.type === 'BOOLEAN' ? arrow.vectorFromArray(values, new arrow.Bool()) : arrow.vectorFromArray(values, new arrow.Utf8());
      }
      const table = new arrow.Table(cols as never);
      const bytes = pw.writeParquet(pw.Table.fromIPCStream(arrow.tableToIPC(table, 'stream')), new pw.WriterPropertiesBuilder().setCompression(pw.Compression.SNAPPY).build());
      await writeFile(path, bytes);
    },
  },
  {
    name: '@dsnp/parquetjs 1.8.9', module: '@dsnp/parquetjs',
    assets: async () => 0,
    balanceSql: 'SUM(current_balance)',
    bundleEntry: "import { ParquetWriter, ParquetSchema } from '@dsnp/parquetjs'; console.log(ParquetWriter, ParquetSchema);",
    async write(path) {
      const { ParquetSchema, ParquetWriter } = await import('@dsnp/parquetjs');
      const type = (c: LoanColumn) => (c.type === 'MONEY' ? 'INT64' : c.type === 'DATE' || c.type === 'STRING' ? 'UTF8' : c.type);
      const schema = new ParquetSchema(Object.fromEntries(LOAN_COLUMNS.map((c) => [c.name, { type: type(c), optional: true }])) as never);
      const writer = await ParquetWriter.openFile(schema, path, { rowGroupSize: 100_000 } as never);
      for (const r of plainRows()) {
        const row: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(r)) if (v !== null) row[k] = v;
        await writer.appendRow(row);
      }
      await writer.close();
    },
  },
];

async function bundleBytes(entry: string): Promise<number> {
  const out = await build({ stdin: { contents: entry, resolveDir: process.cwd(), loader: 'ts' }, bundle: true, platform: 'node', format: 'esm', minify: true, write: false, logLevel: 'silent', external: ['*.node'] });
  return out.outputFiles.reduce((s, f) => s + f.contents.length, 0);
}

async function readBack(path: string, balanceSql: string): Promise<{ rows: number; cents: bigint }> {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  const r = (await c.runAndReadAll(`SELECT count(*) AS n, CAST(${balanceSql} AS VARCHAR) AS b FROM read_parquet('${path}')`)).getRowObjectsJson()[0]!;
  c.closeSync();
  db.closeSync();
  const b = String(r.b);
  return { rows: Number(r.n), cents: b.includes('.') ? BigInt(b.replace('.', '').replace(/^(-?\d+)(\d\d)$/, '$1$2')) : BigInt(b) };
}

const mb = (n: number) => (n / 1024 / 1024).toFixed(2);
console.log(`${ROWS} loans, ${LOAN_COLUMNS.length} columns`);
console.log('| writer | write s | file MB | bundle JS MB | native/wasm MB | DuckDB reads back |');
console.log('|---|---:|---:|---:|---:|---|');
for (const c of candidates) {
  try {
    await import(c.module);
  } catch {
    console.log(`| ${c.name} | not installed | | | | |`);
    continue;
  }
  const path = join(dir, `${c.module.replace(/[^a-z]/g, '')}.parquet`);
  let seconds: number | string;
  try {
    const t0 = performance.now();
    await c.write(path);
    seconds = ((performance.now() - t0) / 1000).toFixed(2);
  } catch (e) {
    console.log(`| ${c.name} | failed: ${String(e).slice(0, 80)} | | | | |`);
    continue;
  }
  let check: string;
  try {
    const back = await readBack(path, c.balanceSql);
    check = back.rows === expected.rows && back.cents === expected.cents ? `yes (${back.rows} rows, balance exact)` : `no: ${back.rows} rows, ${back.cents} cents vs ${expected.cents}`;
  } catch (e) {
    check = `no: ${String(e).slice(0, 80)}`;
  }
  const js = await bundleBytes(c.bundleEntry).catch(() => NaN);
  console.log(`| ${c.name} | ${seconds} | ${mb(await sizeOf(path))} | ${mb(js)} | ${mb(await c.assets())} | ${check} |`);
}
await rm(dir, { recursive: true, force: true });
void readFile;
