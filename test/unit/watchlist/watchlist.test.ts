import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../functions/core/errors.ts';
import {
  PriorLoans, WatchlistAggregate, WatchlistTests, describeWatchlistCode, loadWatchlistCriteria, type PriorLoan, type WatchedLoan,
} from '../../../functions/core/watchlist/index.ts';

const REPORTING = '2026-10-31';
const now = (over: Partial<WatchedLoan> = {}): WatchedLoan => ({
  loanId: 'L-1', currentBalance: 100_000_000, dscr: 1.5, ltv: 0.6, paymentStatus: 'CURRENT', leaseExpiryDate: '2031-06-30',
  expectedCompletionDate: undefined, largestTenantRating: 'A', offBalanceSheet: undefined, ...over,
} as WatchedLoan);
const before = (over: Partial<PriorLoan> = {}): PriorLoan => ({
  loanId: 'L-1', dscr: 1.5, expectedCompletionDate: undefined, largestTenantRating: 'A', offBalanceSheet: undefined, ...over,
} as PriorLoan);
const priorOf = (...loans: PriorLoan[]) => {
  const p = new PriorLoans();
  for (const l of loans) p.add(l);
  return p;
};
const codes = (loan: WatchedLoan, prior?: PriorLoan, doc?: unknown) =>
  new WatchlistTests(loadWatchlistCriteria(doc), REPORTING, prior ? priorOf(prior) : undefined).codes(loan);

describe('watchlist codes at their thresholds', () => {
  it('W01: dscr below 1.10, not at it', () => {
    expect(codes(now({ dscr: 1.09 }))).toEqual(['W01']);
    expect(codes(now({ dscr: 1.1 }))).toEqual([]);
  });

  it('W02: a fall of exactly 20 % counts, 19.99 % does not, a prior dscr of 0 or less never', () => {
    expect(codes(now({ dscr: 1.6 }), before({ dscr: 2 }))).toEqual(['W02']);
    expect(codes(now({ dscr: 1.6002 }), before({ dscr: 2 }))).toEqual([]);
    expect(codes(now({ dscr: -1 }), before({ dscr: 0 }))).toEqual(['W01']);
    // 0.1 + 0.2 style sums: exact decimal, so 0.8 x 1.4 = 1.12 exactly
    expect(codes(now({ dscr: 1.12 }), before({ dscr: 1.4 }))).toEqual(['W02']);
  });

  it('W03: any status but CURRENT', () => {
    expect(codes(now({ paymentStatus: 'DPD_30' }))).toEqual(['W03']);
  });

  it('W04: a lease expiring on reportingDate + 12 months (clamped) counts, a day later does not', () => {
    expect(codes(now({ leaseExpiryDate: '2027-10-31' }))).toEqual(['W04']);
    expect(codes(now({ leaseExpiryDate: '2027-11-01' }))).toEqual([]);
    const feb = new WatchlistTests(loadWatchlistCriteria({ W04: { months: 4 } }), '2026-10-31', undefined);
    expect(feb.codes(now({ leaseExpiryDate: '2027-02-28' }))).toEqual(['W04']);
    expect(feb.codes(now({ leaseExpiryDate: '2027-03-01' }))).toEqual([]);
  });

  it('W05: completion later than prior + 3 months; exactly 3 months is not a slip; no date on either side is not tested', () => {
    expect(codes(now({ expectedCompletionDate: '2027-07-01' }), before({ expectedCompletionDate: '2027-03-31' }))).toEqual(['W05']);
    expect(codes(now({ expectedCompletionDate: '2027-06-30' }), before({ expectedCompletionDate: '2027-03-31' }))).toEqual([]);
    expect(codes(now({ expectedCompletionDate: 'ND2' as never }), before({ expectedCompletionDate: '2026-01-31' }))).toEqual([]);
    expect(codes(now({ expectedCompletionDate: '2030-01-31' }), before({ expectedCompletionDate: undefined }))).toEqual([]);
  });

  it('W06: two notches down, or investment grade to below BBB-; NR on either side is not tested', () => {
    expect(codes(now({ largestTenantRating: 'BBB+' }), before({ largestTenantRating: 'A' }))).toEqual(['W06']);
    expect(codes(now({ largestTenantRating: 'A-' }), before({ largestTenantRating: 'A' }))).toEqual([]);
    expect(codes(now({ largestTenantRating: 'BB+' }), before({ largestTenantRating: 'BBB-' }))).toEqual(['W06']);
    expect(codes(now({ largestTenantRating: 'B' }), before({ largestTenantRating: 'NR' }))).toEqual([]);
    expect(codes(now({ largestTenantRating: 'NR' }), before({ largestTenantRating: 'AAA' }))).toEqual([]);
    expect(codes(now({ largestTenantRating: 'AA' }), before({ largestTenantRating: 'BB' }))).toEqual([]);
  });

  it('W07: off balance sheet before, on it now; a no-data code or blank is not false', () => {
    expect(codes(now({ offBalanceSheet: false }), before({ offBalanceSheet: true }))).toEqual(['W07']);
    expect(codes(now({ offBalanceSheet: 'ND1' as never }), before({ offBalanceSheet: true }))).toEqual([]);
    expect(codes(now({ offBalanceSheet: false }), before({ offBalanceSheet: undefined }))).toEqual([]);
  });

  it('W08: ltv above 0.85, not at it', () => {
    expect(codes(now({ ltv: 0.850001 }))).toEqual(['W08']);
    expect(codes(now({ ltv: 0.85 }))).toEqual([]);
  });

  it('a loan missing from the prior tape, or a first tape: only the codes that need no prior', () => {
    const watched = now({ dscr: 1, largestTenantRating: 'B', offBalanceSheet: false });
    expect(codes(watched, before({ loanId: 'OTHER', dscr: 3, largestTenantRating: 'AAA', offBalanceSheet: true }))).toEqual(['W01']);
    expect(codes(watched)).toEqual(['W01']);
  });

  it('the prior loan is found by its id trimmed, compared exactly', () => {
    expect(codes(now({ loanId: 'L-1', offBalanceSheet: false }), before({ loanId: ' L-1 ', offBalanceSheet: true }))).toEqual(['W07']);
    expect(codes(now({ loanId: 'l-1', offBalanceSheet: false }), before({ loanId: 'L-1', offBalanceSheet: true }))).toEqual([]);
  });

  it('a deal file switches a code off and moves a threshold; a bad file names the path', () => {
    expect(codes(now({ dscr: 1.09, ltv: 0.9 }), undefined, { W01: { enabled: false }, W08: { maxLtv: 0.95 } })).toEqual([]);
    expect(() => loadWatchlistCriteria({ W02: { fall: 2 } }, 'watchlist/i/d.json')).toThrowError(ConfigError);
    expect(() => loadWatchlistCriteria({ W02: { fall: 2 } }, 'watchlist/i/d.json')).toThrowError(/watchlist\/i\/d\.json: \/W02\/fall: must be <= 1/);
    expect(describeWatchlistCode('W04', loadWatchlistCriteria({ W04: { months: 18 } }))).toBe("largest tenant's lease expires within 18 months (leaseExpiryDate <= reportingDate + 18 months)");
  });
});

