/** Typed loans for evaluation tests: the loan test/support/rows.ts validRow() validates to, changed one thing at a time. */
import type { DmbsLoan } from '../../../functions/core/generated/loan-tape.ts';

export const BASE_LOAN: DmbsLoan = Object.freeze({
  loanId: 'L-1', reportingDate: '2026-10-31', sponsor: 'Vantage', originationDate: '2024-01-15', maturityDate: '2031-01-15',
  originalBalance: 100000000, currentBalance: 90000000, currency: 'USD', interestRateType: 'FIXED', interestRate: 0.065,
  amortizationType: 'FULL_IO', annualDebtService: 5850000, lienPosition: 'FIRST', paymentStatus: 'CURRENT',
  facilityId: 'F-1', country: 'US', region: 'US-VA', market: 'Northern Virginia', facilityType: 'HYPERSCALE',
  constructionStatus: 'OPERATIONAL', itCapacityMw: 60, leasedMw: 54, appraisedValue: 150000000,
  underwrittenNoi: 10000000, underwrittenNcf: 9360000, dscr: 1.6, ltv: 0.6, tenantCount: 2,
  largestTenant: 'Microsoft Azure', largestTenantParent: 'Microsoft Corporation', largestTenantRating: 'AAA',
  leaseExpiryDate: '2036-06-30', annualContractedRent: 14000000,
});

/** A valid loan with some fields changed; `undefined` removes a field. */
export function loan(overrides: { [K in keyof DmbsLoan]?: DmbsLoan[K] | undefined } = {}): DmbsLoan {
  const out: Record<string, unknown> = { ...BASE_LOAN };
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) delete out[k];
    else out[k] = v;
  }
  return out as DmbsLoan;
}
