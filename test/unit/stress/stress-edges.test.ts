import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../functions/core/errors.ts';
import { createAjv } from '../../../functions/core/schema/ajv.ts';
import stressSchema from '../../../schemas/stress-model.schema.json' with { type: 'json' };
import defaultModel from '../../../schemas/stress-model.json' with { type: 'json' };
import { StressAggregate, loadStressModel, loanCapRate, loanHaircut, loanStress, loanStressFields, type StressLoan } from '../../../functions/core/stress/index.ts';

const base: StressLoan = {
  market: 'Northern Virginia', largestTenantRating: 'AAA', earlyTerminationRight: false, constructionStatus: 'OPERATIONAL',
  currentBalance: 100_000_000, underwrittenNcf: 12_000_000, appraisedValue: 160_000_000, annualDebtService: 8_000_000,
} as StressLoan;
const loan = (over: Partial<StressLoan>): StressLoan => ({ ...base, ...over }) as StressLoan;
const sectionOf = (loans: StressLoan[], doc?: unknown) => {
  const agg = new StressAggregate(loadStressModel(doc));
  for (const l of loans) agg.add(l);
  return agg.section();
};

describe('stress lens: null cases and edges', () => {
  it('the published defaults satisfy their schema (loadStressModel trusts them without checking)', () => {
    const validate = createAjv().compile(stressSchema);
    expect(validate(defaultModel), JSON.stringify(validate.errors)).toBe(true);
  });

  it('an empty pool: every pool figure null, levels listed with null balance, tranches with null LTV and not rated', () => {
    const s = sectionOf([], { tranches: [{ name: 'A', share: 0.7 }, { name: 'B', share: 0.3 }] });
    expect(Object.values(s.pool).every((v) => v === null)).toBe(true);
    expect(s.creditEnhancement).toHaveLength(7);
    expect(s.creditEnhancement.every((l) => l.maxBalance === null && l.creditEnhancement === null)).toBe(true);
    expect(s.tranches).toEqual([
      { name: 'A', share: '0.700000', attachment: '0.300000', detachment: '1.000000', cumulativeStressedLtv: null, impliedRating: 'not rated' },
      { name: 'B', share: '0.300000', attachment: '0.000000', detachment: '0.300000', cumulativeStressedLtv: null, impliedRating: 'not rated' },
    ]);
  });

  it('zero stressed value: no stressed LTV, maxBalance 0.00 and credit enhancement 1 at every level', () => {
    const s = sectionOf([loan({ underwrittenNcf: 0 })], { tranches: [{ name: 'A', share: 1 }] });
    expect(s.pool).toMatchObject({ stressedNcf: '0.00', stressedValue: '0.00', stressedLtv: null, ncfHaircut: null, valueHaircutToAppraisal: '1.000000' });
    expect(s.creditEnhancement.every((l) => l.maxBalance === '0.00' && l.creditEnhancement === '1.000000')).toBe(true);
    expect(s.tranches[0]).toMatchObject({ cumulativeStressedLtv: null, impliedRating: 'not rated' });
  });

  it('a negative NCF is taken as it is, and adds nothing to stressed value', () => {
    const agg = new StressAggregate(loadStressModel());
    expect(loanStress(loan({ underwrittenNcf: -1_000_000 }), agg.model)).toEqual({ stressedNcf: '-1000000.00', stressedValue: '0.00', stressedLtv: null, stressedDscr: '-0.125000' });
    agg.add(loan({ underwrittenNcf: -1_000_000 }));
    agg.add(base);
    expect(agg.section().pool).toMatchObject({ stressedNcf: '9200000.00', stressedValue: '120000000.00' });
  });

  it('an ineligible loan has null stressed figures in the loan results', () => {
    expect(loanStressFields(base, loadStressModel(), false)).toEqual({ stressedNcf: null, stressedValue: null, stressedLtv: null, stressedDscr: null });
    expect(loanStressFields(base, loadStressModel(), true).stressedNcf).toBe('10200000.00');
  });

  it('a market add-on raises the rate of its market only, in the pool sums too', () => {
    const model = loadStressModel({ capRate: { marketAdd: { ' northern VIRGINIA': 0.015 } } });
    const agg = new StressAggregate(model);
    agg.add(base);
    agg.add(loan({ market: 'Dallas' }));
    // 10.2M / 0.1 + 10.2M / 0.085
    expect(agg.section().pool.stressedValue).toBe('222000000.00');
    expect(StressAggregate.fromJSON(JSON.parse(JSON.stringify(agg.toJSON())), model).section()).toEqual(agg.section());
  });

  it('no debt service: stressed DSCR is null, per loan and for the pool', () => {
    const free = loan({ annualDebtService: 0 });
    expect(loanStress(free, loadStressModel()).stressedDscr).toBeNull();
    expect(sectionOf([free]).pool).toMatchObject({ stressedDscr: null, stressedDebtYield: '0.102000' });
  });

  it('a pool whose NCF sums to 0 has no NCF haircut, though its stressed value is not 0', () => {
    const s = sectionOf([loan({ underwrittenNcf: 1_000_000 }), loan({ underwrittenNcf: -1_000_000 })]);
    // 850,000 - 1,000,000 of NCF; value from the positive loan only: 850,000 / 0.085
    expect(s.pool).toMatchObject({ ncfHaircut: null, stressedNcf: '-150000.00', stressedValue: '10000000.00', stressedLtv: '20.000000' });
  });

  it('no tranches: an empty table', () => {
    expect(sectionOf([base]).tranches).toEqual([]);
  });

  it('the haircut stops at max', () => {
    const model = loadStressModel({ ncfHaircut: { addIfNotOperational: 0.5 } });
    expect(loanHaircut(loan({ constructionStatus: 'PLANNED', largestTenantRating: 'B', earlyTerminationRight: true }), model).toString()).toBe('0.6');
  });

  it('a market add-on applies to its market however the tape writes the name', () => {
    const model = loadStressModel({ capRate: { marketAdd: { 'Northern  Virginia ': 0.01 } } });
    expect(loanCapRate(loan({ market: 'northern virginia' }), model).toString()).toBe('0.095');
    expect(loanCapRate(loan({ market: 'Dallas' }), model).toString()).toBe('0.085');
  });

  it('rejects add-on names that are one market once compared', () => {
    expect(() => loadStressModel({ capRate: { marketAdd: { Dallas: 0.01, ' dallas': 0.02 } } }, 'stress/i/d.json'))
      .toThrowError(/stress\/i\/d\.json: \/capRate\/marketAdd\/ dallas: 'Dallas' and ' dallas' are the same market/);
  });

  it('rejects tranche shares that do not sum to exactly 1, naming the path', () => {
    expect(() => loadStressModel({ tranches: [{ name: 'A', share: 0.6 }, { name: 'B', share: 0.3 }] }, 'm.json'))
      .toThrowError(/m\.json: \/tranches: the shares sum to 0\.9, not 1/);
    // 0.58 + 0.22 + 0.12 + 0.08 is exactly 1 as written, though not in binary floating point.
    expect(() => loadStressModel({ tranches: [0.58, 0.22, 0.12, 0.08].map((share, i) => ({ name: `T${i}`, share })) })).not.toThrow();
  });

  it('rejects a bad file naming the JSON path of each bad value, as a ConfigError', () => {
    const bad = () => loadStressModel({ ncfHaircut: { base: 1.5 }, capRate: { base: 0 }, colour: 'red' }, 'model.json');
    expect(bad).toThrowError(ConfigError);
    expect(bad).toThrowError(/model\.json: .*\/ncfHaircut\/base: must be <= 1/);
    expect(bad).toThrowError(/\/capRate\/base: must be > 0/);
    expect(bad).toThrowError(/\/colour: unknown key/);
    expect(() => loadStressModel({ ratingLevels: [{ rating: 'AAA', maxStressedLtv: 0.6 }, { rating: 'AAA', maxStressedLtv: 0.7 }] }))
      .toThrowError(/\/ratingLevels\/1\/rating: 'AAA' is listed twice/);
  });

  it('a deal file may name its own model; arrays replace, objects merge', () => {
    const s = sectionOf([base], { id: 'deal-7-stress', version: '2', ratingLevels: [{ rating: 'AAA', maxStressedLtv: 0.5 }] });
    expect(s.model).toEqual({ id: 'deal-7-stress', version: '2' });
    expect(s.creditEnhancement.map((l) => l.rating)).toEqual(['AAA']);
    expect(sectionOf([base], { ncfHaircut: { base: 0.1 } }).pool.ncfHaircut).toBe('0.100000');
  });
});
