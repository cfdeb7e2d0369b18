import { describe, expect, it } from 'vitest';
import { StressAggregate, loadStressModel, loanHaircut, loanStress, type StressLoan } from '../../../functions/core/stress/index.ts';

// The worked example of docs/stress.md: five eligible loans, the default model plus a Dallas
// cap-rate add-on and three tranches.
const loan = (market: string, largestTenantRating: string, earlyTerminationRight: StressLoan['earlyTerminationRight'], constructionStatus: string,
  currentBalance: number, underwrittenNcf: number, appraisedValue: number, annualDebtService: number): StressLoan =>
  ({ market, largestTenantRating, earlyTerminationRight, constructionStatus, currentBalance, underwrittenNcf, appraisedValue, annualDebtService }) as StressLoan;

export const WORKED_LOANS: readonly StressLoan[] = [
  loan('Northern Virginia', 'AAA', false, 'OPERATIONAL', 100_000_000, 12_000_000, 160_000_000, 8_000_000),
  loan('Dallas', 'NR', false, 'OPERATIONAL', 80_000_000, 9_000_000, 125_000_000, 6_000_000),
  loan('Northern Virginia', 'BBB-', true, 'OPERATIONAL', 60_000_000, 6_800_000, 100_000_000, 4_000_000),
  loan('Phoenix', 'BB+', true, 'UNDER_CONSTRUCTION', 40_000_000, 5_100_000, 80_000_000, 2_550_000),
  loan('Dallas', 'A', 'ND1' as unknown as boolean, 'COMMISSIONING', 20_000_000, 2_550_000, 32_000_000, 1_700_000),
];

export const WORKED_MODEL = {
  capRate: { marketAdd: { Dallas: 0.015 } },
  tranches: [{ name: 'Class A', share: 0.6 }, { name: 'Class B', share: 0.25 }, { name: 'Class C', share: 0.15 }],
};

export const WORKED_SECTION = {
  model: { id: 'dmbs-stress-default', version: '1.1' },
  pool: {
    underwrittenNcf: '35450000.00', appraisedValue: '497000000.00',
    stressedNcf: '28450000.00', stressedValue: '318400000.00', ncfHaircut: '0.197461', valueHaircutToAppraisal: '0.359356',
    stressedLtv: '0.942211', stressedDscr: '1.278652', stressedDebtYield: '0.094833',
  },
  creditEnhancement: [
    { rating: 'AAA', maxStressedLtv: '0.630000', maxBalance: '200592000.00', creditEnhancement: '0.331360' },
    { rating: 'AA', maxStressedLtv: '0.690000', maxBalance: '219696000.00', creditEnhancement: '0.267680' },
    { rating: 'A', maxStressedLtv: '0.750000', maxBalance: '238800000.00', creditEnhancement: '0.204000' },
    { rating: 'BBB', maxStressedLtv: '0.805000', maxBalance: '256312000.00', creditEnhancement: '0.145627' },
    { rating: 'BBB-', maxStressedLtv: '0.835000', maxBalance: '265864000.00', creditEnhancement: '0.113787' },
    { rating: 'BB', maxStressedLtv: '0.920000', maxBalance: '292928000.00', creditEnhancement: '0.023573' },
    { rating: 'B', maxStressedLtv: '1.000000', maxBalance: '300000000.00', creditEnhancement: '0.000000' },
  ],
  tranches: [
    { name: 'Class A', share: '0.600000', attachment: '0.400000', detachment: '1.000000', cumulativeStressedLtv: '0.565327', impliedRating: 'AAA' },
    { name: 'Class B', share: '0.250000', attachment: '0.150000', detachment: '0.400000', cumulativeStressedLtv: '0.800879', impliedRating: 'BBB' },
    { name: 'Class C', share: '0.150000', attachment: '0.000000', detachment: '0.150000', cumulativeStressedLtv: '0.942211', impliedRating: 'B' },
  ],
};

describe('stress lens: the worked example', () => {
  const model = loadStressModel(WORKED_MODEL, 'model.json');

  it('step 1: the haircut of each loan', () => {
    expect(WORKED_LOANS.map((l) => loanHaircut(l, model).toString())).toEqual(['0.15', '0.2', '0.2', '0.3', '0.2']);
  });

  it('step 2: each loan\'s stressed figures', () => {
    expect(WORKED_LOANS.map((l) => loanStress(l, model))).toEqual([
      { stressedNcf: '10200000.00', stressedValue: '120000000.00', stressedLtv: '0.833333', stressedDscr: '1.275000' },
      { stressedNcf: '7200000.00', stressedValue: '72000000.00', stressedLtv: '1.111111', stressedDscr: '1.200000' },
      { stressedNcf: '5440000.00', stressedValue: '64000000.00', stressedLtv: '0.937500', stressedDscr: '1.360000' },
      { stressedNcf: '3570000.00', stressedValue: '42000000.00', stressedLtv: '0.952381', stressedDscr: '1.400000' },
      { stressedNcf: '2040000.00', stressedValue: '20400000.00', stressedLtv: '0.980392', stressedDscr: '1.200000' },
    ]);
  });

  it('steps 3-5: pool figures, credit enhancement and tranches, exactly as written', () => {
    const agg = new StressAggregate(model);
    for (const l of WORKED_LOANS) agg.add(l);
    expect(agg.section()).toEqual(WORKED_SECTION);
  });

  it('any split of the pool, merged in any order or through JSON, gives the same section', () => {
    for (let cut = 0; cut <= WORKED_LOANS.length; cut++) {
      const a = new StressAggregate(model);
      const b = new StressAggregate(model);
      WORKED_LOANS.forEach((l, i) => (i < cut ? a : b).add(l));
      const viaJson = StressAggregate.fromJSON(JSON.parse(JSON.stringify(b.toJSON())), model);
      expect(viaJson.merge(a).section()).toEqual(WORKED_SECTION);
    }
  });

  it('the sums of one model give the section of any other (what-if): as if accumulated under it', () => {
    const other = loadStressModel({ ncfHaircut: { base: 0.2, addIfNotOperational: 0.1 }, capRate: { base: 0.09, marketAdd: { phoenix: 0.02 } }, tranches: [{ name: 'X', share: 1 }] });
    const agg = new StressAggregate(model);
    const direct = new StressAggregate(other);
    for (const l of WORKED_LOANS) {
      agg.add(l);
      direct.add(l);
    }
    expect(agg.section(other)).toEqual(direct.section());
    expect(agg.section(other)).not.toEqual(agg.section());
    expect(StressAggregate.fromJSON(JSON.parse(JSON.stringify(agg.toJSON())), other).section()).toEqual(direct.section());
  });

  it('a B level of 0.940 leaves Class C not rated', () => {
    const levels = [{ rating: 'AAA', maxStressedLtv: 0.63 }, { rating: 'AA', maxStressedLtv: 0.69 }, { rating: 'A', maxStressedLtv: 0.75 },
      { rating: 'BBB', maxStressedLtv: 0.805 }, { rating: 'BBB-', maxStressedLtv: 0.835 }, { rating: 'BB', maxStressedLtv: 0.92 }, { rating: 'B', maxStressedLtv: 0.94 }];
    const agg = new StressAggregate(loadStressModel({ ...WORKED_MODEL, ratingLevels: levels }));
    for (const l of WORKED_LOANS) agg.add(l);
    expect(agg.section().tranches.map((t) => t.impliedRating)).toEqual(['AAA', 'BBB', 'not rated']);
  });
});
