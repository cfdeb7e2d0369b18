/**
 * Accumulators whose `toJSON()` is pinned by test/fixtures/pool-state/golden.json: generated tapes
 * (several seeds, some with broken rows, one with a deal's own criteria) and hand-made loans large
 * enough that every exact sum leaves the double range. The stored form must not change: pipeline
 * steps store it (`pool-aggregate.json`) and load states written by earlier versions.
 * The golden was written by `npx tsx test/unit/evaluation/pool-state-cases.ts` before the
 * accumulator's sums were declared as data; rewrite it only for a deliberate change of the format.
 */
import { writeFileSync } from 'node:fs';
import { generateTape } from '../../../bench/tape-generator.ts';
import { loadCriteria, type DealCriteria } from '../../../functions/core/evaluation/criteria.ts';
import type { EvaluatedLoan } from '../../../functions/core/evaluation/evaluated-loan.ts';
import { loan } from './loans.ts';
import { validLoans } from '../../../bench/valid-loans.ts';

export interface PoolStateCase {
  readonly name: string;
  readonly criteria: DealCriteria;
  readonly loans: readonly EvaluatedLoan[];
}

export const GOLDEN_PATH = new URL('../../fixtures/pool-state/golden.json', import.meta.url);

/** The valid, non-duplicated loans of a generated tape, in tape order. */
function generatedLoans(rows: number, seed: number, brokenShare: number): EvaluatedLoan[] {
  const tape = generateTape({ rows, seed, brokenShare, facilities: Math.ceil(rows / 3) });
  const { loans, summary } = validLoans(tape.rows);
  const duplicated = summary.duplicateLoanIds;
  return loans.filter((l) => !duplicated.has(l.loanId));
}

/** Balances near the largest a cent amount may be (< 2^50 cents): sums and cents × months leave the double range. */
function hugeLoans(): EvaluatedLoan[] {
  return Array.from({ length: 12 }, (_, i) => loan({
    loanId: `H-${i}`, currentBalance: 9_000_000_000_000 + i * 1_234.56, originalBalance: 9_100_000_000_000,
    facilityId: `F-${i % 2}`, market: i % 3 ? 'Dallas' : 'Phoenix', sponsor: `S${i % 4}`, largestTenantParent: i % 2 ? 'Meta' : 'Google',
    largestTenantRating: i % 5 ? 'AA' : 'BB', dscr: 1.25 + i / 1000, ltv: 0.5 + i / 100, interestRate: 0.0615,
    constructionStatus: i % 3 ? 'OPERATIONAL' : 'UNDER_CONSTRUCTION', expectedCompletionDate: i % 3 ? undefined : '2027-06-30',
    offBalanceSheet: i % 4 === 0 ? true : undefined, paymentStatus: i === 7 ? 'DPD_30' : 'CURRENT',
  }));
}

export function poolStateCases(): PoolStateCase[] {
  const own = loadCriteria({ eligibility: { E05: { enabled: false } }, concentrations: { C08: { windowMonths: 60 } } });
  return [
    { name: 'seed 1, clean', criteria: loadCriteria(), loans: generatedLoans(150, 1, 0) },
    { name: 'seed 2, 5 % broken', criteria: loadCriteria(), loans: generatedLoans(150, 2, 0.05) },
    { name: 'seed 3, 10 % broken, own criteria', criteria: own, loans: generatedLoans(120, 3, 0.1) },
    { name: 'seed 4, 20 % broken', criteria: loadCriteria(), loans: generatedLoans(90, 4, 0.2) },
    { name: 'huge balances', criteria: loadCriteria(), loans: hugeLoans() },
  ];
}

if (process.argv[1] && new URL(`file://${process.argv[1]}`).href === import.meta.url) {
  const { PoolAccumulator } = await import('../../../functions/core/evaluation/pool-accumulator.ts');
  const golden: Record<string, unknown> = {};
  for (const c of poolStateCases()) {
    const acc = new PoolAccumulator(c.criteria);
    for (const l of c.loans) acc.add(l);
    golden[c.name] = acc.toJSON();
  }
  writeFileSync(GOLDEN_PATH, `${JSON.stringify(golden, null, 1)}\n`);
}
