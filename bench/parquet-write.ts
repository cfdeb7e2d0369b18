/**
 * `npx tsx bench/parquet-write.ts [rows] [dir]`: what the market dataset's Parquet write costs a
 * tape. Runs the pipeline's real steps in-process over an in-memory store (bench/memory-store.ts)
 * on a generated CSV tape: validate (the check), evaluate, score and publish, the tape's path to
 * SCORED; then the analytics step after it, which writes the loans' Parquet file and the group
 * sums. Each as CPU seconds of this process (all threads). Then the loans' builder alone over the
 * same loans and results already in memory: what the write added inside evaluate before it left
 * the path. Prints the path to SCORED without the write (as the pipeline runs now) and with it
 * inline, the write's share of the check either way, and DuckDB's read-back of the file (rows,
 * exact balance). Asserts nothing (bench/README.md "Parquet writing cost per tape").
 */
import { writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { analyticsStep } from '../functions/pipeline/analytics-step.ts';
import { evaluateStep } from '../functions/pipeline/evaluate-step.ts';
import type { DmbsLoan } from '../functions/core/generated/loan-tape.ts';
import { analyticsKey, LoanParquetBuilder, type LoanResultLine } from '../functions/pipeline/loan-parquet.ts';
import type { PipelinePorts } from '../functions/pipeline/ports.ts';
import { publishStep } from '../functions/pipeline/publish-step.ts';
import { scoreStep } from '../functions/pipeline/score-step.ts';
import { artifactKeys, type PipelineState } from '../functions/pipeline/state.ts';
import { validateStep } from '../functions/pipeline/validate-step.ts';
import { MemoryLatestTapeIndex } from '../functions/market/memory-stores.ts';
import { benchResults, MemoryStore } from './memory-store.ts';
import { generateTape, toCsv } from './tape-generator.ts';

const rows = Number(process.argv[2] ?? 100_000);
const dir = process.argv[3] ?? tmpdir();
const cpuSeconds = (since: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1e6;
};

const store = new MemoryStore();
const tapeIndex = new MemoryLatestTapeIndex();
const ports: PipelinePorts = { store, results: benchResults().results, events: { publish: async () => {} }, tapeIndex, options: { maxTapeBytes: 2 ** 40 } };
const csv = Buffer.from(toCsv(generateTape({ rows, seed: 3, brokenShare: 0.02 }).rows));
const key = 'incoming/bench/deal-1/tape.csv';
store.objects.set(key, csv);

let state: PipelineState = { object: { bucket: 'bench', key, size: csv.length, eventTime: '2026-11-01T00:00:00.000Z' }, runId: 'bench' };
const cpu: Record<string, number> = {};
for (const [name, step] of [['validate', validateStep], ['evaluate', evaluateStep], ['score', scoreStep], ['publish', publishStep], ['analytics', analyticsStep]] as const) {
  const c = process.cpuUsage();
  state = await step(state, ports);
  cpu[name] = cpuSeconds(c);
}
// The write as evaluate did it: the loans and results already parsed, only the builder's work.
const keys = artifactKeys(state.tapeId!);
const loans: Array<{ row: number; loan: DmbsLoan }> = [];
for await (const line of store.readLines(keys.loans, { gzip: true })) loans.push(JSON.parse(line) as { row: number; loan: DmbsLoan });
const results: LoanResultLine[] = [];
for await (const line of store.readLines(keys.loanResults, { gzip: true })) results.push(JSON.parse(line) as LoanResultLine);
const byRow = new Map(loans.map((l) => [l.row, l.loan]));
const c = process.cpuUsage();
const inline = new LoanParquetBuilder(() => {}, { tape: { issuerId: 'bench', dealId: 'deal-1', tapeId: state.tapeId! } });
for (const result of results) inline.add(byRow.get(result.row)!, result);
await inline.finish();
const inlineWrite = cpuSeconds(c);

const check = cpu.validate!;
const path = cpu.validate! + cpu.evaluate! + cpu.score! + cpu.publish!;
const write = cpu.analytics!;

const tape = { issuerId: 'bench', dealId: 'deal-1', reportingDate: state.validation!.reportingDate!, tapeId: state.tapeId! };
const file = join(dir, `dmbs-write-${rows}.parquet`);
const bytes = store.objects.get(analyticsKey(tape))!;
writeFileSync(file, bytes);
const db = await (await DuckDBInstance.create(':memory:')).connect();
const back = (await db.runAndReadAll(`SELECT COUNT(*)::VARCHAR, CAST(SUM(current_balance) FILTER (WHERE eligible) AS VARCHAR) FROM read_parquet('${file}')`)).getRows()[0]!;
const ok = Number(back[0]) === state.evaluation!.loansEvaluated && String(back[1]) === state.score!.eligibleBalance;
const r = (x: number) => x.toFixed(2);
const pct = (x: number) => `${((x / check) * 100).toFixed(1)} %`;
console.log(`${state.evaluation!.loansEvaluated} loans; CPU s: check ${r(check)}, evaluate ${r(cpu.evaluate!)}, score ${r(cpu.score!)}, publish ${r(cpu.publish!)}; analytics (off the path) ${r(write)} (${(bytes.length / 1024 / 1024).toFixed(1)} MB)`);
console.log(`path to SCORED: ${r(path)} CPU s without the write (the write on it: 0, 0 % of the check); with the write inline (builder alone ${r(inlineWrite)}) ${r(path + inlineWrite)} CPU s (+${pct(inlineWrite)} of the check)`);
console.log(`read back ${ok ? 'ok' : `WRONG ${back.join(' ')}`}; indexed ${(await tapeIndex.latest()).length}; load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
