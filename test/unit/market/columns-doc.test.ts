import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { LOAN_COLUMNS, withMarketColumns } from '../../../functions/core/market/loan-columns.ts';
import { FIELDS } from '../../../functions/core/schema/loan-tape-schema.ts';

const root = new URL('../../..', import.meta.url).pathname;

describe('the dataset columns', () => {
  it('docs/market.md lists the columns derived from schemas/ (npm run gen:docs)', async () => {
    const doc = await readFile(`${root}/docs/market.md`, 'utf8');
    expect(doc).toBe(withMarketColumns(doc));
  });

  it('hold every loan-tape field but the partition, the loan results and unique names', () => {
    const names = LOAN_COLUMNS.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    // Every loan-tape field has its column (reportingDate is the partition); results and keys follow.
    const fromLoan = LOAN_COLUMNS.flatMap((c) => ('loan' in c.source ? [c.source.loan] : []));
    expect(fromLoan).toEqual(FIELDS.map((f) => f.name).filter((n) => n !== 'reportingDate'));
    expect(names).toEqual(expect.arrayContaining(['current_balance', 'largest_tenant_parent', 'source_row', 'eligible', 'failed_criteria', 'tenant_group_key']));
    expect(names).not.toContain('reporting_date');
  });
});
