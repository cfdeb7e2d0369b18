/**
 * The loan tape's cross-field rules evaluated from the schema's `x-cross-field-rules` give exactly
 * the findings (codes, fields, values, messages, order) and error fields of the rules as they were
 * written in code before — that code is kept here as the reference.
 */
import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LOAN_TAPE_VALIDATION } from '../../../functions/core/kinds/loan-tape/validation.ts';
import { loanTapeSchema } from '../../../functions/core/schema/loan-tape-schema.ts';
import { finding, type Finding } from '../../../functions/core/validation/findings.ts';

type Values = Record<string, number | string | undefined>;

function withinTolerance(reported: number, numerator: number, denominator: number): boolean {
  if (denominator === 0) return true;
  const recomputed = numerator / denominator;
  const slack = 0.02 * Math.abs(recomputed) - Math.abs(reported - recomputed);
  if (Math.abs(slack) > 1e-9 * Math.max(1, Math.abs(recomputed))) return slack >= 0;
  const exact = new Decimal(numerator).div(denominator);
  return new Decimal(reported).minus(exact).abs().lte(exact.abs().times(0.02));
}
const money = (x: number) => x.toFixed(2);
const ratio = (n: number, d: number) => new Decimal(n).div(d).toDecimalPlaces(4).toString();

/** The rules as written in code before they were data. */
function reference(l: Values, row: number, out: Finding[], columnOf: (f: string) => string | undefined): string[] {
  const bad: string[] = [];
  const err = (field: string, value: unknown, rule: string) => {
    out.push(finding('CROSS_FIELD', row, field, String(value), rule, columnOf(field)));
    bad.push(field);
  };
  const n = (k: string) => l[k] as number;
  const s = (k: string) => l[k] as string;
  if (l.maturityDate !== undefined && l.originationDate !== undefined && !(s('maturityDate') > s('originationDate'))) err('maturityDate', l.maturityDate, `must be after originationDate ${l.originationDate}`);
  if (l.originationDate !== undefined && l.reportingDate !== undefined && s('originationDate') > s('reportingDate')) err('originationDate', l.originationDate, `must be on or before reportingDate ${l.reportingDate}`);
  if (l.currentBalance !== undefined && l.originalBalance !== undefined && n('currentBalance') > n('originalBalance')) {
    err('currentBalance', money(n('currentBalance')), `exceeds originalBalance ${money(n('originalBalance'))}; no v1 amortizationType allows the balance to grow`);
  }
  if (l.itCapacityMw !== undefined) {
    if (l.leasedMw !== undefined && n('leasedMw') > n('itCapacityMw')) err('leasedMw', l.leasedMw, `exceeds itCapacityMw ${l.itCapacityMw}`);
    if (l.commissionedMw !== undefined && n('commissionedMw') > n('itCapacityMw')) err('commissionedMw', l.commissionedMw, `exceeds itCapacityMw ${l.itCapacityMw}`);
  }
  if (l.region !== undefined && l.country !== undefined && !s('region').startsWith(`${l.country}-`)) err('region', l.region, `is not a region of country ${l.country}; use ${l.country}-XX`);
  if (l.dscr !== undefined && l.underwrittenNcf !== undefined && l.annualDebtService !== undefined && !withinTolerance(n('dscr'), n('underwrittenNcf'), n('annualDebtService'))) {
    out.push(finding('RECOMPUTE_MISMATCH', row, 'dscr', String(l.dscr), `differs by more than 2 % from underwrittenNcf / annualDebtService = ${ratio(n('underwrittenNcf'), n('annualDebtService'))}; check the inputs`, columnOf('dscr')));
  }
  if (l.ltv !== undefined && l.currentBalance !== undefined && l.appraisedValue !== undefined && !withinTolerance(n('ltv'), n('currentBalance'), n('appraisedValue'))) {
    out.push(finding('RECOMPUTE_MISMATCH', row, 'ltv', String(l.ltv), `differs by more than 2 % from currentBalance / appraisedValue = ${ratio(n('currentBalance'), n('appraisedValue'))}; check the inputs`, columnOf('ltv')));
  }
  return bad;
}

const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const date = fc.constantFrom('2020-01-01', '2024-06-30', '2026-10-31', '2026-11-01', '2031-01-01');
const amount = fc.constantFrom(0, 1, 0.01, 100000000, 100000000.01, 5850000, 9360000, 150000000);
const mw = fc.constantFrom(0, 12.5, 60, 60.1, 61);
const share = fc.constantFrom(0, 0.6, 0.612, 0.5879, 1.6, 1.632, 1.6321, 0.666667);
const values = fc.record({
  maturityDate: maybe(date), originationDate: maybe(date), reportingDate: maybe(date),
  currentBalance: maybe(amount), originalBalance: maybe(amount), appraisedValue: maybe(amount),
  underwrittenNcf: maybe(amount), annualDebtService: maybe(amount),
  itCapacityMw: maybe(mw), leasedMw: maybe(mw), commissionedMw: maybe(mw),
  region: maybe(fc.constantFrom('US-VA', 'GB-LND', 'US', 'USA-1', 'DE-BE')), country: maybe(fc.constantFrom('US', 'GB', 'DE')),
  dscr: maybe(share), ltv: maybe(share),
});
const columnOf = (field: string) => (field.length % 2 === 0 ? `Col ${field}` : undefined);

describe('cross-field rules from x-cross-field-rules', () => {
  it('give exactly the findings and error fields of the former code', () => {
    fc.assert(fc.property(values, fc.integer({ min: 2, max: 1_000_000 }), (v, row) => {
      const got: Finding[] = [];
      const want: Finding[] = [];
      const gotBad = LOAN_TAPE_VALIDATION.checkCrossField(v, row, got, columnOf);
      const wantBad = reference(v, row, want, columnOf);
      expect(got).toEqual(want);
      expect(JSON.stringify(got)).toBe(JSON.stringify(want));
      expect(gotBad).toEqual(wantBad);
    }), { numRuns: 2000 });
  });

  it('names why each rule without a check is not row-level data', () => {
    const rules = loanTapeSchema['x-cross-field-rules'] as Array<{ id: string; check?: unknown; enforcedBy?: string }>;
    expect(rules.filter((r) => !r.check).map((r) => `${r.id}:${r.enforcedBy}`)).toEqual([
      'floatingNeedsIndexAndMargin:schema', 'nonOperationalNeedsCompletion:schema', 'oneReportingDate:cross-row', 'uniqueLoanId:cross-row',
    ]);
  });
});
