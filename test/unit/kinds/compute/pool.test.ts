// The compute pool: K01-K07 edges (empty pool, zero denominators, ties), and merge order independence.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ComputePoolAccumulator, buildComputeSections, loadComputeCriteria, loadResidualCurve, type EvaluatedLot,
} from '../../../../functions/core/kinds/compute/index.ts';
import { lot } from './lots.ts';
import { WORKED_EXAMPLE } from './worked-example.ts';

const settings = { criteria: loadComputeCriteria(), curve: loadResidualCurve() };
const sectionsOf = (lots: EvaluatedLot[], s = settings) => {
  const acc = new ComputePoolAccumulator(s);
  lots.forEach((l, i) => acc.add(l, i + 2));
  return buildComputeSections(acc);
};
const test = (sections: ReturnType<typeof sectionsOf>, id: string) => sections.concentrations.find((t) => t.id === id)!;

describe('compute pool: an empty eligible pool is a result', () => {
  it('has no valid lot: counts 0, balance 0.00, every figure null, score 0', () => {
    const s = sectionsOf([]);
    expect(s.pool).toEqual({ lotCount: 0, currentBalance: '0.00', residualNow: null, pvContracted: null, residualPath: [], reason: 'no eligible pool: the tape has no valid lot' });
    for (const t of s.concentrations) expect(t).toMatchObject({ actual: null, pass: false, headroom: null, top: [], reason: 'no eligible pool: the tape has no valid lot' });
    expect(test(s, 'K06').worstDate).toBeNull();
    expect(s.score).toMatchObject({ points: '0.000000', band: 'no eligible pool' });
    expect(s.score.factors.every((f) => f.value === null)).toBe(true);
  });

  it('has valid lots, none eligible', () => {
    const s = sectionsOf([lot({ paymentStatus: 'DEFAULT' })]);
    expect(s.eligibility).toMatchObject({ eligibleCount: 0, ineligibleCount: 1, eligibleBalance: '0.00' });
    expect(s.pool.reason).toBe('no eligible pool: none of the 1 valid lots is eligible');
  });
});

describe('compute pool: zero denominators', () => {
  it('K02 is null when the eligible lots have no contracted revenue', () => {
    const s = sectionsOf([lot({ monthlyContractedRevenue: 0, contractType: 'ON_DEMAND' })]);
    expect(test(s, 'K02')).toMatchObject({ actual: null, pass: false, reason: 'the eligible lots have no monthly contracted revenue' });
    expect(s.score.factors.find((f) => f.metric === 'investmentGradeRevenueShare')).toMatchObject({ value: null, points: '0.000000' });
  });

  it('K06 and K07 are null, naming the date, when the residual is 0', () => {
    const zero = { ...settings, curve: loadResidualCurve({ default: [[0, 0]] }) };
    const s = sectionsOf([lot()], zero);
    expect(test(s, 'K07')).toMatchObject({ actual: null, pass: false, top: [], reason: 'the residual value of the eligible lots is 0 on 2026-10-31' });
    expect(test(s, 'K06')).toMatchObject({ actual: null, worstDate: null, pass: false, reason: 'the residual value of the lots maturing after 2026-10-31 is 0 on 2026-10-31' });
    // The path still shows every date, its LTV null where the residual is 0.
    expect(s.pool.residualPath.map((p) => [p.date, p.residual, p.ltv])).toEqual([
      ['2026-10-31', '0.00', null], ['2026-12-31', '0.00', null], ['2027-12-31', '0.00', null], ['2028-12-31', '0.00', null],
    ]);
  });

  it('K06 is null when no eligible lot matures after reportingDate (G09 switched off)', () => {
    const noG09 = { ...settings, criteria: loadComputeCriteria({ eligibility: { G09: { enabled: false } } }) };
    const s = sectionsOf([lot({ maturityDate: '2026-10-31', contractExpiryDate: '2026-10-31' })], noG09);
    expect(test(s, 'K06')).toMatchObject({ actual: null, worstDate: null, pass: false, reason: 'no eligible lot matures after reportingDate 2026-10-31' });
    expect(test(s, 'K07').actual).not.toBeNull();
    expect(s.pool.residualPath).toEqual([]);
  });
});

