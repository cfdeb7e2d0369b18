import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadCriteria } from '../../../functions/core/evaluation/criteria.ts';
import { buildEvaluationSections } from '../../../functions/core/evaluation/evaluation-sections.ts';
import { PoolAccumulator, type PoolAggregate } from '../../../functions/core/evaluation/pool-accumulator.ts';
import type { DmbsLoan } from '../../../functions/core/generated/loan-tape.ts';
import { addMonths } from '../../../functions/core/validation/calendar.ts';
import { POOL, sectionsOf } from './concentrations/pool.ts';
import { loan } from './loans.ts';

describe('PoolAccumulator: pool figures', () => {
  it('computes the pool of the hand-computed fixture', () => {
    const s = sectionsOf(POOL);
    expect(s.eligibility).toEqual({
      eligibleCount: 5, ineligibleCount: 1, eligibleBalance: '100000000.00',
      failuresByCriterion: { E01: 0, E02: 0, E03: 0, E04: 0, E05: 1, E06: 0, E07: 0, E08: 0, E09: 0, E10: 0 },
    });
    expect(s.pool).toEqual({
      loanCount: 5, currentBalance: '100000000.00', waDscr: '1.500000', waLtv: '0.656000',
      waInterestRate: '0.070800', // 0.4·0.065 + 0.3·0.07 + 0.2·0.08 + 0.06·0.09 + 0.04·0.06
      waRemainingLeaseTermMonths: '93.040000', effectiveLoanCount: '3.387534',
    });
  });

  it('counts a loan failing two criteria in both', () => {
    const s = sectionsOf([loan({ dscr: 1.1, ltv: 0.9 }), loan({ loanId: 'L-2', ltv: 0.81 })]);
    expect(s.eligibility.failuresByCriterion).toMatchObject({ E05: 1, E06: 2 });
    expect(s.eligibility).toMatchObject({ eligibleCount: 0, ineligibleCount: 2, eligibleBalance: '0.00' });
  });

  it('lists only the criteria the deal has switched on', () => {
    const s = sectionsOf([loan()], loadCriteria({ eligibility: { E01: { enabled: false }, E10: { enabled: false } } }));
    expect(Object.keys(s.eligibility.failuresByCriterion)).toEqual(['E02', 'E03', 'E04', 'E05', 'E06', 'E07', 'E08', 'E09']);
  });

  it('rounds half-even to 6 decimals only when writing', () => {
    // equal balances: the exact average is the loans' dscr; 1.2000005 -> 1.200000 and 1.2000015 -> 1.200002 (to the even digit)
    const even = sectionsOf([1, 2, 3].map((i) => loan({ loanId: `L-${i}`, currentBalance: 1, dscr: 1.2000005 })));
    expect(even.pool.waDscr).toBe('1.200000');
    const odd = sectionsOf([1, 2].map((i) => loan({ loanId: `L-${i}`, currentBalance: 1, dscr: 1.2000015 })));
    expect(odd.pool.waDscr).toBe('1.200002');
    const thirds = sectionsOf([loan({ loanId: 'a', currentBalance: 1, ltv: 0.1 }), loan({ loanId: 'b', currentBalance: 2, ltv: 0.2 })]);
    expect(thirds.pool.waLtv).toBe('0.166667'); // (0.1 + 0.4) / 3
  });

  it('keeps balances exact to the cent across many loans', () => {
    const loans = Array.from({ length: 1000 }, (_, i) => loan({ loanId: `L-${i}`, currentBalance: 0.1 + i }));
    // Σ (i + 0.10) = 499500 + 100.00 = 499600.00 (a float sum would drift)
    expect(sectionsOf(loans).eligibility.eligibleBalance).toBe('499600.00');
  });
});

