import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { coerceInto, coerceScratch, coerceSpan, Outcome, prepareFastPath } from '../../../functions/core/validation/coerce.ts';
import { FIELDS, type FieldSpec } from '../../../functions/core/schema/loan-tape-schema.ts';
import type { ColumnOptions } from '../../../functions/core/mapping/column-mapping.ts';

const PLAIN: ColumnOptions = { percent: false, decimalComma: false };

/** coerceInto's outcome and what it left in the scratch object, for the trimmed cell. */
function slow(i: number, cell: string, options: ColumnOptions = PLAIN) {
  const out = coerceScratch();
  const outcome = coerceInto(FIELDS[i]!, cell.trim(), options, out);
  return describeOutcome(outcome, out);
}

function fast(i: number, text: string, start: number, end: number, options: ColumnOptions = PLAIN) {
  const out = coerceScratch();
  const outcome = coerceSpan(FIELDS[i]!, text, start, end, options, out);
  return describeOutcome(outcome, out);
}

function describeOutcome(outcome: Outcome, out: ReturnType<typeof coerceScratch>) {
  if (outcome === Outcome.Value || outcome === Outcome.ValueCaseNormalised) return { outcome, value: out.value, negativeZero: Object.is(out.value, -0) };
  if (outcome === Outcome.ValueRounded) return { outcome, value: out.value, negativeZero: Object.is(out.value, -0), problem: out.problem };
  if (outcome === Outcome.NoData || outcome === Outcome.NoDataCaseNormalised) return { outcome, nd: out.ndCode };
  if (outcome === Outcome.Problem) return { outcome, problem: out.problem };
  return { outcome };
}

const cells = fc.oneof(
  fc.constantFrom('', ' ', '1250000.00', '1250000.005', '-0', '+1.5', '.5', '5.', '1e5', '0001.10', '1.23456789012345', '1.234567890123456',
    '99999999999999999999', '2026-10-31', '2026-02-29', '2028-02-29', ' 2026-10-31 ', 'CURRENT', 'Current', 'current', 'ND1', 'nd2', 'ND4-2027-01-31',
    'Northern Virginia', 'NDX', 'true', 'TRUE', 'yes', 'Yes', '1', '0', 'US-VA', 'us-va', 'US', 'AAA', 'BB+', '\u00a0x', 'x\u00a0', 'é', 'Straße',
    '0.000000000000000000000000001', '123456789012345', '-123', '12a', '\t7\t',
    // rounded with a PRECISION warning, underflowing and overflowing text (issuers' tools write them)
    '0.7999999999999999', '1250000.125', '-1.005', '100.000', `0.${'0'.repeat(400)}1`, `0.${'0'.repeat(30)}1`, `1${'0'.repeat(400)}`, '1e-400', '-1e400'),
  fc.stringMatching(/^[+-]?\d{0,20}(\.\d{0,30})?$/),
  fc.string({ maxLength: 12 }),
  fc.stringMatching(/^[+-]?\d{0,17}(\.\d{0,25})?$/),
  fc.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
);

describe('coerceSpan reads a cell in place exactly as coerceInto reads its trimmed text', () => {
  it('for every field kind and any cell, inside any surrounding text', () => {
    fc.assert(fc.property(fc.nat(FIELDS.length - 1), cells, fc.string({ maxLength: 3 }), fc.string({ maxLength: 3 }), (i, cell, before, after) => {
      const text = before + cell + after;
      expect(fast(i, text, before.length, before.length + cell.length)).toEqual(slow(i, cell));
    }), { numRuns: 20_000 });
  });

  it('hands mapped columns (percent, decimal comma, date patterns, value maps) to coerceInto', () => {
    const percent = { percent: true, decimalComma: false };
    const rate = FIELDS.findIndex((f) => f.name === 'interestRate');
    expect(fast(rate, '5.25', 0, 4, percent)).toEqual(slow(rate, '5.25', percent));
    expect(fast(rate, '5.25', 0, 4, percent)).toMatchObject({ value: 0.0525 });
  });
});

describe('coerceSpan reads each kind by its own field specs', () => {
  // Two kinds whose field 0 is read differently: an index must not pick another kind's fast path.
  const spec = (kind: FieldSpec['kind'], enumValues?: string[]): FieldSpec =>
    ({ name: 'x', index: 0, kind, required: false, ndAllowed: true, criticality: 1, aliases: [], description: '', group: 'g', ...(enumValues ? { enumValues } : {}) }) as unknown as FieldSpec;
  const kindA = [spec('code', ['AB', 'CD'])];
  const kindB = [spec('money')];
  const kindC = [spec('code', ['AXB'])];

  function read(s: FieldSpec, text: string) {
    const out = coerceScratch();
    return describeOutcome(coerceSpan(s, text, 0, text.length, PLAIN, out), out);
  }

  it('alternating between kinds, registered or not', () => {
    prepareFastPath(kindA);
    prepareFastPath(kindB);
    for (let round = 0; round < 2; round++) {
      expect(read(kindA[0]!, 'AB')).toMatchObject({ outcome: Outcome.Value, value: 'AB' });
      expect(read(kindB[0]!, '12.50')).toMatchObject({ outcome: Outcome.Value, value: 12.5 });
      expect(read(kindA[0]!, '12.50')).toMatchObject({ outcome: Outcome.Problem, problem: { code: 'ENUM' } });
      expect(read(kindC[0]!, 'AXB')).toMatchObject({ outcome: Outcome.Value, value: 'AXB' });
      expect(read(kindC[0]!, 'AB')).toMatchObject({ outcome: Outcome.Problem, problem: { code: 'ENUM' } });
      expect(read(kindB[0]!, 'AB')).toMatchObject({ outcome: Outcome.Problem, problem: { code: 'TYPE' } });
    }
  });
});
