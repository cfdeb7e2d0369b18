// Every pool test exactly on its limit passes with headroom 0; a cent more fails.
import { describe, expect, it } from 'vitest';
import { ComputePoolAccumulator, buildComputeSections, loadComputeCriteria, loadResidualCurve, type EvaluatedLot } from '../../../../functions/core/kinds/compute/index.ts';
import { lot } from './lots.ts';

// Balances 7,000,000 in all: customers A 35 %, B 35 %, C 20 %, D 10 %; H100 60 %, B200 40 %;
// sites 30/30/30/10 %; revenue 100,000 a month, 40 % from C (NR); contracts 77 months, discount
// rate 0, so pv = 7,700,000 = 1.10 × balance; every lot in service today with lot cost = balance / 0.7.
const lots = (extraCents = 0): EvaluatedLot[] => [
  ['L1', 'A', 'H100', 'S1', 2_100_000, 'AA', 12_000],
  ['L2', 'A', 'H100', 'S2', 350_000, 'AA', 12_000],
  ['L3', 'B', 'H100', 'S2', 1_750_000, 'AA', 12_000],
  ['L4', 'B', 'B200', 'S3', 700_000, 'AA', 12_000],
  ['L5', 'C', 'B200', 'S3', 1_400_000, 'NR', 40_000],
  ['L6', 'D', 'B200', 'S4', 700_000, 'AA', 12_000],
].map(([lotId, customer, gpuModel, siteId, balance, rating, revenue]) => lot({
  lotId: lotId as string, customer: customer as string, customerParent: undefined, gpuModel: gpuModel as EvaluatedLot['gpuModel'],
  siteId: siteId as string, customerRating: rating as EvaluatedLot['customerRating'], monthlyContractedRevenue: revenue as number,
  currentBalance: (balance as number) + (lotId === 'L1' ? extraCents / 100 : 0),
  unitCount: 1000, unitCost: (balance as number) / 700, inServiceDate: '2026-10-31', energised: true,
  contractType: 'TAKE_OR_PAY', contractExpiryDate: '2033-03-31', maturityDate: '2026-12-30',
}));

const settings = {
  criteria: loadComputeCriteria({ discountRate: 0, concentrations: { K06: { max: 0.7 } } }),
  curve: loadResidualCurve(),
};
const sections = (extraCents = 0) => {
  const acc = new ComputePoolAccumulator(settings);
  lots(extraCents).forEach((l, i) => acc.add(l, i + 2));
  return buildComputeSections(acc);
};

describe('compute pool tests on their limits', () => {
  it('passes every test exactly on its limit, headroom 0', () => {
    const s = sections();
    expect(s.pool).toEqual({ lotCount: 6, currentBalance: '7000000.00', residualNow: '10000000.00', pvContracted: '7700000.00',
      // Every lot matures 2026-12-30, before the first 31 December: the path is reportingDate alone.
      residualPath: [{ date: '2026-10-31', balance: '7000000.00', residual: '10000000.00', ltv: '0.700000' }],
    });
    expect(s.concentrations.map((t) => [t.id, t.actual, t.pass, t.headroom])).toEqual([
      ['K01', '0.350000', true, '0.000000'],
      ['K02', '0.400000', true, '0.000000'],
      ['K03', '0.600000', true, '0.000000'],
      ['K04', '0.300000', true, '0.000000'],
      ['K05', '1.100000', true, '0.000000'],
      ['K06', '0.700000', true, '0.000000'],
      ['K07', '0.700000', true, '0.000000'],
    ]);
  });

  it('fails the tests a cent of balance pushes past the limit, though the written figure does not move', () => {
    const s = sections(1);
    const byId = Object.fromEntries(s.concentrations.map((t) => [t.id, t]));
    // a cent more on L1 lifts customer A (K01), H100 (K03), site S1 (K04) and the residual LTV (K06, K07) past their maximum
    for (const id of ['K01', 'K03', 'K04', 'K06', 'K07']) expect(byId[id], id).toMatchObject({ pass: false });
    expect(byId.K01!.actual).toBe('0.350000');
    // K05's minimum: more balance, less coverage
    expect(byId.K05).toMatchObject({ pass: false, actual: '1.100000' });
    // K02 is about revenue: unchanged
    expect(byId.K02).toMatchObject({ pass: true, headroom: '0.000000' });
  });
});