describe('PoolAccumulator: empty pool', () => {
  const expectEmpty = (s: ReturnType<typeof sectionsOf>, reason: string, loanCount = 0, currentBalance = '0.00') => {
    expect(s.pool).toEqual({
      loanCount, currentBalance, waDscr: null, waLtv: null, waInterestRate: null, waRemainingLeaseTermMonths: null, effectiveLoanCount: null, reason,
    });
    expect(s.concentrations).toHaveLength(12);
    for (const t of s.concentrations) expect(t).toMatchObject({ actual: null, pass: false, headroom: null, top: [], reason });
    expect(s.score.points).toBe('0.000000');
    expect(s.score.band).toBe('no eligible pool');
    for (const f of s.score.factors) expect(f).toMatchObject({ value: null, points: '0.000000' });
  };

  it('is a result when the tape has no valid loan', () => {
    const s = sectionsOf([]);
    expectEmpty(s, 'no eligible pool: the tape has no valid loan');
    expect(s.eligibility).toMatchObject({ eligibleCount: 0, ineligibleCount: 0, eligibleBalance: '0.00' });
  });

  it('is a result when no valid loan is eligible', () => {
    expectEmpty(sectionsOf([loan({ dscr: 1 }), loan({ loanId: 'L-2', lienPosition: 'SECOND' })]), 'no eligible pool: none of the 2 valid loans is eligible');
  });

  it('is a result when the eligible loans have no balance (E01 switched off)', () => {
    const deal = loadCriteria({ eligibility: { E01: { enabled: false } } });
    expectEmpty(sectionsOf([loan({ currentBalance: 0 })], deal), 'no eligible pool balance: the 1 eligible loans have a currentBalance of 0.00', 1);
  });
});

describe('PoolAccumulator: groups', () => {
  it('groups by parent vs tenant: a tenant named like another loan\'s parent joins that group', () => {
    const s = sectionsOf([
      loan({ loanId: 'a', largestTenant: 'Azure', largestTenantParent: 'Microsoft Corporation', currentBalance: 3 }),
      loan({ loanId: 'b', largestTenant: 'Microsoft Corporation', largestTenantParent: undefined, currentBalance: 1 }),
      loan({ loanId: 'c', largestTenant: 'Microsoft Corporation', largestTenantParent: 'Berkshire', currentBalance: 4 }),
    ]);
    expect(s.concentrations.find((t) => t.id === 'C01')?.top).toEqual([
      { key: 'Berkshire', share: '0.500000' },
      { key: 'Microsoft Corporation', share: '0.500000' },
    ]);
  });

  it('merges keys differing only in case and spaces, showing the first spelling', () => {
    const s = sectionsOf([
      loan({ loanId: 'a', sponsor: 'Digital  Realty', market: 'Dallas', currentBalance: 1 }),
      loan({ loanId: 'b', sponsor: ' DIGITAL REALTY ', market: 'DALLAS ', currentBalance: 1 }),
      loan({ loanId: 'c', sponsor: 'digital\trealty', market: 'dallas', currentBalance: 2 }),
      loan({ loanId: 'd', sponsor: 'DigitalRealty', market: 'Dal las', currentBalance: 4 }),
    ]);
    const top = (id: string) => s.concentrations.find((t) => t.id === id)?.top;
    expect(top('C06')).toEqual([{ key: 'Digital  Realty', share: '0.500000' }, { key: 'DigitalRealty', share: '0.500000' }]);
    expect(top('C05')).toEqual([{ key: 'Dal las', share: '0.500000' }, { key: 'Dallas', share: '0.500000' }]);
  });

  it('keeps the 5 largest contributors, ties by key', () => {
    const s = sectionsOf(['f', 'e', 'd', 'c', 'b', 'a', 'g'].map((m, i) => loan({ loanId: m, market: m, currentBalance: i === 6 ? 2 : 1 })));
    expect(s.concentrations.find((t) => t.id === 'C05')?.top.map((t) => t.key)).toEqual(['g', 'a', 'b', 'c', 'd']);
    expect(s.concentrations.find((t) => t.id === 'C09')?.top.map((t) => t.key)).toEqual(['g', 'a', 'b', 'c', 'd']);
  });

  it('refuses loans of another reportingDate (the validator never lets them through)', () => {
    const acc = new PoolAccumulator(loadCriteria());
    acc.add(loan());
    expect(() => acc.add(loan({ loanId: 'L-2', reportingDate: '2026-09-30' }))).toThrow(/reportingDate 2026-09-30 differs from 2026-10-31/);
  });

  it('loads a state stored before C03 and C08 were pool parts (fixed fields, tenant columns 1 and 2)', () => {
    const criteria = loadCriteria();
    const acc = new PoolAccumulator(criteria);
    for (const l of POOL) acc.add(l);
    const { parts, ...state } = JSON.parse(JSON.stringify(acc));
    const column = (id: string, key: string) => new Map<string, string>(parts[id].groups).get(key) ?? '0';
    const old = {
      ...state, lowRated: parts.C03.cents, rollover: parts.C08.cents,
      tenants: state.tenants.map(([key, [cents]]: [string, [string]]) => [key, [cents, column('C03', key), column('C08', key)]]),
    };
    const sections = (a: PoolAccumulator) => buildEvaluationSections(a, criteria, '90.00');
    expect(sections(PoolAccumulator.fromJSON(old, criteria))).toEqual(sections(acc));
    expect(sections(acc).concentrations.filter((t) => t.id === 'C03' || t.id === 'C08').map((t) => t.top.length)).toEqual([2, 2]);
  });

  it('refuses to merge accumulators of different criteria', () => {
    expect(() => new PoolAccumulator(loadCriteria()).merge(new PoolAccumulator(loadCriteria({ dealCurrency: 'EUR' })))).toThrow(/different criteria/);
  });

  it('holds one entry per group, not per loan', () => {
    const acc = new PoolAccumulator(loadCriteria());
    for (let i = 0; i < 2000; i++) acc.add(loan({ loanId: `L-${i}`, sponsor: i % 2 ? 'A' : 'a', largestTenantParent: `P${i % 3}` }));
    const r = acc.result();
    expect([r.tenantGroups.length, r.sponsors.length, r.facilities.length, r.markets.length, r.largestLoans.length]).toEqual([3, 1, 1, 1, 5]);
  });
});

