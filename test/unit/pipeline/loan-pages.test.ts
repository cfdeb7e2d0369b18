import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LoanPagesBuilder, loanListFor, readLoanPage, type LoanPageItem } from '../../../functions/pipeline/loan-pages.ts';

const CRITERIA = ['E01', 'E02', 'E05', 'E09'] as const;

/** The page the old route gives: scan every result from the start. */
function scanPage(results: LoanPageItem[], filter: { eligible?: 'true' | 'false'; criterion?: string }, start: number, limit: number) {
  const items: LoanPageItem[] = [];
  for (let at = start; at < results.length; at++) {
    const loan = results[at]!;
    if (filter.eligible !== undefined && String(loan.eligible) !== filter.eligible) continue;
    if (filter.criterion !== undefined && !loan.failures.some((f) => f.criterion === filter.criterion)) continue;
    if (items.length === limit) return { items, next: at };
    items.push(loan);
  }
  return { items, next: null };
}

function build(results: LoanPageItem[], blockLoans: number) {
  const blocks: Uint8Array[] = [];
  const builder = new LoanPagesBuilder((b) => blocks.push(b), blockLoans);
  results.forEach((r, i) => builder.add(i, r));
  const index = builder.finish();
  const bytes = Buffer.concat(blocks);
  const reads: number[] = [];
  const read = async (offset: number, length: number) => {
    reads.push(length);
    return bytes.subarray(offset, offset + length);
  };
  return { index, bytes, read, reads };
}

const loan = fc.array(fc.constantFrom(...CRITERIA), { maxLength: 3 }).map((failed) => failed);

describe('loan pages', () => {
  it('give every page the scan of the whole results gives, for any filter, limit and start', async () => {
    const results = fc.array(loan, { maxLength: 60 }).map((rows) => rows.map((failed, i): LoanPageItem => ({
      row: i + 2, loanId: `L${i}`, eligible: failed.length === 0, failures: failed.map((c) => ({ criterion: c, reason: `${c} reason` })),
    })));
    const filter = fc.record({ eligible: fc.constantFrom(undefined, 'true', 'false'), criterion: fc.constantFrom(undefined, ...CRITERIA, 'E07') }, { requiredKeys: [] });
    await fc.assert(fc.asyncProperty(results, fc.integer({ min: 1, max: 7 }), filter, fc.integer({ min: 1, max: 9 }), async (rs, blockLoans, f, limit) => {
      const { index, read, reads } = build(rs, blockLoans);
      const list = loanListFor(f);
      // Page through from the start, as a client following nextToken does.
      let start = 0;
      for (let guard = 0; guard <= rs.length + 1; guard++) {
        reads.length = 0;
        const page = await readLoanPage(index, list, start, limit, read);
        expect(page).toEqual(scanPage(rs, f, start, limit));
        expect(reads.length).toBeLessThanOrEqual(Math.ceil((limit + 1) / blockLoans) + 1);
        if (page.next === null) break;
        start = page.next;
      }
      // Any start position, not only those tokens hold.
      const anyStart = rs.length === 0 ? 0 : (limit * 7) % (rs.length + 1);
      expect(await readLoanPage(index, list, anyStart, limit, read)).toEqual(scanPage(rs, f, anyStart, limit));
    }), { numRuns: 300 });
  });

  it('the index counts each list; a loan failing two criteria is in both lists, once in each', () => {
    const rs: LoanPageItem[] = [
      { row: 2, loanId: 'A', eligible: true, failures: [] },
      { row: 3, loanId: 'B', eligible: false, failures: [{ criterion: 'E05', reason: 'x' }, { criterion: 'E06', reason: 'y' }, { criterion: 'E05', reason: 'z' }] },
    ];
    const { index } = build(rs, 1000);
    expect(Object.fromEntries(Object.entries(index.lists).map(([k, v]) => [k, v.count]))).toEqual({
      all: 2, 'eligible=true': 1, 'eligible=false': 1, 'criterion=E05': 1, 'criterion=E06': 1,
    });
    expect(loanListFor({ eligible: 'true', criterion: 'E05' })).toBeNull();
    expect(loanListFor({ eligible: 'false', criterion: 'E05' })).toBe('criterion=E05');
  });
});
