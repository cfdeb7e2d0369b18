import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Exact, formatForReason } from '../../../functions/core/evaluation/exact.ts';
import { CentsSum, GroupTotals } from '../../../functions/core/evaluation/group-totals.ts';
import { decimalParts, WeightedSum } from '../../../functions/core/evaluation/weighted-sum.ts';
import { findDuplicates, LoanIdIndex, type LoanIdEntries } from '../../../functions/core/validation/loan-id-index.ts';
import { fuzzRuns } from '../../support/fuzz-runs.ts';

/** decimalParts as it was written first: from the number's shortest text. */
function textParts(value: number): [bigint, number] {
  const text = String(value);
  const e = text.indexOf('e');
  const digits = e < 0 ? text : text.slice(0, e);
  const exponent = e < 0 ? 0 : Number(text.slice(e + 1));
  const dot = digits.indexOf('.');
  const fraction = dot < 0 ? 0 : digits.length - dot - 1;
  const mantissa = BigInt(dot < 0 ? digits : digits.slice(0, dot) + digits.slice(dot + 1));
  const scale = fraction - exponent;
  return scale >= 0 ? [mantissa, scale] : [mantissa * 10n ** BigInt(-scale), 0];
}

const numbers = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer({ min: -1e9, max: 1e9 }).chain((n) => fc.integer({ min: 0, max: 12 }).map((s) => n / 10 ** s)),
  fc.constantFrom(0.1 + 0.2, 1.005, 2.675, 1e-7, 1.5e-9, 9007199254740991, 2 ** 51 - 1, 2 ** 51 + 1, 1e21, 5e-324, -0),
);

describe('fast paths of exact arithmetic equal the slow ones', () => {
  it('decimalParts (arithmetic) = the digits of the shortest text', () => {
    fc.assert(fc.property(numbers, (x) => {
      const [m, s] = decimalParts(x);
      const [tm, ts] = textParts(x);
      // the same decimal value, and the same representation when the text has no exponent
      expect(new Decimal(m.toString()).div(new Decimal(10).pow(s)).eq(new Decimal(tm.toString()).div(new Decimal(10).pow(ts)))).toBe(true);
      if (!String(x).includes('e')) expect([m, s]).toEqual([tm, ts]);
    }), { numRuns: fuzzRuns(5000) });
  });

  it('formatForReason (text) = Decimal half-even between 2 and 6 places', () => {
    fc.assert(fc.property(numbers, (x) => {
      const d = new Exact(x);
      expect(formatForReason(x)).toBe(d.toFixed(Math.min(Math.max(d.decimalPlaces(), 2), 6), Decimal.ROUND_HALF_EVEN));
    }), { numRuns: fuzzRuns(5000) });
  });

  it('WeightedSum.addSafe and CentsSum stay exact past 2^53', () => {
    const sum = new WeightedSum();
    const cents = new CentsSum();
    let expected = new Exact(0);
    let total = 0n;
    for (let i = 0; i < 5000; i++) {
      const w = 999_999_999_999_999 - i; // near the largest money amount in cents
      sum.addSafe(w, 1.2345);
      cents.add(w);
      expected = expected.plus(new Exact(w).times('1.2345'));
      total += BigInt(w);
    }
    expect(sum.value().toFixed()).toBe(expected.toFixed());
    expect(cents.value()).toBe(total);
  });

  it('GroupTotals merged through the transfer form = merged directly = one group set (any number of parts, growth included)', () => {
    const name = fc.oneof(fc.constantFrom('F-1', 'f-1', ' F-2 ', 'F-3', 'Ärger', 'x  y', 'X Y'), fc.integer({ min: 0, max: 60 }).map((n) => `FAC-${n}`));
    fc.assert(fc.property(fc.array(fc.tuple(name, fc.integer({ min: 0, max: 2 ** 52 }), fc.boolean()), { minLength: 20, maxLength: 200, size: 'max' }), fc.integer({ min: 1, max: 9 }), (adds, partCount) => {
      const whole = new GroupTotals(3);
      const parts = Array.from({ length: partCount }, () => new GroupTotals(3));
      adds.forEach(([n, cents, eligible], i) => {
        for (const g of [whole, parts[Math.floor((i * partCount) / adds.length)]!]) {
          const e = g.entry(n);
          if (!eligible) continue;
          g.add(e, 0, cents);
          g.add(e, 1, cents % 7);
          g.add(e, 2, cents % 3);
        }
      });
      const direct = new GroupTotals(3);
      for (const p of parts) direct.merge(p);
      const shipped = new GroupTotals(3);
      for (const p of parts) shipped.mergeTransfer(structuredClone(p.toTransfer()));
      const view = (g: GroupTotals) => ({
        names: g.names(),
        sums: g.withSums().map((e) => [g.key(e), g.sum(e, 0), g.sum(e, 1), g.sum(e, 2)]),
        sorted: g.sortedBy(0).map((e) => g.name(e)),
        top: [g.top(0, 3, false), g.top(1, 4, true)].map((l) => l.map((e) => g.name(e))),
      });
      expect(view(direct)).toEqual(view(whole));
      expect(view(shipped)).toEqual(view(whole));
      const sorted = whole.sortedBy(1).filter((e) => whole.sum(e, 1) > 0n).slice(0, 4).map((e) => whole.name(e));
      expect(whole.top(1, 4, true).map((e) => whole.name(e))).toEqual(sorted);
    }), { numRuns: fuzzRuns(200) });
  });
});