// ---- property: any chunking, merged in tape order, equals the whole --------------------------------------------

const REPORTING_DATE = '2026-10-31';
const arbLoan = fc.record({
  cents: fc.bigInt({ min: 0n, max: 10n ** 13n }),
  tenant: fc.constantFrom('Microsoft Azure', 'microsoft  azure', 'OpenAI', 'OPENAI ', 'Oracle Cloud'),
  parent: fc.constantFrom(undefined, '', 'ND2', 'Microsoft Corporation', ' microsoft corporation', 'Alphabet Inc'),
  rating: fc.constantFrom('AAA', 'A-', 'BBB-', 'BB+', 'B', 'NR', 'CC'),
  dscr: fc.oneof(fc.integer({ min: -50, max: 400 }).map((n) => n / 100), fc.integer({ min: 0, max: 3_000_000 }).map((n) => n / 1e6)),
  ltv: fc.integer({ min: 0, max: 1_200_000 }).map((n) => n / 1e6),
  rate: fc.integer({ min: 0, max: 3000 }).map((n) => n / 10000),
  leaseMonths: fc.integer({ min: -6, max: 240 }),
  leaseDay: fc.integer({ min: 1, max: 31 }),
  loanMonths: fc.integer({ min: -2, max: 150 }),
  status: fc.constantFrom('OPERATIONAL', 'OPERATIONAL', 'UNDER_CONSTRUCTION', 'COMMISSIONING', 'PLANNED'),
  completionMonths: fc.integer({ min: -3, max: 40 }),
  leased: fc.integer({ min: 0, max: 60 }),
  facility: fc.constantFrom('F-1', 'f-1', 'F-2', 'F-3', 'F-4'),
  market: fc.constantFrom('Dallas', 'dallas', 'Phoenix', 'Dublin'),
  sponsor: fc.constantFrom('Vantage', 'VANTAGE', 'QTS', 'Stack'),
  offBalanceSheet: fc.boolean(),
  status2: fc.constantFrom('CURRENT', 'CURRENT', 'CURRENT', 'DPD_30'),
  currency: fc.constantFrom('USD', 'USD', 'USD', 'EUR'),
  earlyTermination: fc.constantFrom(undefined, true, false),
});

type LoanRecord = typeof arbLoan extends fc.Arbitrary<infer T> ? T : never;

