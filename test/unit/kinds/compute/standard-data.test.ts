// The compute kind's published data: the lot schema, curve, criteria and score model agree with
// their schemas and with the standard's pins.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  ComputePoolAccumulator, COMPUTE_SCORE_MODEL, buildComputeSections, describeComputeTest, loadComputeCriteria, loadResidualCurve, residualShare,
} from '../../../../functions/core/kinds/compute/index.ts';
import { createAjv } from '../../../../functions/core/schema/ajv.ts';
import { headerKey } from '../../../../functions/core/mapping/header-key.ts';
import { renderComputeStandardDoc } from '../../../../scripts/compute-standard-doc.ts';
import { WORKED_EXAMPLE } from './worked-example.ts';

const root = new URL('../../../../', import.meta.url).pathname;
const json = async (path: string) => JSON.parse(await readFile(`${root}/${path}`, 'utf8'));

describe('compute tape schema', () => {
  it('requires the fields the standard marks R, inServiceDate when energised', async () => {
    const schema = await json('schemas/dmbs-compute-tape.v1.schema.json');
    expect(schema.required).toEqual([
      'lotId', 'reportingDate', 'sponsor', 'gpuModel', 'unitCount', 'unitCost', 'acquisitionDate', 'energised', 'siteId', 'country', 'region',
      'lienPosition', 'customer', 'customerRating', 'contractType', 'monthlyContractedRevenue', 'contractStartDate', 'contractExpiryDate',
      'currentBalance', 'originalBalance', 'interestRate', 'maturityDate', 'paymentStatus', 'currency',
    ]);
    const validate = createAjv({ allErrors: true }).compile(schema);
    const base = Object.fromEntries(schema.required.map((f: string) => [f, sample(schema.properties[f])]));
    expect(validate({ ...base, energised: false }), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...base, energised: true })).toBe(false);
    expect(validate({ ...base, energised: true, inServiceDate: '2026-01-31' })).toBe(true);
  });

  it('gives every field a kind, group, criticality and aliases no two fields share (as headers match)', async () => {
    const schema = await json('schemas/dmbs-compute-tape.v1.schema.json');
    const seen = new Map<string, string>();
    for (const [name, p] of Object.entries<Record<string, unknown>>(schema.properties)) {
      expect(p['x-kind'], name).toBeTypeOf('string');
      expect(p['x-criticality'], name).toBeTypeOf('number');
      expect(p['x-nd-allowed'], name).toBe(!schema.required.includes(name));
      for (const alias of [name, ...(p['x-aliases'] as string[])]) {
        const key = headerKey(alias);
        expect(seen.get(key) ?? name, `${alias} of ${name}`).toBe(name);
        seen.set(key, name);
      }
    }
  });

  it('lists the pinned models and contract types', async () => {
    const schema = await json('schemas/dmbs-compute-tape.v1.schema.json');
    expect(schema.properties.gpuModel.enum).toEqual(['H100', 'H200', 'B200', 'GB200', 'MI300X', 'MI325X', 'OTHER']);
    expect(schema.properties.contractType.enum).toEqual(['TAKE_OR_PAY', 'RESERVED', 'ON_DEMAND']);
    expect(schema.properties.lienPosition.enum).toEqual(['FIRST', 'SECOND']);
  });
});

function sample(p: Record<string, any>): unknown {
  if (p.enum) return p.enum[0];
  if (p.format === 'date') return '2026-10-31';
  if (p.type === 'boolean') return true;
  if (p.type === 'integer') return 1;
  if (p.type === 'number') return p.maximum !== undefined && p.maximum < 1 ? p.maximum : 1;
  if (p.pattern === '^[A-Z]{2}$') return 'US';
  if (p.pattern === '^[A-Z]{3}$') return 'USD';
  if (p.pattern?.startsWith('^[A-Z]{2}-')) return 'US-TX';
  return 'x';
}

