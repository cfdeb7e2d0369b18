import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compareReports, decodeLoanKey, decodeLoanKeys, diffLoans, diffSortedLoans, encodeLoanKey, figure, LoanKeysBuilder, money, toCents,
  type LoanBalanceSource,
} from '../../../functions/core/compare/index.ts';
import type { DmbsReport } from '../../../functions/core/generated/report.ts';

async function* each<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}

/** Lines in batches of `size`, as chunks of a file give them. */
async function* batches<T>(items: readonly T[], size: number): AsyncGenerator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

/** Both routes over the same loans: the map route on the loans, the merge route on their loan keys (encoded and decoded). */
async function bothRoutes(from: LoanBalanceSource[], to: LoanBalanceSource[], limit: number) {
  const keyLines = (loans: LoanBalanceSource[]) => {
    const b = new LoanKeysBuilder();
    for (const l of loans) b.add(l.loanId, l.currentBalance);
    return [...b.lines()];
  };
  const map = await diffLoans(each(from), each(to), limit);
  const merge = await diffSortedLoans(decodeLoanKeys(batches(keyLines(from), 3)), decodeLoanKeys(batches(keyLines(to), 2)), limit);
  return { map, merge };
}

describe('money', () => {
  it('reads balances as cents the way the evaluation rounds them, ND codes as 0', () => {
    expect(toCents(1234.56)).toBe(123456n);
    expect(toCents(0.29)).toBe(29n);
    expect(toCents('1234.5')).toBe(123450n);
    expect(toCents('-7.01')).toBe(-701n);
    expect(toCents('ND1')).toBe(0n);
    expect(toCents(null)).toBe(0n);
    expect(toCents(Number.NaN)).toBe(0n);
  });
  it('writes cents as text with 2 places', () => {
    expect(money(123456n)).toBe('1234.56');
    expect(money(-5n)).toBe('-0.05');
    expect(money(0n)).toBe('0.00');
    expect(money(10n ** 20n + 7n)).toBe('1000000000000000000.07');
  });
});

describe('loan keys', () => {
  it('round-trip ids holding tabs, line breaks, quotes and backslashes', () => {
    for (const loanId of ['L-1', 'a\tb', 'x\ny', '"q"', 'back\\slash', 'ünï']) {
      const key = { loanId, cents: -12n, ordinal: 3 };
      const line = encodeLoanKey(key);
      expect(line.split('\t')).toHaveLength(3);
      expect(line).not.toMatch(/[\n\r]/);
      expect(decodeLoanKey(line)).toEqual(key);
    }
  });
  it('are sorted by loanId, one per id (the first row), with the order of first occurrence', () => {
    const b = new LoanKeysBuilder();
    b.add('B', 1);
    b.add('A', 2);
    b.add('B', 3);
    b.add('a', '4.5');
    expect(b.size).toBe(3);
    expect([...b.lines()]).toEqual(['A\t200\t1', 'B\t100\t0', 'a\t450\t2']);
  });
  it('a line that is not a loan key is refused naming it', () => {
    expect(() => decodeLoanKey('L-1\t12')).toThrow(/not a loan key line: 'L-1\t12'/);
    expect(() => decodeLoanKey('L-1\t1.5\t0')).toThrow(/not a loan key/);
  });
});

