/**
 * Bench: what the stress lens costs per loan, in process. Generates a tape and validates it into
 * typed loans (not timed), then times, on CPU time of this thread: PoolAccumulator.add over every
 * loan (eligibility and the pool sums, the stress sums included); StressAggregate.add alone over the
 * eligible loans (the lens's share of that); loanStress over the eligible loans (the per-loan
 * figures the loan results carry); and the section, under the tape's model and under another
 * (the what-if). Best of --runs. Prints figures; asserts nothing.
 *
 *   npx tsx bench/stress.ts [--rows 200000] [--runs 5]
 */
import { loadCriteria, PoolAccumulator } from '../functions/core/evaluation/index.ts';
import { evaluateLoan } from '../functions/core/evaluation/eligibility.ts';
import { loadStressModel, loanStress, StressAggregate } from '../functions/core/stress/index.ts';
import { generateTape } from './tape-generator.ts';
import { arg } from './number-arg.ts';
import { validLoans } from './valid-loans.ts';

const rows = arg('rows', 200_000);
const runs = arg('runs', 5);

const { loans } = validLoans(generateTape({ rows, seed: 7 }).rows);
const criteria = loadCriteria();
const model = loadStressModel();
const other = loadStressModel({ capRate: { base: 0.095, marketAdd: { Dallas: 0.01 } }, tranches: [{ name: 'A', share: 0.7 }, { name: 'B', share: 0.3 }] });
const eligible = loans.filter((l) => evaluateLoan(l, criteria).eligible);

/** Best CPU milliseconds of `runs` calls (user + system of this process; one thread here). */
function cpuMs(fn: () => void): number {
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < runs; r++) {
    const start = process.cpuUsage();
    fn();
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return best;
}

const pool = cpuMs(() => {
  const acc = new PoolAccumulator(criteria, model);
  for (const loan of loans) acc.add(loan);
});
const stressAdd = cpuMs(() => {
  const agg = new StressAggregate(model);
  for (const loan of eligible) agg.add(loan);
});
const perLoan = cpuMs(() => {
  for (const loan of eligible) loanStress(loan, model);
});
const agg = new StressAggregate(model);
for (const loan of eligible) agg.add(loan);
const section = cpuMs(() => agg.section());
const whatIf = cpuMs(() => agg.section(other));

const ns = (ms: number, n: number) => `${((ms * 1e6) / n).toFixed(0)} ns/loan`;
console.log(`stress bench: ${loans.length.toLocaleString('en-US')} valid loans, ${eligible.length.toLocaleString('en-US')} eligible, best of ${runs}, Node ${process.version}`);
console.log(`  PoolAccumulator.add, every valid loan (stress sums included): ${pool.toFixed(1)} ms (${ns(pool, loans.length)})`);
console.log(`  StressAggregate.add, eligible loans:                          ${stressAdd.toFixed(1)} ms (${ns(stressAdd, eligible.length)}; ${((100 * stressAdd) / pool).toFixed(1)} % of the line above)`);
console.log(`  loanStress (loan results' four figures), eligible loans:       ${perLoan.toFixed(1)} ms (${ns(perLoan, eligible.length)})`);
console.log(`  section, tape's model / another model (what-if):              ${section.toFixed(2)} ms / ${whatIf.toFixed(2)} ms`);
