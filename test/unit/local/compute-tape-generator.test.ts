// The compute-tape generator: deterministic, valid against the schema, issuer headers matched by aliases.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import computeTapeSchema from '../../../schemas/dmbs-compute-tape.v1.schema.json' with { type: 'json' };
import { COMPUTE_FIELDS, ISSUER_HEADERS, computeTapeCsv, generateComputeTape, type ComputeRow } from '../../../functions/local/compute-tape-generator.ts';
import { headerKey } from '../../../functions/core/mapping/header-key.ts';
import validateComputeLot from '../../../functions/core/generated/validators/compute-tape-exact.ts';
import { ComputePoolAccumulator, buildComputeSections, loadComputeCriteria, loadResidualCurve, type EvaluatedLot } from '../../../functions/core/kinds/compute/index.ts';

const properties = computeTapeSchema.properties as Record<string, { 'x-kind': string }>;

/** A generated row typed as validation would type it (ND codes and blanks left out). */
function typed(row: ComputeRow): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, text] of Object.entries(row)) {
    if (text === '' || /^ND[1-5]$/.test(text)) continue;
    const kind = properties[field]!['x-kind'];
    out[field] = kind === 'boolean' ? text === 'true' : ['money', 'decimal', 'fraction', 'integer'].includes(kind) ? Number(text) : text;
  }
  return out;
}

describe('generateComputeTape', () => {
  it('is deterministic by seed', () => {
    expect(generateComputeTape({ rows: 20, seed: 3 })).toEqual(generateComputeTape({ rows: 20, seed: 3 }));
    expect(generateComputeTape({ rows: 20, seed: 3 })).not.toEqual(generateComputeTape({ rows: 20, seed: 4 }));
  });

  it('writes rows that satisfy the schema and its cross-field rules', () => {
    const validate = validateComputeLot; // compiled ahead of time from the schema (npm run gen:validators)
    for (const row of generateComputeTape({ rows: 300, seed: 11 })) {
      const lot = typed(row);
      expect(validate(lot), `${row.lotId}: ${JSON.stringify(validate.errors)}`).toBe(true);
      expect(row.contractExpiryDate > row.contractStartDate).toBe(true);
      expect(Number(row.currentBalance)).toBeLessThanOrEqual(Number(row.originalBalance));
      expect(row.region.startsWith(`${row.country}-`)).toBe(true);
      expect(row.acquisitionDate <= row.inServiceDate && row.acquisitionDate <= row.reportingDate).toBe(true);
      if (row.energised === 'true') expect(row.inServiceDate <= row.reportingDate).toBe(true);
    }
  });

  it('gives a pool that evaluates, with eligible and ineligible lots', () => {
    const acc = new ComputePoolAccumulator({ criteria: loadComputeCriteria(), curve: loadResidualCurve() });
    generateComputeTape({ rows: 200, seed: 5 }).forEach((row, i) => acc.add(typed(row) as unknown as EvaluatedLot, i + 2));
    const s = buildComputeSections(acc);
    expect(s.eligibility.eligibleCount).toBeGreaterThan(20);
    expect(s.eligibility.ineligibleCount).toBeGreaterThan(0);
    expect(s.concentrations.every((t) => t.actual !== null)).toBe(true);
  });

  it('writes issuer-style headers that the schema aliases match, one per field', () => {
    const byKey = new Map<string, string>();
    for (const [name, p] of Object.entries(computeTapeSchema.properties as Record<string, { 'x-aliases': string[] }>)) {
      for (const alias of [name, ...p['x-aliases']]) byKey.set(headerKey(alias), name);
    }
    for (const field of COMPUTE_FIELDS) expect(byKey.get(headerKey(ISSUER_HEADERS[field])), ISSUER_HEADERS[field]).toBe(field);
    const header = computeTapeCsv({ rows: 1, issuerHeaders: true }).split('\n')[0]!;
    expect(header.startsWith('Lot ID,Cut-off Date,Deal ID,Borrower SPV')).toBe(true);
  });

  it('wrote examples/compute-tape.csv (12 lots, seed 7, issuer headers)', async () => {
    const file = await readFile(new URL('../../../examples/compute-tape.csv', import.meta.url), 'utf8');
    expect(file).toBe(computeTapeCsv({ rows: 12, seed: 7, dealId: 'gpu-1', issuerHeaders: true }));
  });
});
