/**
 * Bench: CPU time (user + system of this process) of a serial `checkTape` of a tape file — read,
 * validate, evaluate, report — and, with --add, of `PoolAccumulator.add` alone over the valid loans
 * of a generated tape (validated first, not timed; best of --runs). To compare two builds, point
 * --root at each copy of the repository and run them alternately. Prints figures; asserts nothing.
 *
 *   npx tsx bench/check-cpu.ts --file /tmp/tape.csv [--root DIR] [--runs 1]
 *   npx tsx bench/check-cpu.ts --add [--rows 200000] [--root DIR] [--runs 5]
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { arg } from './number-arg.ts';
import { generateTape } from './tape-generator.ts';
import { validLoans } from './valid-loans.ts';

const option = (name: string, fallback?: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : fallback;
};
const root = path.resolve(option('root', path.join(import.meta.dirname, '..'))!);
const from = (file: string) => import(pathToFileURL(path.join(root, file)).href);
const cpuMs = (start: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(start);
  return Math.round((used.user + used.system) / 1000);
};

if (process.argv.includes('--add')) {
  const runs = arg('runs', 5);
  const { loans } = validLoans(generateTape({ rows: arg('rows', 200_000), seed: 7, brokenShare: 0.02 }).rows);
  const { PoolAccumulator } = await from('functions/core/evaluation/pool-accumulator.ts');
  const { loadCriteria } = await from('functions/core/evaluation/criteria.ts');
  const criteria = loadCriteria();
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < runs; r++) {
    const start = process.cpuUsage();
    const acc = new PoolAccumulator(criteria);
    for (const loan of loans) acc.add(loan);
    best = Math.min(best, cpuMs(start));
  }
  console.log(JSON.stringify({ root, what: 'add', loans: loans.length, bestCpuMs: best }));
} else {
  const file = option('file');
  if (!file) throw new Error('usage: npx tsx bench/check-cpu.ts --file TAPE | --add [--root DIR] [--runs N]');
  const { checkTape } = await from('functions/core/check-tape.ts');
  const { fileSource } = await from('functions/cli/file-source.ts');
  for (let r = 0; r < arg('runs', 1); r++) {
    const start = process.cpuUsage();
    const { report } = await checkTape({ fileName: path.basename(file), open: () => fileSource(file) });
    console.log(JSON.stringify({ root, what: 'checkTape', cpuMs: cpuMs(start), validRows: report.validation.validRowCount, balance: report.eligibility.eligibleBalance }));
  }
}
