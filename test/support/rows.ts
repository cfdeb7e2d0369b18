/** A known-valid loan row as tape text, for tests to change one thing at a time. */
export function validRow(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    loanId: 'L-1', reportingDate: '2026-10-31', sponsor: 'Vantage', originationDate: '2024-01-15', maturityDate: '2031-01-15',
    originalBalance: '100000000.00', currentBalance: '90000000.00', currency: 'USD', interestRateType: 'FIXED', interestRate: '0.065',
    amortizationType: 'FULL_IO', annualDebtService: '5850000.00', lienPosition: 'FIRST', paymentStatus: 'CURRENT',
    facilityId: 'F-1', country: 'US', region: 'US-VA', market: 'Northern Virginia', facilityType: 'HYPERSCALE',
    constructionStatus: 'OPERATIONAL', itCapacityMw: '60', leasedMw: '54', appraisedValue: '150000000.00',
    underwrittenNoi: '10000000.00', underwrittenNcf: '9360000.00', dscr: '1.6', ltv: '0.6', tenantCount: '2',
    largestTenant: 'Microsoft Azure', largestTenantParent: 'Microsoft Corporation', largestTenantRating: 'AAA',
    leaseExpiryDate: '2036-06-30', annualContractedRent: '14000000.00',
    ...overrides,
  };
}

/** Header + rows as string cells, in the order of the first row's keys (plus any extra keys). */
export function asRecords(rows: Record<string, string>[]): { header: string[]; cells: string[][] } {
  const header = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return { header, cells: rows.map((r) => header.map((h) => r[h] ?? '')) };
}
