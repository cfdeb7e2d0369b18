/**
 * The watchlist compares figures with doubles first and exactly only when that cannot decide
 * (watchlist.ts compare, fellTo). Checked here against decimal.js on every comparison, on figures
 * drawn around the thresholds: 2 to 4 decimals, so that exact ties and one-unit misses are common.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Exact } from '../../../functions/core/evaluation/exact.ts';
import { loadWatchlistCriteria, PriorLoans, WatchlistTests, type WatchedLoan } from '../../../functions/core/watchlist/index.ts';
import { fuzzRuns } from '../../support/fuzz-runs.ts';

/** A decimal in [lo, hi] with `places` decimals, as a number (what the reader hands on). */
const decimal = (lo: number, hi: number, places: number) => fc.integer({ min: lo * 10 ** places, max: hi * 10 ** places }).map((n) => Number((n / 10 ** places).toFixed(places)));

describe('watchlist thresholds, doubles first', () => {
  it('give the exact decimal answer for W01, W02 and W08', () => {
    fc.assert(fc.property(
      decimal(0, 3, 2), decimal(0, 1, 2), decimal(0, 2, 2), // thresholds: minDscr, fall, maxLtv
      fc.oneof(decimal(-2, 4, 2), decimal(0, 4, 4)), decimal(0, 4, 2), decimal(0, 3, 3), // dscr, prior dscr, ltv
      (minDscr, fall, maxLtv, dscr, priorDscr, ltv) => {
        const criteria = loadWatchlistCriteria({ W01: { minDscr }, W02: { fall }, W08: { maxLtv } });
        const prior = new PriorLoans();
        prior.add({ loanId: 'L', dscr: priorDscr, expectedCompletionDate: undefined, largestTenantRating: 'NR', offBalanceSheet: undefined } as never);
        const loan = { loanId: 'L', currentBalance: 1, dscr, ltv, paymentStatus: 'CURRENT', leaseExpiryDate: '2099-12-31', largestTenantRating: 'NR' } as WatchedLoan;
        const got = new WatchlistTests(criteria, '2026-10-31', prior).codes(loan);
        const d = new Exact(String(dscr));
        const want = [
          ...(d.lt(String(minDscr)) ? ['W01'] : []),
          ...(priorDscr > 0 && d.lte(new Exact(1).minus(String(fall)).times(String(priorDscr))) ? ['W02'] : []),
          ...(new Exact(String(ltv)).gt(String(maxLtv)) ? ['W08'] : []),
        ];
        expect(got).toEqual(want);
      },
    ), { numRuns: fuzzRuns(3000) });
  });

  it('a dscr of exactly (1 − fall) × prior counts where the double product falls short (0.7 × 0.1)', () => {
    // In doubles 0.7 * 0.1 is 0.06999999999999999: below the exact 0.07 the dscr equals.
    expect(0.7 * 0.1).toBeLessThan(0.07);
    const prior = new PriorLoans();
    prior.add({ loanId: 'L', dscr: 0.1, expectedCompletionDate: undefined, largestTenantRating: 'NR', offBalanceSheet: undefined } as never);
    const loan = { loanId: 'L', currentBalance: 1, dscr: 0.07, ltv: 0.5, paymentStatus: 'CURRENT', leaseExpiryDate: '2099-12-31', largestTenantRating: 'NR' } as WatchedLoan;
    expect(new WatchlistTests(loadWatchlistCriteria({ W01: { enabled: false }, W02: { fall: 0.3 } }), '2026-10-31', prior).codes(loan)).toEqual(['W02']);
  });
});
