import { describe, expect, it } from 'vitest';
import { DataQualityCounter } from '../../../functions/core/validation/data-quality.ts';
import { CellState } from '../../../functions/core/validation/row-validator.ts';
import type { FieldSpec } from '../../../functions/core/schema/loan-tape-schema.ts';

describe('the data-quality score of a kind', () => {
  // Two fields (criticality 3 and 1) and credits of its own: sized and scored from these, not the loan schema.
  const spec = (name: string, index: number, criticality: number) => ({ name, index, criticality }) as unknown as FieldSpec;
  const kind = {
    fields: [spec('lotId', 0, 3), spec('gpuModel', 1, 1)],
    dataQualityCredit: { valid: 1, validWithWarning: 0.5, noData: 0.25, blankOptional: 0, invalid: 0 },
  };

  it('counts its fields with its credits, and merges', () => {
    const a = new DataQualityCounter(kind);
    expect(a.counts.length).toBe(10);
    a.add(Uint8Array.of(CellState.Valid, CellState.Warning));
    const b = new DataQualityCounter(kind);
    b.add(Uint8Array.of(CellState.Valid, CellState.NoData));
    a.merge(new DataQualityCounter(kind, b.counts, b.rows));
    const { score, fields } = a.result();
    // earned 3×2 + 1×(0.5 + 0.25) = 6.75 of possible 3×2 + 1×2 = 8
    expect(score).toBe('84.38');
    expect(fields.map((f) => [f.field, f.score])).toEqual([['lotId', '100.00'], ['gpuModel', '37.50']]);
  });
});
