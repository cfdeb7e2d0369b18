// The standard's worked example of the compute kind, every figure (docs/compute-tape.md).
import { describe, expect, it } from 'vitest';
import {
  ComputePoolAccumulator, ageMonths, balanceCentsAt, buildComputeSections, loadComputeCriteria, loadResidualCurve, pathDates,
  pvContractedCents, residualCents, residualShare, type EvaluatedLot,
} from '../../../../functions/core/kinds/compute/index.ts';
import { WORKED_EXAMPLE } from './worked-example.ts';
import { Decimal } from 'decimal.js';

const curve = loadResidualCurve();
const settings = { criteria: loadComputeCriteria(), curve };
const [L1, L2, L3, L4] = WORKED_EXAMPLE as [EvaluatedLot, EvaluatedLot, EvaluatedLot, EvaluatedLot];
const money = (cents: { div(n: number): { toFixed(p: number): string } }, places = 4) => cents.div(100).toFixed(places);

function sections() {
  const acc = new ComputePoolAccumulator(settings);
  const evaluations = WORKED_EXAMPLE.map((lot, i) => acc.add(lot, i + 2));
  return { evaluations, acc, s: buildComputeSections(acc) };
}

describe('worked example: step 1, eligibility', () => {
  it('finds all four lots eligible, L1 on the G06 limit and L4 on the G05 limit', () => {
    const { evaluations, s } = sections();
    expect(evaluations.every((e) => e.eligible)).toBe(true);
    expect([L1, L2, L3, L4].map((l) => ageMonths(l, '2026-10-31'))).toEqual([2, 6, 0, 36]);
    expect(s.eligibility).toEqual({
      eligibleCount: 4, ineligibleCount: 0, eligibleBalance: '40400000.00',
      failuresByCriterion: { G01: 0, G02: 0, G03: 0, G04: 0, G05: 0, G06: 0, G07: 0, G08: 0, G09: 0 },
    });
  });
});

describe('worked example: step 2, the residual curve', () => {
  it.each([
    [0, '1'], [2, '0.936666666667'], [4, '0.873333333333'], [6, '0.81'], [8, '0.746666666667'], [11, '0.651666666667'],
    [16, '0.553333333333'], [20, '0.486666666667'], [23, '0.436666666667'], [28, '0.38'], [36, '0.3'], [38, '0.283333333333'],
  ])('curve(%i) = %s', (age, share) => {
    expect(residualShare(curve, 'H100', age).toDecimalPlaces(12).toString()).toBe(share);
  });

  it('gives each lot its residual now, Σ 78,540,000', () => {
    expect([L1, L2, L3, L4].map((l) => money(residualCents(l, '2026-10-31', curve), 2))).toEqual(['28100000.00', '19440000.00', '28000000.00', '3000000.00']);
    expect(sections().s.pool.residualNow).toBe('78540000.00');
  });
});

describe('worked example: step 3, contract coverage', () => {
  it('discounts 24 and 36 months at 1/120 a month; ON_DEMAND counts 0', () => {
    expect([L1, L2, L3, L4].map((l) => money(pvContractedCents(l, 0.1), 6))).toEqual(['21670854.834305', '13002512.900583', '27892112.026793', '0.000000']);
    const { residualPath, ...pool } = sections().s.pool;
    expect(pool).toEqual({ lotCount: 4, currentBalance: '40400000.00', residualNow: '78540000.00', pvContracted: '62565479.76' });
    expect(residualPath).toHaveLength(4);
  });
});

describe('worked example: step 4, the K06 path', () => {
  it('has reportingDate and the 31 Decembers before the latest maturity', () => {
    expect(pathDates('2026-10-31', '2029-10-31')).toEqual(['2026-10-31', '2026-12-31', '2027-12-31', '2028-12-31']);
  });

  it.each([
    ['2026-12-31', ['26200000.0000', '17920000.0000', '28000000.0000', '2833333.3333'], ['18886861.3139', '5398026.3158', '11332116.7883', '1795041.3223']],
    ['2027-12-31', ['16600000.0000', '11680000.0000', '18246666.6667'], ['12226277.3723', '1796052.6316', '7335766.4234']],
    ['2028-12-31', ['11400000.0000', '12226666.6667'], ['5547445.2555', '3328467.1533']],
  ])('on %s: residual and straight-line balance per lot still outstanding', (date, residuals, balances) => {
    const live = [L1, L2, L3, L4].filter((l) => l.maturityDate > date);
    expect(live.map((l) => money(residualCents(l, date, curve)))).toEqual(residuals);
    expect(live.map((l) => money(balanceCentsAt(l, date)))).toEqual(balances);
  });

  it('sums each point and finds the worst at 2026-10-31', () => {
    const path = sections().acc.result().path.map((p) => [p.date, money(p.balanceCents), money(p.residualCents), p.balanceCents.div(p.residualCents).toFixed(6)]);
    expect(path).toEqual([
      ['2026-10-31', '40400000.0000', '78540000.0000', '0.514388'],
      ['2026-12-31', '37412045.7403', '74953333.3333', '0.499138'],
      ['2027-12-31', '21358096.4272', '46526666.6667', '0.459051'],
      ['2028-12-31', '8875912.4088', '23626666.6667', '0.375673'],
    ]);
  });
});