describe('compute pool: limits and the path', () => {
  it('passes a test exactly on its limit (decided on the exact figure)', () => {
    // two customers at 35 % and 65 % of balance; K01's limit raised to 0.65 exactly
    const c = { ...settings, criteria: loadComputeCriteria({ concentrations: { K01: { max: 0.65 } } }) };
    const s = sectionsOf([lot({ lotId: 'A', currentBalance: 650000 }), lot({ lotId: 'B', customer: 'X', customerParent: undefined, currentBalance: 350000 })], c);
    expect(test(s, 'K01')).toMatchObject({ actual: '0.650000', pass: true, headroom: '0.000000' });
  });

  it('puts the worst point on a later 31 December for young, long-dated lots', () => {
    // new lot, balance falls slowly (maturity far away) while the residual falls fast
    const s = sectionsOf([lot({ inServiceDate: '2026-10-31', maturityDate: '2031-10-31', contractExpiryDate: '2031-10-31', currentBalance: 2000000 })]);
    const k06 = test(s, 'K06');
    expect(k06.worstDate).not.toBe('2026-10-31');
    expect(s.pool.residualPath.find((p) => p.date === k06.worstDate)?.ltv).toBe(k06.actual);
    expect(Number(k06.actual)).toBeGreaterThan(Number(test(s, 'K07').actual));
  });

  it('groups customers by parent, trimmed and case-insensitive, named as the lowest row wrote them', () => {
    const s = sectionsOf([
      lot({ lotId: 'A', customer: 'Azure East', customerParent: '  microsoft ' }),
      lot({ lotId: 'B', customer: 'Azure West', customerParent: 'MICROSOFT' }),
      lot({ lotId: 'C', customer: 'Solo', customerParent: 'ND2' }),
    ]);
    expect(test(s, 'K01').top.map((t) => t.key)).toEqual(['microsoft', 'Solo']);
  });
});

describe('compute pool: merging', () => {
  const arbLot = fc.record({
    lotId: fc.stringMatching(/^[A-Z][0-9]{1,3}$/),
    gpuModel: fc.constantFrom('H100', 'H200', 'B200', 'GB200', 'MI300X', 'MI325X', 'OTHER' as const),
    unitCount: fc.integer({ min: 1, max: 5000 }),
    unitCost: fc.integer({ min: 100000, max: 6000000 }).map((c) => c / 100),
    inAge: fc.integer({ min: -8, max: 40 }),
    energised: fc.boolean(),
    siteId: fc.constantFrom('ABI-01', 'abi-01 ', 'DFW-01', 'ASH-01'),
    customer: fc.constantFrom('Microsoft', 'OpenAI', 'CoreWeave', 'Meta'),
    customerRating: fc.constantFrom('AAA', 'BBB-', 'BB+', 'B+', 'CCC', 'NR' as const),
    contractType: fc.constantFrom('TAKE_OR_PAY', 'RESERVED', 'ON_DEMAND' as const),
    revenue: fc.integer({ min: 0, max: 50000000 }).map((c) => c / 100),
    term: fc.integer({ min: 1, max: 72 }),
    balance: fc.integer({ min: 0, max: 2000000000 }).map((c) => c / 100),
  }).map((r): EvaluatedLot => {
    const inService = new Date(Date.UTC(2026, 9 - r.inAge, 28)).toISOString().slice(0, 10);
    const maturity = new Date(Date.UTC(2026, 9 + r.term, 15)).toISOString().slice(0, 10);
    return lot({
      lotId: r.lotId, gpuModel: r.gpuModel, unitCount: r.unitCount, unitCost: r.unitCost, inServiceDate: inService, energised: r.energised,
      siteId: r.siteId, customer: r.customer, customerParent: undefined, customerRating: r.customerRating, contractType: r.contractType,
      monthlyContractedRevenue: r.revenue, contractExpiryDate: maturity, maturityDate: maturity, currentBalance: r.balance,
    });
  });

  it('gives the same sections whatever the split and the order of merging, through the serialised state', () => {
    fc.assert(fc.property(fc.array(arbLot, { maxLength: 12 }), fc.integer({ min: 0, max: 12 }), (lots, cut) => {
      const whole = new ComputePoolAccumulator(settings);
      lots.forEach((l, i) => whole.add(l, i + 2));
      const a = new ComputePoolAccumulator(settings);
      const b = new ComputePoolAccumulator(settings);
      lots.forEach((l, i) => (i < cut ? a : b).add(l, i + 2));
      const ba = ComputePoolAccumulator.fromJSON(JSON.parse(JSON.stringify(b.toJSON())), settings).merge(a);
      expect(buildComputeSections(ba)).toEqual(buildComputeSections(whole));
      expect(ba.result().path.map((p) => p.balanceCents.toFixed())).toEqual(whole.result().path.map((p) => p.balanceCents.toFixed()));
    }), { numRuns: 60 });
  });

  it('merges the worked example lot by lot in reverse into the same figures', () => {
    const whole = new ComputePoolAccumulator(settings);
    WORKED_EXAMPLE.forEach((l, i) => whole.add(l, i + 2));
    const parts = WORKED_EXAMPLE.map((l, i) => {
      const acc = new ComputePoolAccumulator(settings);
      acc.add(l, i + 2);
      return acc;
    }).reverse();
    const merged = parts.slice(1).reduce((acc, p) => acc.merge(p), parts[0]!);
    expect(buildComputeSections(merged)).toEqual(buildComputeSections(whole));
  });

  it('refuses lots of two reporting dates', () => {
    const acc = new ComputePoolAccumulator(settings);
    acc.add(lot());
    expect(() => acc.add(lot({ lotId: 'L-2', reportingDate: '2026-11-30' }))).toThrow(/two reporting dates/);
  });
});