describe('the watchlist section', () => {
  it('counts loans with a code, their balance and share of the valid balance, all eight codes, loans in row order', () => {
    const a = new WatchlistAggregate();
    const b = new WatchlistAggregate();
    b.add(5, { loanId: 'L-5', currentBalance: 50_000_000 }, ['W01', 'W08']);
    a.add(2, { loanId: 'L-2', currentBalance: 100_000_000 }, []);
    a.add(3, { loanId: 'L-3', currentBalance: 25_000_000.5 }, ['W03']);
    const merged = WatchlistAggregate.fromJSON(JSON.parse(JSON.stringify(b.toJSON()))).merge(a);
    expect(merged.section({ tapeId: 'T-0', reportingDate: '2026-09-30' })).toEqual({
      priorTape: { tapeId: 'T-0', reportingDate: '2026-09-30' },
      loanCount: 2,
      balance: '75000000.50',
      share: '0.428571',
      countsByCode: { W01: 1, W02: 0, W03: 1, W04: 0, W05: 0, W06: 0, W07: 0, W08: 1 },
      loans: [{ row: 3, loanId: 'L-3', codes: ['W03'] }, { row: 5, loanId: 'L-5', codes: ['W01', 'W08'] }],
    });
  });

  it('no valid balance: share null; a first tape: priorTape null', () => {
    expect(new WatchlistAggregate().section(null)).toMatchObject({ priorTape: null, loanCount: 0, balance: '0.00', share: null });
  });
});