describe('diffLoans / diffSortedLoans', () => {
  it('tell added, removed and changed loans in file order, duplicates standing as their first row', async () => {
    const from = [
      { loanId: 'L3', currentBalance: 100 }, { loanId: 'L1', currentBalance: 50.5 }, { loanId: 'L2', currentBalance: 10 },
      { loanId: 'L1', currentBalance: 999 }, { loanId: 'L9', currentBalance: 'ND2' },
    ];
    const to = [
      { loanId: 'L8', currentBalance: 1 }, { loanId: 'L2', currentBalance: 10 }, { loanId: 'L1', currentBalance: 40.25 },
      { loanId: 'L0', currentBalance: 2 }, { loanId: 'L8', currentBalance: 5 }, { loanId: 'L3', currentBalance: 0.1 },
    ];
    const { map, merge } = await bothRoutes(from, to, 100);
    expect(map).toEqual({
      counts: { from: 4, to: 5, added: 2, removed: 1, changedBalance: 2, unchanged: 1 },
      added: [{ loanId: 'L8', currentBalance: '1.00' }, { loanId: 'L0', currentBalance: '2.00' }],
      removed: [{ loanId: 'L9', currentBalance: '0.00' }],
      changed: [{ loanId: 'L1', from: '50.50', to: '40.25', change: '-10.25' }, { loanId: 'L3', from: '100.00', to: '0.10', change: '-99.90' }],
      truncated: false,
      listLimit: 100,
    });
    expect(merge).toEqual(map);
    const limited = await bothRoutes(from, to, 1);
    expect(limited.map.truncated).toBe(true);
    expect(limited.map.added).toEqual([{ loanId: 'L8', currentBalance: '1.00' }]);
    expect(limited.merge).toEqual(limited.map);
  });

  it('give the same result on any two tapes, any list limit', async () => {
    const ids = fc.constantFrom(...Array.from({ length: 40 }, (_, i) => `L${i}`), 'a\tb', 'Z', 'é');
    const balance = fc.oneof(fc.integer({ min: 0, max: 5000 }).map((c) => c / 100), fc.constantFrom('ND1', '12.5', '0.07'));
    const loans = fc.array(fc.record({ loanId: ids, currentBalance: balance }), { maxLength: 80 });
    await fc.assert(fc.asyncProperty(loans, loans, fc.integer({ min: 0, max: 12 }), async (from, to, limit) => {
      const { map, merge } = await bothRoutes(from, to, limit);
      expect(merge).toEqual(map);
      expect(map.counts.from - map.counts.removed + map.counts.added).toBe(map.counts.to);
    }), { numRuns: 300 });
  });

  it('the merge refuses loan keys out of order (a damaged artifact)', async () => {
    const keys = [{ loanId: 'B', cents: 1n, ordinal: 0 }, { loanId: 'A', cents: 1n, ordinal: 1 }];
    await expect(diffSortedLoans(batches(keys, 1), batches([], 1), 10)).rejects.toThrow(/not sorted by loanId \('B' before 'A'\)/);
  });
});

describe('compareReports', () => {
  it('differences of decimal text are exact with the larger number of places; numbers subtract; missing is null', () => {
    expect(figure('x', '0.1', '0.3').change).toBe('0.2');
    expect(figure('x', '1.10', '2.005').change).toBe('0.905');
    expect(figure('x', 3, 10).change).toBe(7);
    expect(figure('x', null, '1').change).toBeNull();
    expect(figure('x', 'n/a', '1').change).toBeNull();
    expect(figure('x', '100000000000000000.01', '100000000000000000.02').change).toBe('0.01');
  });

  it('lists the union of both reports\' pool figures, criteria and tests', () => {
    const report = (over: Partial<DmbsReport>): DmbsReport => ({
      tape: { reportingDate: '2026-06-30' }, validation: { dataQualityScore: '90.00' }, ...over,
    }) as unknown as DmbsReport;
    const test = (id: string, actual: string, pass: boolean) => ({ id, description: `test ${id}`, limit: '0.30', limitType: 'max', actual, pass, headroom: '0.01' });
    const a = report({
      pool: { loanCount: 2, wtdAvgLtv: '0.500000', reason: 'x' } as never,
      eligibility: { eligibleCount: 2, ineligibleCount: 1, eligibleBalance: '10.00', failuresByCriterion: { E05: 1 } } as never,
      concentrations: [test('C01', '0.20', true)] as never,
      score: { points: '60.000000', band: 'A range' } as never,
    });
    const b = report({
      validation: { dataQualityScore: '95.50' } as never,
      pool: { loanCount: 3, currentBalance: '12.00' } as never,
      eligibility: { eligibleCount: 3, ineligibleCount: 0, eligibleBalance: '12.00', failuresByCriterion: { E02: 2 } } as never,
      concentrations: [test('C02', '0.50', true)] as never,
    });
    const d = compareReports(a, b);
    expect(d.dataQualityScore).toEqual({ name: 'dataQualityScore', from: '90.00', to: '95.50', change: '5.50' });
    expect(d.pool.map((f) => f.name)).toEqual(['loanCount', 'wtdAvgLtv', 'currentBalance']);
    expect(d.eligibility.map((f) => f.name)).toEqual(['eligibleCount', 'ineligibleCount', 'eligibleBalance', 'failures.E02', 'failures.E05']);
    expect(d.eligibility[2]).toEqual({ name: 'eligibleBalance', from: '10.00', to: '12.00', change: '2.00' });
    expect(d.tests.map((t) => [t.id, t.from?.actual ?? null, t.to?.actual ?? null])).toEqual([['C01', '0.20', null], ['C02', null, '0.50']]);
    expect(d.score).toEqual({ from: { points: '60.000000', band: 'A range' }, to: null, points: { name: 'points', from: '60.000000', to: null, change: null } });
  });
});
