import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../functions/core/errors.ts';
import { describeTest, loadCriteria } from '../../../functions/core/evaluation/criteria.ts';
import { createAjv } from '../../../functions/core/schema/ajv.ts';

const root = new URL('../../..', import.meta.url).pathname;
const json = async (path: string) => JSON.parse(await readFile(`${root}/${path}`, 'utf8'));

function problem(doc: unknown, source?: string): string {
  try {
    loadCriteria(doc, source);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as ConfigError).code).toBe('CRITERIA_INVALID');
    return (e as Error).message;
  }
  throw new Error('expected CRITERIA_INVALID');
}

describe('criteria schema and defaults', () => {
  it('compiles under strict JSON Schema 2020-12 and accepts the defaults', async () => {
    const validate = createAjv().compile(await json('schemas/dmbs-criteria.v1.schema.json'));
    expect(validate(await json('schemas/default-criteria.json')), JSON.stringify(validate.errors)).toBe(true);
  });

  it('defaults name every criterion and test with its switch and every limit the schema defines', async () => {
    const schema = await json('schemas/dmbs-criteria.v1.schema.json');
    const defaults = await json('schemas/default-criteria.json');
    for (const section of ['eligibility', 'concentrations'] as const) {
      const tests = schema.properties[section].properties;
      expect(Object.keys(defaults[section])).toEqual(Object.keys(tests));
      for (const [id, spec] of Object.entries<{ properties: Record<string, unknown> }>(tests)) {
        expect(Object.keys(defaults[section][id]).sort(), id).toEqual(Object.keys(spec.properties).sort());
      }
    }
    expect(Object.keys(schema.properties.eligibility.properties)).toEqual(['E01', 'E02', 'E03', 'E04', 'E05', 'E06', 'E07', 'E08', 'E09', 'E10']);
    expect(Object.keys(schema.properties.concentrations.properties)).toEqual(['C01', 'C02', 'C03', 'C04', 'C05', 'C06', 'C07', 'C08', 'C09', 'C10', 'P01', 'P02', 'P03']);
  });

  it('carries the default limits of the DMBS standard', () => {
    const c = loadCriteria();
    expect(c.dealCurrency).toBe('USD');
    expect(c.eligibility.E04).toMatchObject({ maxMonthsToCompletion: 24, minLeasedShare: 0.75 });
    expect(c.eligibility.E05.minDscr).toBe(1.2);
    expect(c.eligibility.E06.maxLtv).toBe(0.8);
    expect(c.eligibility.E07.minRemainingLeaseTermMonths).toBe(36);
    expect(c.eligibility.E09.excludedRatings).toEqual(['D', 'C', 'CC']);
    const limits = Object.fromEntries(Object.entries(c.concentrations).map(([id, t]) => [id, 'max' in t ? `<= ${t.max}` : `>= ${t.min}`]));
    expect(limits).toEqual({
      C01: '<= 0.3', C02: '<= 0.6', C03: '<= 0.25', C04: '<= 0.15', C05: '<= 0.35', C06: '<= 0.4', C07: '<= 0.2', C08: '<= 0.2',
      C09: '>= 10', C10: '<= 0.25', P01: '>= 1.4', P02: '<= 0.7', P03: '>= 84',
    });
    expect(c.concentrations.C10.enabled).toBe(false);
    expect(c.concentrations.C08.windowMonths).toBe(60);
    expect(c.concentrations.C03.ratings).toEqual(['BB+', 'BB', 'BB-', 'B+', 'B', 'B-', 'CCC+', 'CCC', 'CCC-', 'CC', 'C', 'D', 'NR']);
  });

  it('words each test from the schema with the limits filled in', () => {
    const c = loadCriteria({ eligibility: { E05: { minDscr: 1.25 } } });
    expect(describeTest('E05', c)).toBe('dscr >= 1.25');
    expect(describeTest('E10', c)).toBe('currency = the deal currency (USD)');
    expect(describeTest('E09', c)).toBe('largestTenantRating is not one of D, C, CC');
    expect(describeTest('C08', c)).toBe('share with leaseExpiryDate <= reportingDate + 60 months (lease rollover)');
  });
});