function toLoan(r: LoanRecord, i: number): DmbsLoan {
  const monthEnd = addMonths(REPORTING_DATE, r.leaseMonths); // reportingDate is a 31st: the month's last day
  const day = Math.min(r.leaseDay, Number(monthEnd.slice(8)));
  return loan({
    loanId: `L-${i}`,
    currentBalance: Number(r.cents) / 100,
    largestTenant: r.tenant,
    largestTenantParent: r.parent,
    largestTenantRating: r.rating as DmbsLoan['largestTenantRating'],
    dscr: r.dscr,
    ltv: r.ltv,
    interestRate: r.rate,
    leaseExpiryDate: `${monthEnd.slice(0, 8)}${String(day).padStart(2, '0')}`,
    maturityDate: addMonths(REPORTING_DATE, r.loanMonths),
    constructionStatus: r.status as DmbsLoan['constructionStatus'],
    expectedCompletionDate: r.status === 'OPERATIONAL' ? undefined : addMonths(REPORTING_DATE, r.completionMonths),
    leasedMw: r.leased,
    facilityId: r.facility,
    market: r.market,
    sponsor: r.sponsor,
    offBalanceSheet: r.offBalanceSheet,
    paymentStatus: r.status2 as DmbsLoan['paymentStatus'],
    currency: r.currency,
    earlyTerminationRight: r.earlyTermination,
  });
}

/** A PoolAggregate as plain JSON (Decimal and bigint as text), to compare exactly. */
function plain(r: PoolAggregate): unknown {
  return JSON.parse(JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v instanceof Map ? [...v].sort() : v)));
}

describe('PoolAccumulator: merge', () => {
  it('gives exactly the whole-tape result for a tape split at random points into k chunks (also through JSON)', () => {
    const criteria = loadCriteria();
    fc.assert(
      fc.property(fc.array(arbLoan, { maxLength: 60 }), fc.array(fc.nat(), { maxLength: 8 }), (records, cuts) => {
        const loans = records.map(toLoan);
        const whole = new PoolAccumulator(criteria);
        const evaluations = loans.map((l) => whole.add(l));

        const points = [...new Set(cuts.map((c) => c % (loans.length + 1)))].sort((a, b) => a - b);
        const bounds = [0, ...points, loans.length];
        const chunks = bounds.slice(1).map((end, k) => loans.slice(bounds[k], end));
        const parts = chunks.map((chunk) => {
          const acc = new PoolAccumulator(criteria);
          return { acc, evaluations: chunk.map((l) => acc.add(l)) };
        });
        // as partial results would travel between workers: through JSON
        const shipped = parts.map((p) => PoolAccumulator.fromJSON(JSON.parse(JSON.stringify(p.acc)), criteria));
        const merged = parts.reduce((acc, p) => acc.merge(p.acc), new PoolAccumulator(criteria));
        const mergedFromJson = shipped.reduce((acc, p) => acc.merge(p), new PoolAccumulator(criteria));

        expect(parts.flatMap((p) => p.evaluations)).toEqual(evaluations);
        expect(plain(merged.result())).toEqual(plain(whole.result()));
        expect(plain(mergedFromJson.result())).toEqual(plain(whole.result()));
        expect(buildEvaluationSections(merged, criteria, '92.50')).toEqual(buildEvaluationSections(whole, criteria, '92.50'));
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same figures whatever the order of merging (names aside)', () => {
    const criteria = loadCriteria();
    fc.assert(
      fc.property(fc.array(arbLoan, { minLength: 1, maxLength: 40 }), fc.nat(), (records, cut) => {
        const loans = records.map(toLoan);
        const at = cut % (loans.length + 1);
        const [first, second] = [new PoolAccumulator(criteria), new PoolAccumulator(criteria)];
        loans.slice(0, at).forEach((l) => first.add(l));
        loans.slice(at).forEach((l) => second.add(l));
        const [a, b] = [new PoolAccumulator(criteria).merge(first).merge(second), new PoolAccumulator(criteria).merge(second).merge(first)];
        const figures = (acc: PoolAccumulator) => {
          const s = buildEvaluationSections(acc, criteria, '92.50');
          return { eligibility: s.eligibility, pool: s.pool, actual: s.concentrations.map((t) => [t.actual, t.headroom, t.pass]), score: s.score.points };
        };
        expect(figures(a)).toEqual(figures(b));
      }),
      { numRuns: 100 },
    );
  });
});
