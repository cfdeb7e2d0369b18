/**
 * `npx tsx bench/parquet-write.ts [rows] [dir]`: the Parquet write of one tape (LoanParquetBuilder)
 * next to that tape's check (`checkTape`), both as CPU time of this process, one thread; then
 * DuckDB reads the file back (row count and exact balance against the loans written).
 * Columns = adding the loans (the last row group's encoding is in `finish`, hence in encoding
 * unless the tape is longer than a row group). Asserts nothing; prints one line (bench/README.md "Parquet writing cost").
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { checkTape } from '../functions/core/check-tape.ts';
import type { DmbsLoan } from '../functions/core/generated/loan-tape.ts';
import { toCents } from '../functions/core/evaluation/exact.ts';
import { loadCriteria, PoolAccumulator } from '../functions/core/evaluation/index.ts';
import { LoanParquetBuilder } from '../functions/pipeline/loan-parquet.ts';
import { generateFile } from './gen.ts';

const rows = Number(process.argv[2] ?? 100_000);
const dir = process.argv[3] ?? tmpdir();
const cpuSeconds = (since: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1e6;
};

const tapeFile = join(dir, `dmbs-check-${rows}.csv`);
if (!existsSync(tapeFile)) await generateFile({ rows, seed: 3, format: 'csv', out: tapeFile, broken: 0.02 });
const loans: Array<{ row: number; loan: DmbsLoan }> = [];
const c0 = process.cpuUsage();
await checkTape({
  fileName: 'check.csv', maxErrors: 1000, onLoan: (loan: DmbsLoan, row: number) => loans.push({ row, loan }),
  open: async function* () { yield readFileSync(tapeFile); },
} as never);
const checkSeconds = cpuSeconds(c0);
const acc = new PoolAccumulator(loadCriteria());
const evaluated = loans.map(({ row, loan }) => ({ loan, result: { row, ...acc.add(loan) } }));
const c1 = process.cpuUsage();
const parts: Uint8Array[] = [];
const pq = new LoanParquetBuilder((b) => parts.push(b), { tape: { issuerId: 'ISS', dealId: 'DEAL', tapeId: 'T1' } });
for (const { loan, result } of evaluated) pq.add(loan, result);
const buildSeconds = cpuSeconds(c1);
await pq.finish();
const writeSeconds = cpuSeconds(c1);
const file = join(dir, `dmbs-write-${rows}.parquet`);
writeFileSync(file, Buffer.concat(parts));
const cents = evaluated.reduce((s, { loan }) => s + (typeof loan.currentBalance === 'number' ? toCents(loan.currentBalance) : 0n), 0n);
const db = await (await DuckDBInstance.create(':memory:')).connect();
const back = (await db.runAndReadAll(`SELECT COUNT(*)::VARCHAR, CAST(SUM(current_balance) * 100 AS BIGINT)::VARCHAR FROM read_parquet('${file}')`)).getRows()[0]!;
const ok = Number(back[0]) === evaluated.length && BigInt(String(back[1])) === cents;
const r = (x: number) => x.toFixed(2);
console.log(`${evaluated.length} loans: write ${r(writeSeconds)} CPU s (columns ${r(buildSeconds)} + encoding ${r(writeSeconds - buildSeconds)}; ${(readFileSync(file).length / 1024 / 1024).toFixed(1)} MB), check ${r(checkSeconds)} CPU s, ${((writeSeconds / checkSeconds) * 100).toFixed(1)} %; read back ${ok ? 'ok' : `WRONG ${back.join(' ')}`}; load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
