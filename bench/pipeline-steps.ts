/**
 * Bench: how large a tape can one Lambda step handle? Runs the real validate, evaluate and score
 * steps in-process over an in-memory store (no network: S3 time is estimated in docs/aws.md) on a
 * generated CSV tape, and prints rows/s, MB/s and peak RSS per step. Prints figures; asserts nothing.
 *
 *   npx tsx bench/pipeline-steps.ts [--rows 200000] [--broken 0.01] [--prior]
 *
 * --prior: then the same tape again as the deal's next month, so that evaluate reads the first
 * one's stored loans as its prior tape and computes the watchlist against every loan.
 */
import type { PipelinePorts } from '../functions/pipeline/ports.ts';
import { evaluateStep } from '../functions/pipeline/evaluate-step.ts';
import { scoreStep } from '../functions/pipeline/score-step.ts';
import type { PipelineState } from '../functions/pipeline/state.ts';
import { validateStep } from '../functions/pipeline/validate-step.ts';
import { generateTape, toCsv } from './tape-generator.ts';
import { arg } from './number-arg.ts';
import { benchResults, MemoryStore } from './memory-store.ts';

const rows = arg('rows', 200_000);
const broken = arg('broken', 0.01);

const store = new MemoryStore();
const { results, setScored } = benchResults();
const ports: PipelinePorts = { store, results, events: { publish: async () => {} }, options: { maxTapeBytes: 2 ** 40 } };
const csv = Buffer.from(toCsv(generateTape({ rows, seed: 17, brokenShare: broken }).rows));
store.objects.set('incoming/bench/deal-1/tape.csv', csv);
global.gc?.();

let peak = 0;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
const mib = (n: number) => (n / 2 ** 20).toFixed(0);
console.log(`tape: ${rows} rows, ${mib(csv.length)} MiB CSV (${broken * 100}% broken rows); node ${process.version}, ${process.arch}`);

async function runSteps(key: string, label: string): Promise<PipelineState> {
  let state: PipelineState = { object: { bucket: 'bench', key, size: csv.length }, runId: `bench-${label}` };
  for (const [name, step] of [['validate', validateStep], ['evaluate', evaluateStep], ['score', scoreStep]] as const) {
    peak = process.memoryUsage().rss;
    const t = performance.now();
    const cpu = process.cpuUsage();
    state = await step(state, ports);
    const s = (performance.now() - t) / 1000;
    const used = process.cpuUsage(cpu);
    const cpuS = (used.user + used.system) / 1e6;
    // CPU seconds (all threads: zlib works off the main thread) are steadier than wall time on a shared machine.
    console.log(`${`${name}${label}`.padEnd(9)} wall ${s.toFixed(2).padStart(6)} s (${(rows / s).toFixed(0).padStart(6)} rows/s)  cpu ${cpuS.toFixed(2).padStart(6)} s (${(rows / cpuS).toFixed(0).padStart(6)} rows/cpu-s, ${(csv.length / 2 ** 20 / cpuS).toFixed(1)} MiB CSV/cpu-s)  peak RSS ${mib(peak)} MiB`);
  }
  return state;
}

let state = await runSteps('incoming/bench/deal-1/tape.csv', '');
if (process.argv.includes('--prior')) {
  // The same loans a month later: the first tape is dated earlier in the fake table, so it is the prior.
  setScored([{ tapeId: state.tapeId!, status: 'SCORED', summary: { reportingDate: '1900-01-31' } }]);
  store.objects.set('incoming/bench/deal-1/tape-next.csv', csv);
  state = await runSteps('incoming/bench/deal-1/tape-next.csv', '+prior');
  console.log(`watchlist: ${state.watchlist?.loanCount} loans against prior ${state.watchlist?.priorTapeId}`);
}
clearInterval(sampler);
const keys = [...store.objects.keys()].filter((k) => k.startsWith('reports/'));
for (const k of keys.sort()) console.log(`  ${k.replace(/^reports\/[0-9a-f]+\//, '').padEnd(26)} ${(store.objects.get(k)!.length / 2 ** 20).toFixed(2)} MiB`);
console.log(`score: ${state.score?.points} (${state.score?.band}); eligible ${state.evaluation?.eligibleCount} of ${state.validation?.validRowCount} valid rows`);
