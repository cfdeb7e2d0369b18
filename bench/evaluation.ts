/**
 * Bench: how fast does the evaluation stage (eligibility + pool accumulation + sections) run?
 * Generates a tape, validates it into typed loans (not timed), then times PoolAccumulator.add over
 * every loan, a k-way merge, and buildEvaluationSections. Prints figures; asserts nothing.
 *
 *   npx tsx bench/evaluation.ts [--rows 200000] [--chunks 8]
 */
import { loadCriteria, PoolAccumulator, buildEvaluationSections } from '../functions/core/evaluation/index.ts';
import { generateTape } from './tape-generator.ts';
import { arg } from './number-arg.ts';
import { validLoans } from './valid-loans.ts';

const rows = arg('rows', 200_000);
const chunks = arg('chunks', 8);

const { loans } = validLoans(generateTape({ rows, seed: 7 }).rows);
const criteria = loadCriteria();

let t = performance.now();
const whole = new PoolAccumulator(criteria);
for (const loan of loans) whole.add(loan);
const addMs = performance.now() - t;

t = performance.now();
const size = Math.ceil(loans.length / chunks);
const parts = Array.from({ length: chunks }, (_, k) => {
  const acc = new PoolAccumulator(criteria);
  for (const loan of loans.slice(k * size, (k + 1) * size)) acc.add(loan);
  return JSON.stringify(acc);
});
const chunkMs = performance.now() - t;
t = performance.now();
const merged = parts.reduce((acc, s) => acc.merge(PoolAccumulator.fromJSON(JSON.parse(s), criteria)), new PoolAccumulator(criteria));
const mergeMs = performance.now() - t;
t = performance.now();
const sections = buildEvaluationSections(merged, criteria, '95.00');
const sectionsMs = performance.now() - t;

console.log(`loans                 ${loans.length} (${sections.eligibility.eligibleCount} eligible)`);
console.log(`add (one accumulator) ${(loans.length / addMs * 1000).toFixed(0)} loans/s`);
console.log(`add in ${chunks} chunks + JSON ${(loans.length / chunkMs * 1000).toFixed(0)} loans/s`);
console.log(`merge ${chunks} states      ${mergeMs.toFixed(1)} ms (state ${(parts.reduce((s, p) => s + p.length, 0) / chunks / 1024).toFixed(1)} KiB each)`);
console.log(`build sections        ${sectionsMs.toFixed(1)} ms`);
console.log(`heap used             ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB (includes the ${loans.length} loans held by this bench)`);
