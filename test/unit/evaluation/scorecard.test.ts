import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { loadCriteria } from '../../../functions/core/evaluation/criteria.ts';
import { Exact } from '../../../functions/core/evaluation/exact.ts';
import { SCORE_MODEL, interpolate } from '../../../functions/core/evaluation/scorecard.ts';
import { FIELD_BY_NAME } from '../../../functions/core/schema/loan-tape-schema.ts';
import { createAjv } from '../../../functions/core/schema/ajv.ts';
import { POOL, sectionsOf } from './concentrations/pool.ts';
import { loan } from './loans.ts';

const root = new URL('../../..', import.meta.url).pathname;

describe('score model (schemas/score-model.json)', () => {
  it('validates against its schema under strict JSON Schema 2020-12', async () => {
    const schema = JSON.parse(await readFile(`${root}/schemas/score-model.schema.json`, 'utf8'));
    const validate = createAjv().compile(schema);
    expect(validate(SCORE_MODEL), JSON.stringify(validate.errors)).toBe(true);
  });

  it('has weights summing to 1, increasing breakpoints, bands from high to 0', () => {
    expect(SCORE_MODEL.factors.reduce((s, f) => s.plus(f.weight), new Exact(0)).toString()).toBe('1');
    for (const f of SCORE_MODEL.factors) {
      for (let i = 1; i < f.breakpoints.length; i++) expect(f.breakpoints[i]!.at, f.name).toBeGreaterThan(f.breakpoints[i - 1]!.at);
    }
    const mins = SCORE_MODEL.bands.map((b) => b.min);
    expect(mins).toEqual([...mins].sort((a, b) => b - a));
    expect(mins.at(-1)).toBe(0);
    expect(SCORE_MODEL.bands[0]).toEqual({ min: 85, band: 'AAA range' });
    expect(SCORE_MODEL.bands.at(-1)?.band).toBe('sub-investment-grade range');
  });

  it('gives every tenant rating of the standard a rating factor', () => {
    const ratings = FIELD_BY_NAME.get('largestTenantRating')!.enumValues!;
    expect(Object.keys(SCORE_MODEL.ratingFactors).sort()).toEqual([...ratings].sort());
    for (const r of SCORE_MODEL.investmentGrade) expect(ratings).toContain(r);
  });

  it('scores each factor of the standard: leverage, coverage, tenant credit, diversity, lease tenor, construction, data quality', () => {
    expect(SCORE_MODEL.factors.map((f) => f.metric)).toEqual([
      'waLtv', 'waDscr', 'investmentGradeShare', 'waRatingFactor', 'effectiveLoanCount', 'largestTenantGroupShare',
      'leaseToLoanTermRatio', 'notOperationalShare', 'dataQualityScore',
    ]);
  });
});

describe('interpolate', () => {
  const bp: [{ at: number; points: number }, { at: number; points: number }, ...{ at: number; points: number }[]] =
    [{ at: 0.6, points: 85 }, { at: 0.7, points: 60 }, { at: 0.8, points: 30 }];
  const at = (x: number) => interpolate(new Exact(x), bp).toString();
  it('is flat outside the breakpoints', () => expect([at(0), at(0.6), at(0.8), at(5)]).toEqual(['85', '85', '30', '30']));
  it('is linear between neighbours', () => expect([at(0.65), at(0.7), at(0.75), at(0.656)]).toEqual(['72.5', '60', '45', '71']));
});

describe('scorePool', () => {
  it('scores the hand-computed pool: 63.504210, A range', () => {
    const score = sectionsOf(POOL).score; // data quality 100.00
    expect(score).toEqual({
      model: 'dmbs-score/1',
      points: '63.504210', // 115603063 / 1820400
      band: 'A range',
      factors: [
        { name: 'leverage', metric: 'waLtv', value: '0.656000', points: '71.000000', weight: '0.200000' },
        { name: 'coverage', metric: 'waDscr', value: '1.500000', points: '68.333333', weight: '0.200000' }, // 60 + 25 · 0.1 / 0.3
        { name: 'tenantInvestmentGrade', metric: 'investmentGradeShare', value: '0.740000', points: '74.000000', weight: '0.080000' },
        // 0.4·1 + 0.3·1 + 0.2·3490 (NR) + 0.06·2220 (B+) + 0.04·360 (BBB) = 846.3; 60 − 25 · 236.3 / 740
        { name: 'tenantRatingFactor', metric: 'waRatingFactor', value: '846.300000', points: '52.016892', weight: '0.100000' },
        { name: 'loanDiversity', metric: 'effectiveLoanCount', value: '3.387534', points: '17.906504', weight: '0.080000' }, // 30 · (1250/369 − 1) / 4
        { name: 'tenantDiversity', metric: 'largestTenantGroupShare', value: '0.700000', points: '8.333333', weight: '0.070000' },
        // 93.04 months of lease / 50 months of loan (2026-10-31 to 2031-01-15)
        { name: 'leaseTenor', metric: 'leaseToLoanTermRatio', value: '1.860800', points: '100.000000', weight: '0.100000' },
        { name: 'constructionExposure', metric: 'notOperationalShare', value: '0.200000', points: '55.000000', weight: '0.100000' },
        { name: 'dataQuality', metric: 'dataQualityScore', value: '100.000000', points: '100.000000', weight: '0.070000' },
      ],
    });
  });

  it('bands a strong, diverse pool AAA and a weak one sub-investment-grade', () => {
    const strong = Array.from({ length: 50 }, (_, i) =>
      loan({ loanId: `S-${i}`, ltv: 0.45, dscr: 2.2, largestTenantParent: `Tenant ${i}`, facilityId: `F-${i}`, maturityDate: '2031-01-15' }));
    expect(sectionsOf(strong).score.band).toBe('AAA range');
    const deal = { eligibility: { E05: { enabled: false }, E06: { enabled: false } } };
    const weak = [loan({ ltv: 0.8, dscr: 1.05, largestTenantRating: 'B-', constructionStatus: 'COMMISSIONING', expectedCompletionDate: '2027-01-31' })];
    expect(sectionsOf(weak, loadCriteria(deal)).score).toMatchObject({ band: 'sub-investment-grade range' });
  });

  it('has no lease tenor value (0 points) when the weighted remaining loan term is not positive', () => {
    const matured = sectionsOf([loan({ maturityDate: '2026-10-31' })], loadCriteria({ eligibility: { E08: { enabled: false } } }));
    expect(matured.score.factors.find((f) => f.name === 'leaseTenor')).toMatchObject({ value: null, points: '0.000000' });
  });
});