/** Entries equal field by field, the typed arrays compared as bytes (toEqual walks them element by element as object keys: seconds per case). */
function expectSameEntries(a: LoanIdEntries, b: LoanIdEntries): void {
  expect(a.count).toBe(b.count);
  for (const field of ['hashes', 'rows', 'ends', 'bytes'] as const) {
    const [x, y] = [a[field], b[field]].map((v) => Buffer.from(v.buffer, v.byteOffset, v.byteLength));
    expect(x!.equals(y!), `entries.${field} differ`).toBe(true);
  }
}

describe('LoanIdIndex finds exactly the duplicated ids a Map finds', () => {
  it('in one index and across ranges', () => {
    const long = fc.constantFrom('FACILITY-0001-TRANCHE-A-LOAN-000000001', 'FACILITY-0001-TRANCHE-A-LOAN-000000002');
    const id = fc.oneof(fc.constantFrom('A', 'B', 'C', 'DC-001-0000001', 'DC-001-0000002', 'x.y_z-1'), long, fc.integer({ min: 0, max: 3000 }).map((n) => `L-${n}`));
    // Up to 3000 ids: most runs grow the arrays (1024 entries, 16 KiB of bytes) more than once.
    // hint: the parts' expected ids (0 = none; else under or over the ids a part gets, which must not matter)
    fc.assert(fc.property(fc.array(id, { maxLength: 3000, size: 'max' }), fc.array(fc.nat(), { maxLength: 4 }), fc.nat({ max: 4000 }), (ids, cuts, hint) => {
      const rows = ids.map((id, i) => ({ id, row: i + 2, valid: i % 3 !== 0 }));
      // reference: a Map of id -> rows
      const map = new Map<string, typeof rows>();
      for (const r of rows) map.set(r.id, [...(map.get(r.id) ?? []), r]);
      const expected = [...map].filter(([, rs]) => rs.length > 1);

      const index = new LoanIdIndex();
      const flagged = new Set<string>();
      for (const r of rows) if (index.add(r.id, r.row, r.valid)) flagged.add(r.id);
      expect([...flagged].sort()).toEqual(expected.map(([id]) => id).sort());

      const points = [...new Set(cuts.map((c) => c % (rows.length + 1)))].sort((x, y) => x - y);
      const bounds = [0, ...points, rows.length];
      const parts = bounds.slice(1).map((end, k) => {
        const part = new LoanIdIndex(false, hint);
        const plain = new LoanIdIndex(false);
        for (const r of rows.slice(bounds[k], end)) {
          part.add(r.id, r.row - 1 - bounds[k]!, r.valid);
          plain.add(r.id, r.row - 1 - bounds[k]!, r.valid);
        }
        expectSameEntries(part.entries(false), plain.entries(false));
        return part.entries();
      });
      const groups = findDuplicates(parts, bounds.slice(0, -1).map((b) => b + 1));
      expect(groups.map((g) => [g.id, g.rows]).sort()).toEqual(expected.map(([id, rs]) => [id, rs.map((r) => ({ row: r.row, valid: r.valid }))]).sort());
    }), { numRuns: fuzzRuns(100) });
  });
});