describe('compute criteria', () => {
  it('has the pinned defaults', () => {
    const c = loadComputeCriteria();
    expect(c.discountRate).toBe(0.1);
    expect(c.eligibility.G04.countries).toEqual(['US', 'CA', 'GB', 'IE', 'NL', 'DE', 'FR', 'SE', 'NO', 'FI', 'DK', 'JP', 'SG', 'AU']);
    expect(Object.fromEntries(Object.entries(c.concentrations).map(([id, t]) => [id, (t as { max?: number; min?: number }).max ?? (t as { min?: number }).min])))
      .toEqual({ K01: 0.35, K02: 0.4, K03: 0.6, K04: 0.3, K05: 1.1, K06: 0.85, K07: 0.7 });
    expect(describeComputeTest('G05', c)).toBe('hardware age <= 36 months (whole months from inServiceDate to reportingDate; 0 before service)');
  });

  it('merges a deal file over the defaults and names every bad value', () => {
    expect(loadComputeCriteria({ discountRate: 0.08 }).discountRate).toBe(0.08);
    expect(() => loadComputeCriteria({ concentrations: { K01: { max: 2 } }, eligibility: { G10: {} } }, 'deal.json'))
      .toThrow('deal.json: /eligibility/G10: unknown key; /concentrations/K01/max: must be <= 1');
  });
});

describe('compute residual curve', () => {
  it('replaces the default for a model that has its own curve', () => {
    const curve = loadResidualCurve({ byModel: { H100: [[0, 1], [12, 0.5]] } });
    expect(residualShare(curve, 'H100', 6).toString()).toBe('0.75');
    expect(residualShare(curve, 'B200', 6).toString()).toBe('0.81');
    // flat after the last point
    expect(residualShare(curve, 'H100', 99).toString()).toBe('0.5');
    expect(residualShare(curve, 'B200', 200).toString()).toBe('0.05');
  });

  it('refuses curves that do not start at 0 months or do not increase', () => {
    expect(() => loadResidualCurve({ default: [[1, 1]] }, 'c.json')).toThrow(/c\.json: \/default\/0\/0: the first point must be at 0 months/);
    expect(() => loadResidualCurve({ byModel: { B200: [[0, 1], [12, 0.6], [12, 0.5]] } }, 'c.json')).toThrow(/\/byModel\/B200\/2\/0: months must increase/);
    expect(() => loadResidualCurve({ default: [[0, 1.5]] }, 'c.json')).toThrow(expect.objectContaining({ code: 'RESIDUAL_CURVE_INVALID' }));
  });
});

describe('compute score model', () => {
  it('satisfies its schema, its weights sum to 1 and it bands as the loan tape', async () => {
    const validate = createAjv({ allErrors: true }).compile(await json('schemas/compute-score-model.schema.json'));
    expect(validate(COMPUTE_SCORE_MODEL), JSON.stringify(validate.errors)).toBe(true);
    expect(COMPUTE_SCORE_MODEL.factors.reduce((s, f) => s + f.weight * 100, 0)).toBeCloseTo(100, 9);
    const loan = await json('schemas/score-model.json');
    expect(COMPUTE_SCORE_MODEL.bands).toEqual(loan.bands);
    expect(COMPUTE_SCORE_MODEL.emptyPoolBand).toBe(loan.emptyPoolBand);
  });
});

describe('docs/compute-standard.md', () => {
  it('is current (npm run gen:docs)', async () => {
    expect(await readFile(`${root}/docs/compute-standard.md`, 'utf8')).toBe(await renderComputeStandardDoc(root));
  });
});

describe('compute report sections', () => {
  it('satisfy their schema: the worked example, an empty pool and a null K06', async () => {
    const validate = createAjv({ allErrors: true }).compile(await json('schemas/compute-report-sections.schema.json'));
    const settings = { criteria: loadComputeCriteria(), curve: loadResidualCurve() };
    const zero = { ...settings, curve: loadResidualCurve({ default: [[0, 0]] }) };
    for (const [s, lots] of [[settings, WORKED_EXAMPLE], [settings, []], [zero, WORKED_EXAMPLE]] as const) {
      const acc = new ComputePoolAccumulator(s);
      lots.forEach((l, i) => acc.add(l, i + 2));
      const sections = buildComputeSections(acc);
      expect(validate(sections), JSON.stringify(validate.errors)).toBe(true);
    }
  });
});