describe('worked example: step 4, the path in the report', () => {
  // By hand, as the standard writes step 4: currentBalance x days left / days to maturity, and
  // lot cost x curve(age) with the curve's exact fractions.
  const D = Decimal.clone({ precision: 60 });
  const straight = (balance: number, left: number, total: number) => new D(balance).times(left).div(total);
  const sum = (xs: Decimal[]) => xs.reduce((a, b) => a.plus(b), new D(0));
  const points: Array<[string, Decimal, Decimal]> = [
    ['2026-10-31', new D(40_400_000), new D(78_540_000)],
    ['2026-12-31',
      sum([straight(20_000_000, 1035, 1096), straight(6_000_000, 547, 608), straight(12_000_000, 1035, 1096), straight(2_400_000, 181, 242)]),
      sum([new D(30_000_000).times(131).div(150), new D(24_000_000).times(56).div(75), new D(28_000_000), new D(10_000_000).times(17).div(60)])],
    ['2027-12-31',
      sum([straight(20_000_000, 670, 1096), straight(6_000_000, 182, 608), straight(12_000_000, 670, 1096)]),
      sum([new D(30_000_000).times(83).div(150), new D(24_000_000).times(73).div(150), new D(28_000_000).times(391).div(600)])],
    ['2028-12-31',
      sum([straight(20_000_000, 304, 1096), straight(12_000_000, 304, 1096)]),
      sum([new D(30_000_000).times('0.38'), new D(28_000_000).times(131).div(300)])],
  ];

  it('writes each date with its balance, residual and LTV, the worst equal to K06', () => {
    const expected = points.map(([date, balance, residual]) => ({
      date, balance: balance.toFixed(2, Decimal.ROUND_HALF_EVEN), residual: residual.toFixed(2, Decimal.ROUND_HALF_EVEN), ltv: balance.div(residual).toFixed(6, Decimal.ROUND_HALF_EVEN),
    }));
    expect(expected.map((p) => [p.balance, p.residual, p.ltv])).toEqual([
      ['40400000.00', '78540000.00', '0.514388'], ['37412045.74', '74953333.33', '0.499138'],
      ['21358096.43', '46526666.67', '0.459051'], ['8875912.41', '23626666.67', '0.375673'],
    ]);
    const s = sections().s;
    expect(s.pool.residualPath).toEqual(expected);
    const k06 = s.concentrations.find((t) => t.id === 'K06')!;
    const worst = s.pool.residualPath.find((p) => p.date === k06.worstDate);
    expect(worst?.ltv).toBe(k06.actual);
  });
});

describe('worked example: step 5, pool tests', () => {
  it('gives K01-K07 as the standard writes them', () => {
    const rows = sections().s.concentrations.map((t) => [t.id, t.actual, t.pass, t.worstDate]);
    expect(rows).toEqual([
      ['K01', '0.495050', false, undefined],
      ['K02', '0.555556', false, undefined],
      ['K03', '0.495050', true, undefined],
      ['K04', '0.643564', false, undefined],
      ['K05', '1.548650', true, undefined],
      ['K06', '0.514388', true, '2026-10-31'],
      ['K07', '0.514388', true, undefined],
    ]);
  });

  it('names the contributors: customer groups by parent, revenue at counted ratings, models, sites, lots', () => {
    const byId = Object.fromEntries(sections().s.concentrations.map((t) => [t.id, t.top]));
    expect(byId.K01).toEqual([{ key: 'Microsoft', share: '0.495050' }, { key: 'OpenAI', share: '0.297030' }, { key: 'CoreWeave', share: '0.148515' }, { key: 'Oracle', share: '0.059406' }]);
    expect(byId.K02).toEqual([{ key: 'OpenAI', share: '0.333333' }, { key: 'CoreWeave', share: '0.222222' }]);
    expect(byId.K04!.map((t) => t.key)).toEqual(['ABI-01', 'DFW-01', 'ASH-01']);
    expect(byId.K07!.map((t) => t.key)).toEqual(['L1', 'L3', 'L2', 'L4']);
  });

  it('writes headroom in the limit unit', () => {
    const byId = Object.fromEntries(sections().s.concentrations.map((t) => [t.id, t]));
    expect(byId.K01).toMatchObject({ limit: '0.350000', limitType: 'max', headroom: '-0.145050' });
    expect(byId.K05).toMatchObject({ limit: '1.100000', limitType: 'min', headroom: '0.448650' });
  });

  it('scores the pool with the published factors', () => {
    const score = sections().s.score;
    expect(score.points).toBe('74.284700');
    expect(score.band).toBe('AA range');
    expect(score.factors.map((f) => [f.name, f.value, f.points])).toEqual([
      ['residualLeverage', '0.514388', '88.561243'],
      ['contractCoverage', '1.548650', '100.000000'],
      ['investmentGradeRevenue', '0.444444', '44.444444'],
      ['customerDiversity', '0.495050', '25.990099'],
      ['modelConcentration', '0.495050', '72.491749'],
      ['hardwareAge', '4.019802', '93.300330'],
    ]);
  });
});
