import { describe, expect, it } from 'vitest';
import { quarterOf, transitionQuarter } from '../../../functions/core/evaluation/balance-sheet-transition.ts';
import { loadCriteria } from '../../../functions/core/evaluation/criteria.ts';
import { buildEvaluationSections } from '../../../functions/core/evaluation/evaluation-sections.ts';
import { PoolAccumulator } from '../../../functions/core/evaluation/pool-accumulator.ts';
import { loan } from './loans.ts';

const building = (loanId: string, date: string, currentBalance: number, over: Parameters<typeof loan>[0] = {}) =>
  loan({ loanId, constructionStatus: 'UNDER_CONSTRUCTION', expectedCompletionDate: date, offBalanceSheet: true, currentBalance, ...over });

describe('balance-sheet transition schedule', () => {
  it('names calendar quarters', () => {
    expect(['2027-01-01', '2027-03-31', '2027-04-01', '2027-09-30', '2027-10-01', '2028-12-31'].map(quarterOf))
      .toEqual(['2027-Q1', '2027-Q1', '2027-Q2', '2027-Q3', '2027-Q4', '2028-Q4']);
  });

  it('takes only off-balance-sheet loans; operational ones are already due', () => {
    expect(transitionQuarter(loan())).toBeUndefined();
    expect(transitionQuarter(loan({ offBalanceSheet: false }))).toBeUndefined();
    expect(transitionQuarter(loan({ offBalanceSheet: true }))).toBe('due');
    expect(transitionQuarter(building('a', '2027-05-15', 1))).toBe('2027-Q2');
  });

  it('sums amounts per quarter, in total and by tenant group, eligible or not', () => {
    const acc = new PoolAccumulator(loadCriteria());
    const loans = [
      building('a', '2027-05-15', 10000000.5),
      building('b', '2027-06-30', 2500000, { largestTenant: 'OpenAI', largestTenantParent: undefined }),
      building('c', '2027-04-01', 2500000, { largestTenant: 'Oracle', largestTenantParent: 'oracle corp' }),
      building('d', '2029-01-31', 7000000, { constructionStatus: 'PLANNED' }), // ineligible (E04) but still returns to the books
      loan({ loanId: 'e', offBalanceSheet: true, currentBalance: 1000000, largestTenantParent: 'MICROSOFT  corporation' }),
      building('f', '2027-05-15', 4000000, { offBalanceSheet: false }),
    ];
    for (const l of loans) acc.add(l);
    expect(buildEvaluationSections(acc, acc.criteria, '100.00').balanceSheetTransition).toEqual([
      { quarter: 'due', amount: '1000000.00', loanCount: 1, byTenantGroup: [{ key: 'Microsoft Corporation', amount: '1000000.00' }] },
      {
        quarter: '2027-Q2', amount: '15000000.50', loanCount: 3,
        byTenantGroup: [
          { key: 'Microsoft Corporation', amount: '10000000.50' },
          { key: 'OpenAI', amount: '2500000.00' }, // ties: by key
          { key: 'oracle corp', amount: '2500000.00' },
        ],
      },
      { quarter: '2029-Q1', amount: '7000000.00', loanCount: 1, byTenantGroup: [{ key: 'Microsoft Corporation', amount: '7000000.00' }] },
    ]);
  });

  it('is empty when no loan is off balance sheet', () => {
    const acc = new PoolAccumulator(loadCriteria());
    acc.add(loan());
    expect(buildEvaluationSections(acc, acc.criteria, '100.00').balanceSheetTransition).toEqual([]);
  });
});
