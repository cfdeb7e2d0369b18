/**
 * A hand-computed pool for the concentration and pool tests. reportingDate 2026-10-31; C08's
 * window ends 2031-10-31. Eligible balances (total 100,000,000.00):
 *   A 40M  Microsoft Azure / Microsoft Corporation  AAA  F-1  Northern Virginia  Vantage  OPERATIONAL  dscr 1.6  ltv 0.60  rate 0.065  lease 2036-06-30 (115 months)
 *   B 30M  microsoft  AI / "MICROSOFT   corporation "  AAA  f-1  northern virginia  QTS  OPERATIONAL  dscr 1.4  ltv 0.70  rate 0.070  lease 2031-10-31 (60, inside C08)
 *   C 20M  OpenAI (no parent)  NR  F-2  Dallas  Vantage  UNDER_CONSTRUCTION  dscr 1.3  ltv 0.75  rate 0.080  lease 2036-10-31 (120)
 *   D  6M  CoreWeave (blank parent)  B+  F-3  Phoenix  Stack  OPERATIONAL  dscr 2.0  ltv 0.50  rate 0.090  lease 2031-11-01 (60, one day outside C08)
 *   E  4M  Oracle Cloud / Oracle Corporation  BBB  F-4  Dallas  Stack  OPERATIONAL  dscr 1.5  ltv 0.65  rate 0.060  lease 2029-10-31 (36)
 * plus X, 50M with dscr 1.10: ineligible (E05), so in no figure.
 */
import { expect } from 'vitest';
import { loadCriteria, type DealCriteria } from '../../../../functions/core/evaluation/criteria.ts';
import { buildEvaluationSections } from '../../../../functions/core/evaluation/evaluation-sections.ts';
import { PoolAccumulator } from '../../../../functions/core/evaluation/pool-accumulator.ts';
import type { ConcentrationTest } from '../../../../functions/core/generated/report.ts';
import type { DmbsLoan } from '../../../../functions/core/generated/loan-tape.ts';
import { loan } from '../loans.ts';

export const POOL: readonly DmbsLoan[] = [
  loan({ loanId: 'A', currentBalance: 40000000, dscr: 1.6, ltv: 0.6, interestRate: 0.065, leaseExpiryDate: '2036-06-30' }),
  loan({
    loanId: 'B', currentBalance: 30000000, largestTenant: 'microsoft  AI', largestTenantParent: ' MICROSOFT   corporation ', facilityId: 'f-1',
    market: 'northern virginia', sponsor: 'QTS', dscr: 1.4, ltv: 0.7, interestRate: 0.07, leaseExpiryDate: '2031-10-31',
  }),
  loan({
    loanId: 'C', currentBalance: 20000000, largestTenant: 'OpenAI', largestTenantParent: undefined, largestTenantRating: 'NR', facilityId: 'F-2',
    market: 'Dallas', constructionStatus: 'UNDER_CONSTRUCTION', expectedCompletionDate: '2027-06-30', leasedMw: 45,
    dscr: 1.3, ltv: 0.75, interestRate: 0.08, leaseExpiryDate: '2036-10-31',
  }),
  loan({
    loanId: 'D', currentBalance: 6000000, largestTenant: 'CoreWeave', largestTenantParent: '', largestTenantRating: 'B+', facilityId: 'F-3',
    market: 'Phoenix', sponsor: 'Stack', dscr: 2, ltv: 0.5, interestRate: 0.09, leaseExpiryDate: '2031-11-01',
  }),
  loan({
    loanId: 'E', currentBalance: 4000000, largestTenant: 'Oracle Cloud', largestTenantParent: 'Oracle Corporation', largestTenantRating: 'BBB',
    facilityId: 'F-4', market: 'Dallas', sponsor: 'Stack', dscr: 1.5, ltv: 0.65, interestRate: 0.06, leaseExpiryDate: '2029-10-31',
  }),
  loan({ loanId: 'X', currentBalance: 50000000, dscr: 1.1, largestTenant: 'Zeta', largestTenantParent: undefined, facilityId: 'F-9', market: 'Reno', sponsor: 'Yondr' }),
];

export function sectionsOf(loans: readonly DmbsLoan[], criteria: DealCriteria = loadCriteria()) {
  const acc = new PoolAccumulator(criteria);
  for (const l of loans) acc.add(l);
  return buildEvaluationSections(acc, criteria, '100.00');
}

/** One test's report entry for the pool (and optional deal criteria). */
export function testOf(id: string, deal?: unknown, loans: readonly DmbsLoan[] = POOL): ConcentrationTest | undefined {
  return sectionsOf(loans, loadCriteria(deal)).concentrations.find((t) => t.id === id);
}

/** Switched off, the test is not listed; on an empty pool it has no actual, fails, and says why. */
export function expectNotApplicable(id: string): void {
  expect(testOf(id, { concentrations: { [id]: { enabled: false } } })).toBeUndefined();
  const empty = testOf(id, undefined, []);
  expect(empty).toMatchObject({ id, actual: null, pass: false, headroom: null, top: [], reason: 'no eligible pool: the tape has no valid loan' });
}
