/**
 * The compute kind's concentration and pool tests (K01-K07, limits in schemas/compute-criteria.json)
 * on a finished aggregate: exact actual, pass on the exact figure, headroom in the limit's unit and
 * the 5 largest contributors. A share or ratio whose denominator is 0 is null with pass false.
 */
import type { Decimal } from 'decimal.js';
import { centsDecimal } from '../../evaluation/exact.ts';
import { judge, limitOf, TOP_CONTRIBUTORS, type TestOutcome } from '../../evaluation/test-outcome.ts';
import type { ComputeDealCriteria, ComputeTestId } from './compute-criteria.ts';
import { COMPUTE_TEST_IDS } from './compute-criteria.ts';
import { byCentsThenKey, type ComputeGroupTotal, type ComputePoolAggregate } from './pool-accumulator.ts';

/** The exact outcome of one test. */
export interface ComputeTestOutcome extends TestOutcome<ComputeTestId> {
  /** K06: the date of the worst point (null when actual is null). */
  readonly worstDate?: string | null;
  /** Why actual is null. */
  readonly reason?: string;
}

/** An actual figure with the contributors and the reason when there is none. */
interface Figure {
  readonly actual: Decimal | null;
  readonly top: readonly ComputeGroupTotal[];
  /** The denominator the contributors' shares are of (cents). */
  readonly of: bigint;
  readonly reason?: string;
  readonly worstDate?: string | null;
}

/** Why the pool has no figures, or undefined when it has. */
export function emptyComputePoolReason(pool: ComputePoolAggregate): string | undefined {
  if (pool.eligibleCount === 0) {
    return pool.evaluatedCount === 0 ? 'no eligible pool: the tape has no valid lot' : `no eligible pool: none of the ${pool.evaluatedCount} valid lots is eligible`;
  }
  return pool.balanceCents === 0n ? `no eligible pool balance: the ${pool.eligibleCount} eligible lots have a currentBalance of 0.00` : undefined;
}

const quotient = (part: bigint | Decimal, whole: bigint | Decimal): Decimal =>
  (typeof part === 'bigint' ? centsDecimal(part) : part).div(typeof whole === 'bigint' ? centsDecimal(whole) : whole);

/** The largest balance share of a dimension. */
function largestShare(pool: ComputePoolAggregate, groups: readonly ComputeGroupTotal[]): Figure {
  return { actual: quotient(groups[0]!.cents, pool.balanceCents), top: groups, of: pool.balanceCents };
}

/** Σ monthly revenue at the counted ratings / Σ monthly revenue; top: the customer groups by counted revenue. */
export function revenueShareAt(pool: ComputePoolAggregate, ratings: readonly string[]): { part: bigint; groups: ComputeGroupTotal[] } {
  const counted = new Set(ratings.map((r) => r.toUpperCase()));
  let part = 0n;
  const groups: ComputeGroupTotal[] = [];
  for (const g of pool.customerGroups) {
    let cents = 0n;
    for (const [rating, c] of g.revenueByRating) if (counted.has(rating.toUpperCase())) cents += c;
    part += cents;
    if (cents > 0n) groups.push({ key: g.key, cents });
  }
  return { part, groups: groups.sort(byCentsThenKey) };
}

/** K06: the largest Σ balance(d) / Σ residual(d) over the path; a tie goes to the earliest date. */
export function worstResidualLtv(pool: ComputePoolAggregate): { actual: Decimal | null; worstDate: string | null; reason?: string } {
  if (pool.path.length === 0) return { actual: null, worstDate: null, reason: `no eligible lot matures after reportingDate ${pool.reportingDate ?? ''}`.trim() };
  let worst: Decimal | null = null;
  let worstDate: string | null = null;
  for (const p of pool.path) {
    if (p.residualCents.isZero()) return { actual: null, worstDate: null, reason: `the residual value of the lots maturing after ${p.date} is 0 on ${p.date}` };
    const ratio = p.balanceCents.div(p.residualCents);
    if (worst === null || ratio.gt(worst)) {
      worst = ratio;
      worstDate = p.date;
    }
  }
  return { actual: worst, worstDate };
}

function figureOf(id: ComputeTestId, pool: ComputePoolAggregate, criteria: ComputeDealCriteria): Figure {
  const balance = pool.balanceCents;
  switch (id) {
    case 'K01': return largestShare(pool, pool.customerGroups);
    case 'K02': {
      const { part, groups } = revenueShareAt(pool, criteria.concentrations.K02.ratings);
      if (pool.revenueCents === 0n) return { actual: null, top: [], of: 0n, reason: 'the eligible lots have no monthly contracted revenue' };
      return { actual: quotient(part, pool.revenueCents), top: groups, of: pool.revenueCents };
    }
    case 'K03': return largestShare(pool, pool.models);
    case 'K04': return largestShare(pool, pool.sites);
    case 'K05': return { actual: quotient(pool.pvContractedCents, balance), top: pool.largestLots, of: balance };
    case 'K06': {
      const w = worstResidualLtv(pool);
      return { actual: w.actual, worstDate: w.worstDate, top: w.actual === null ? [] : pool.largestLots, of: balance, ...(w.reason ? { reason: w.reason } : {}) };
    }
    case 'K07':
      if (pool.residualNowCents.isZero()) return { actual: null, top: [], of: balance, reason: `the residual value of the eligible lots is 0 on ${pool.reportingDate}` };
      return { actual: quotient(balance, pool.residualNowCents), top: pool.largestLots, of: balance };
  }
}

/** Every enabled test's exact outcome, in id order. */
export function runComputeTests(pool: ComputePoolAggregate, criteria: ComputeDealCriteria): ComputeTestOutcome[] {
  const empty = emptyComputePoolReason(pool);
  const out: ComputeTestOutcome[] = [];
  for (const id of COMPUTE_TEST_IDS) {
    const limits = criteria.concentrations[id] as { enabled: boolean; max?: number; min?: number };
    if (!limits.enabled) continue;
    const { limitType, limit } = limitOf(limits);
    const k06 = id === 'K06';
    const f: Figure = empty ? { actual: null, top: [], of: 0n, reason: empty, ...(k06 ? { worstDate: null } : {}) } : figureOf(id, pool, criteria);
    const actual = f.actual;
    const top = actual === null ? [] : f.top.slice(0, TOP_CONTRIBUTORS).map((c) => ({ key: c.key, share: quotient(c.cents, f.of) }));
    out.push({ id, limitType, limit, actual, ...judge(actual, limitType, limit), top, ...(k06 ? { worstDate: f.worstDate ?? null } : {}), ...(actual === null && f.reason ? { reason: f.reason } : {}) });
  }
  return out;
}
