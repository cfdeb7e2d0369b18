/**
 * Exact figures of the eligible pool (the DMBS standard, "Concentration tests" and report `pool`):
 * balance-weighted averages, shares and the effective number of loans, as Decimal. Undefined
 * (null) when the pool's balance is 0: an empty pool is a result, not a division error.
 */
import type { Decimal } from 'decimal.js';
import { Exact, centsDecimal } from './exact.ts';
import type { PoolAggregate } from './pool-accumulator.ts';

export interface PoolMetrics {
  readonly waDscr: Decimal;
  readonly waLtv: Decimal;
  readonly waInterestRate: Decimal;
  readonly waRemainingLeaseTermMonths: Decimal;
  readonly waRemainingLoanTermMonths: Decimal;
  /** 1 / Σ(balanceᵢ / total)² = total² / Σ balanceᵢ². */
  readonly effectiveLoanCount: Decimal;
  readonly largestTenantGroupShare: Decimal;
  readonly notOperationalShare: Decimal;
}

/** Why the pool has no figures, or undefined when it has them. */
export function emptyPoolReason(pool: PoolAggregate): string | undefined {
  if (pool.eligibleCount === 0) {
    return pool.evaluatedCount === 0 ? 'no eligible pool: the tape has no valid loan' : `no eligible pool: none of the ${pool.evaluatedCount} valid loans is eligible`;
  }
  return pool.balanceCents === 0n ? `no eligible pool balance: the ${pool.eligibleCount} eligible loans have a currentBalance of 0.00` : undefined;
}

/** `part / total` of the pool's balance, exact. */
export function shareOf(cents: bigint, pool: PoolAggregate): Decimal {
  return centsDecimal(cents).div(centsDecimal(pool.balanceCents));
}

/** The pool's figures; null when its balance is 0 (see emptyPoolReason). */
export function poolMetrics(pool: PoolAggregate): PoolMetrics | null {
  if (pool.balanceCents === 0n) return null;
  const total = centsDecimal(pool.balanceCents);
  const w = pool.weighted;
  return {
    waDscr: w.dscr.div(total),
    waLtv: w.ltv.div(total),
    waInterestRate: w.interestRate.div(total),
    waRemainingLeaseTermMonths: new Exact(w.remainingLeaseTermMonths.toString()).div(total),
    waRemainingLoanTermMonths: new Exact(w.remainingLoanTermMonths.toString()).div(total),
    effectiveLoanCount: total.times(total).div(new Exact(pool.sumOfSquaredCents.toString())),
    largestTenantGroupShare: shareOf(pool.tenantGroups[0]?.cents ?? 0n, pool),
    notOperationalShare: shareOf(pool.notOperationalCents, pool),
  };
}