describe('loadCriteria', () => {
  it('returns the defaults without a deal document', () => {
    expect(loadCriteria()).toBe(loadCriteria(undefined));
    expect(Object.isFrozen(loadCriteria().concentrations.C01)).toBe(true);
  });

  it('overrides only what the deal names; objects merge, arrays replace', () => {
    const c = loadCriteria({
      dealCurrency: 'EUR',
      eligibility: { E05: { minDscr: 1.3 }, E09: { excludedRatings: ['D'] }, E10: { enabled: false } },
      concentrations: { C01: { max: 0.25 } },
    });
    expect(c.dealCurrency).toBe('EUR');
    expect(c.eligibility.E05).toEqual({ enabled: true, minDscr: 1.3 });
    expect(c.eligibility.E06).toEqual({ enabled: true, maxLtv: 0.8 });
    expect(c.eligibility.E09.excludedRatings).toEqual(['D']);
    expect(c.eligibility.E10.enabled).toBe(false);
    expect(c.concentrations.C01).toEqual({ enabled: true, max: 0.25 });
    expect(c.concentrations.C02).toEqual({ enabled: true, max: 0.6 });
    expect(loadCriteria().eligibility.E05.minDscr).toBe(1.2); // defaults untouched
  });

  it('accepts an empty document and editor keys', () => {
    expect(loadCriteria({})).toEqual(loadCriteria());
    expect(() => loadCriteria({ $schema: './dmbs-criteria.v1.schema.json', schemaVersion: 'dmbs-criteria/1', description: 'Deal 7' })).not.toThrow();
  });

  it('names the file and the path of a value of the wrong type', () => {
    expect(problem({ eligibility: { E05: { minDscr: '1.2' } } }, 'deal-7.json')).toBe('deal-7.json: /eligibility/E05/minDscr: must be number');
  });

  it('names the path of a limit out of range', () => {
    expect(problem({ concentrations: { C01: { max: 1.5 } } }, 'deal.json')).toBe('deal.json: /concentrations/C01/max: must be <= 1');
  });

  it('names an unknown key and the keys allowed there', () => {
    expect(problem({ concentrations: { C09: { max: 10 } } }, 'deal.json')).toBe('deal.json: /concentrations/C09/max: unknown key; allowed: enabled, min');
    expect(problem({ concentrations: { C11: {} } })).toMatch(/^criteria: \/concentrations\/C11: unknown key; allowed: C01, C02/);
  });

  it('lists the allowed codes of an enum', () => {
    expect(problem({ eligibility: { E09: { excludedRatings: ['D', 'Default'] } } })).toBe(
      'criteria: /eligibility/E09/excludedRatings/1: must be one of AAA, AA+, AA, AA-, A+, A, A-, BBB+, BBB, BBB-, BB+, BB, BB-, B+, B, B-, CCC+, CCC, CCC-, CC, C, D, NR');
  });

  it('reports every bad value at once', () => {
    expect(problem({ dealCurrency: 'usd', eligibility: { E07: { minRemainingLeaseTermMonths: 36.5 } } })).toBe(
      'criteria: /dealCurrency: must match pattern "^[A-Z]{3}$"; /eligibility/E07/minRemainingLeaseTermMonths: must be integer');
  });

  it('rejects a document that is not an object', () => {
    expect(problem([], 'deal.json')).toBe('deal.json: /: must be object');
    expect(problem(null)).toBe('criteria: /: must be object');
    expect(problem({ eligibility: true })).toBe('criteria: /eligibility: must be object');
  });

  it('rejects a switch that is not a boolean', () => {
    expect(problem({ eligibility: { E01: { enabled: 'no' } } })).toBe('criteria: /eligibility/E01/enabled: must be boolean');
  });
});
