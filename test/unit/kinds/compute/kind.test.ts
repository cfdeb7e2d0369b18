// The compute kind as one value: header detection and the path from documents to sections.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { COMPUTE_KIND } from '../../../../functions/core/kinds/compute/index.ts';
import { WORKED_EXAMPLE } from './worked-example.ts';

describe('COMPUTE_KIND', () => {
  it('recognises a header that maps lotId and gpuModel and no loanId', () => {
    expect(COMPUTE_KIND.detect(new Set(['lotId', 'gpuModel', 'currentBalance']))).toBe(true);
    expect(COMPUTE_KIND.detect(new Set(['lotId', 'currentBalance']))).toBe(false);
    expect(COMPUTE_KIND.detect(new Set(['lotId', 'gpuModel', 'loanId']))).toBe(false);
    expect(COMPUTE_KIND.detect(new Set(['loanId', 'currentBalance']))).toBe(false);
  });

  it('goes from deal documents to sections, through a serialised accumulator', () => {
    const settings = COMPUTE_KIND.loadSettings({ criteria: { concentrations: { K04: { max: 0.65 } } } });
    const acc = COMPUTE_KIND.createAccumulator(settings);
    WORKED_EXAMPLE.forEach((lot, i) => acc.add(lot, i + 2));
    const again = COMPUTE_KIND.accumulatorFromJSON(JSON.parse(JSON.stringify(acc)), settings);
    const k04 = COMPUTE_KIND.buildSections(again, '100.000000').concentrations.find((t) => t.id === 'K04');
    expect(k04).toMatchObject({ actual: '0.643564', limit: '0.650000', pass: true });
  });

  it('refuses a bad deal curve with its code', () => {
    expect(() => COMPUTE_KIND.loadSettings({ curve: { default: [[0, 2]] }, curveSource: 'deal-curve.json' }))
      .toThrow(expect.objectContaining({ code: 'RESIDUAL_CURVE_INVALID', message: expect.stringContaining('deal-curve.json') }));
  });

  it('reads examples/compute-criteria.json over the defaults', async () => {
    const doc = JSON.parse(await readFile(new URL('../../../../examples/compute-criteria.json', import.meta.url), 'utf8'));
    const { criteria } = COMPUTE_KIND.loadSettings({ criteria: doc, criteriaSource: 'examples/compute-criteria.json' });
    expect(criteria.discountRate).toBe(0.09);
    expect(criteria.eligibility.G04.countries).toEqual(['US', 'CA']);
    expect(criteria.eligibility.G05.maxAgeMonths).toBe(30);
    expect(criteria.eligibility.G06.monthsBeforeMaturity).toBe(12);
  });
});
