/**
 * Typed loans with their results for the market benches, made directly (no tape text, no
 * validation): a deal's loans drawn from fixed pools of tenants, sponsors and markets, so that
 * keys repeat across deals as they do in a real market. Deterministic per seed.
 */
import type { DmbsLoan } from '../functions/core/generated/loan-tape.ts';
import type { LoanResultLine } from '../functions/pipeline/loan-parquet.ts';
import { rng } from './tape-generator.ts';

const TENANTS = Array.from({ length: 400 }, (_, i) => `Tenant Group ${i + 1}`);
const SPONSORS = Array.from({ length: 60 }, (_, i) => `Sponsor ${i + 1}`);
const MARKETS = Array.from({ length: 40 }, (_, i) => `Market ${i + 1}`);
const STATUSES = ['OPERATIONAL', 'OPERATIONAL', 'OPERATIONAL', 'UNDER_CONSTRUCTION', 'COMMISSIONING', 'PLANNED'] as const;

export interface BenchLoan {
  readonly loan: DmbsLoan;
  readonly result: LoanResultLine;
  readonly cents: bigint;
}

/** `count` loans of one deal; about 85 % eligible, 20 % off balance sheet. */
export function* dealLoans(seed: number, count: number, reportingDate = '2026-10-31'): Generator<BenchLoan> {
  const r = rng(seed);
  const sponsor = SPONSORS[Math.floor(r() * SPONSORS.length)]!;
  for (let i = 0; i < count; i++) {
    const cents = BigInt(Math.floor(1_000_000_00 + r() * 250_000_000_00));
    const status = STATUSES[Math.floor(r() * STATUSES.length)]!;
    const eligible = r() < 0.85;
    const quarter = 1 + Math.floor(r() * 12);
    const loan = {
      loanId: `L-${seed}-${i + 1}`, reportingDate, sponsor, originationDate: '2024-01-15', maturityDate: '2031-01-15',
      originalBalance: Number(cents) / 100 + 1_000_000, currentBalance: Number(cents) / 100, currency: 'USD', interestRateType: 'FIXED', interestRate: 0.065,
      amortizationType: 'FULL_IO', annualDebtService: 5850000, lienPosition: 'FIRST', paymentStatus: 'CURRENT',
      facilityId: `F-${seed}-${i % 500}`, country: 'US', region: 'US-VA', market: MARKETS[Math.floor(r() * MARKETS.length)]!, facilityType: 'HYPERSCALE',
      constructionStatus: status, expectedCompletionDate: status === 'OPERATIONAL' ? undefined : `${2027 + Math.floor(quarter / 4)}-${String(((quarter % 4) * 3) + 1).padStart(2, '0')}-15`,
      itCapacityMw: 60, leasedMw: 54, appraisedValue: Number(cents) / 60, offBalanceSheet: r() < 0.2,
      underwrittenNoi: 10000000, underwrittenNcf: 9360000, dscr: 1 + r(), ltv: 0.4 + r() * 0.4, tenantCount: 2,
      largestTenant: TENANTS[Math.floor(r() * TENANTS.length)]!, largestTenantRating: 'AAA',
      leaseExpiryDate: '2036-06-30', annualContractedRent: 14000000,
    } as DmbsLoan;
    const result: LoanResultLine = { row: i + 2, loanId: loan.loanId, eligible, failures: eligible ? [] : [{ criterion: 'E05', reason: 'dscr 1.05 < 1.20' }] };
    yield { loan, result, cents };
  }
}
