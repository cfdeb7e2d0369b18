/**
 * A generated tape of a few thousand loans, evaluated by the engine and, independently, by the
 * deliberately plain computation below (loops over Decimal; nothing shared with the engine), which
 * must agree on every eligibility count, pool figure and concentration test. The report sections
 * must also validate against schemas/dmbs-report.v1.schema.json.
 */
import { readFile } from 'node:fs/promises';
import { Decimal } from 'decimal.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateTape } from '../../../bench/tape-generator.ts';
import { loadCriteria } from '../../../functions/core/evaluation/criteria.ts';
import { buildEvaluationSections, type EvaluationSections } from '../../../functions/core/evaluation/evaluation-sections.ts';
import { PoolAccumulator } from '../../../functions/core/evaluation/pool-accumulator.ts';
import type { DmbsLoan } from '../../../functions/core/generated/loan-tape.ts';
import type { DmbsReport } from '../../../functions/core/generated/report.ts';
import { buildValidationSection } from '../../../functions/core/report/validation-section.ts';
import { createAjv } from '../../../functions/core/schema/ajv.ts';
import { TapeValidator } from '../../../functions/core/validation/tape-validator.ts';
import { validLoans } from '../../../bench/valid-loans.ts';

const D = Decimal.clone({ precision: 120 });
const six = (x: Decimal) => x.toFixed(6, Decimal.ROUND_HALF_EVEN).replace(/^-(0\.0+)$/, '$1');
const money = (x: Decimal) => x.toFixed(2);

// ---- the plain second computation ----------------------------------------------------------------------------------

function ymd(date: string) {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return { y, m, d };
}
function monthsBetween(from: string, to: string): number {
  const a = ymd(from);
  const b = ymd(to);
  let months = (b.y - a.y) * 12 + (b.m - a.m);
  if (b.d < a.d) months -= 1;
  return months;
}
function plusMonths(date: string, n: number): string {
  const { y, m, d } = ymd(date);
  const lastDay = new Date(Date.UTC(y, m - 1 + n + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m - 1 + n, Math.min(d, lastDay))).toISOString().slice(0, 10);
}
function failedCriteria(l: DmbsLoan): string[] {
  const failed: string[] = [];
  if (!(l.currentBalance > 0)) failed.push('E01');
  if (l.paymentStatus !== 'CURRENT') failed.push('E02');
  if (l.lienPosition !== 'FIRST') failed.push('E03');
  if (l.constructionStatus !== 'OPERATIONAL') {
    const ok = (l.constructionStatus === 'UNDER_CONSTRUCTION' || l.constructionStatus === 'COMMISSIONING')
      && l.expectedCompletionDate! <= plusMonths(l.reportingDate, 24)
      && new D(l.leasedMw).div(l.itCapacityMw).gte('0.75');
    if (!ok) failed.push('E04');
  }
  if (new D(l.dscr).lt('1.2')) failed.push('E05');
  if (new D(l.ltv).gt('0.8')) failed.push('E06');
  if (monthsBetween(l.reportingDate, l.leaseExpiryDate) < 36) failed.push('E07');
  if (!(l.maturityDate > l.reportingDate)) failed.push('E08');
  if (['D', 'C', 'CC'].includes(l.largestTenantRating)) failed.push('E09');
  if (l.currency !== 'USD') failed.push('E10');
  return failed;
}
const norm = (s: string) => s.trim().split(/\s+/).join(' ').toLowerCase();
const tenantGroup = (l: DmbsLoan) => (l.largestTenantParent && l.largestTenantParent.trim() && !/^ND[1-5]/i.test(l.largestTenantParent) ? l.largestTenantParent : l.largestTenant);

function sumsBy(loans: DmbsLoan[], key: (l: DmbsLoan) => string, counted: (l: DmbsLoan) => boolean = () => true) {
  const sums = new Map<string, { name: string; balance: Decimal }>();
  for (const l of loans) {
    if (!counted(l)) continue;
    const k = norm(key(l));
    const entry = sums.get(k) ?? { name: key(l).trim(), balance: new D(0) };
    entry.balance = entry.balance.plus(l.currentBalance);
    sums.set(k, entry);
  }
  return [...sums.values()].sort((a, b) => b.balance.cmp(a.balance) || (a.name < b.name ? -1 : 1));
}

function plainComputation(loans: DmbsLoan[]) {
  const eligible = loans.filter((l) => failedCriteria(l).length === 0);
  const failures: Record<string, number> = {};
  for (const id of ['E01', 'E02', 'E03', 'E04', 'E05', 'E06', 'E07', 'E08', 'E09', 'E10']) failures[id] = 0;
  for (const l of loans) for (const id of failedCriteria(l)) failures[id]!++;

  let total = new D(0);
  for (const l of eligible) total = total.plus(l.currentBalance);
  const wa = (value: (l: DmbsLoan) => number) => {
    let sum = new D(0);
    for (const l of eligible) sum = sum.plus(new D(l.currentBalance).times(value(l)));
    return sum.div(total);
  };
  let squares = new D(0);
  for (const l of eligible) squares = squares.plus(new D(l.currentBalance).div(total).pow(2));
  const share = (count: (l: DmbsLoan) => boolean) => {
    let sum = new D(0);
    for (const l of eligible) if (count(l)) sum = sum.plus(l.currentBalance);
    return sum.div(total);
  };
  const rd = eligible[0]!.reportingDate;
  const lowRated = ['BB+', 'BB', 'BB-', 'B+', 'B', 'B-', 'CCC+', 'CCC', 'CCC-', 'CC', 'C', 'D', 'NR'];
  const tenants = sumsBy(eligible, tenantGroup);
  const byLoan = [...eligible].sort((a, b) => b.currentBalance - a.currentBalance || (a.loanId < b.loanId ? -1 : 1))
    .map((l) => ({ name: l.loanId, balance: new D(l.currentBalance) }));
  const top = (list: { name: string; balance: Decimal }[]) => list.slice(0, 5).map((g) => ({ key: g.name, share: six(g.balance.div(total)) }));
  const rolloverEnd = plusMonths(rd, 60);
  const effective = new D(1).div(squares);
  return {
    eligibility: { eligibleCount: eligible.length, ineligibleCount: loans.length - eligible.length, eligibleBalance: money(total), failuresByCriterion: failures },
    pool: {
      loanCount: eligible.length, currentBalance: money(total),
      waDscr: six(wa((l) => l.dscr)), waLtv: six(wa((l) => l.ltv)), waInterestRate: six(wa((l) => l.interestRate)),
      waRemainingLeaseTermMonths: six(wa((l) => monthsBetween(rd, l.leaseExpiryDate))), effectiveLoanCount: six(effective),
    },
    tests: {
      C01: { actual: tenants[0]!.balance.div(total), limit: 0.3, top: top(tenants) },
      C02: { actual: tenants.slice(0, 3).reduce((s, g) => s.plus(g.balance), new D(0)).div(total), limit: 0.6, top: top(tenants) },
      C03: { actual: share((l) => lowRated.includes(l.largestTenantRating)), limit: 0.25, top: top(sumsBy(eligible, tenantGroup, (l) => lowRated.includes(l.largestTenantRating))) },
      C04: { actual: sumsBy(eligible, (l) => l.facilityId)[0]!.balance.div(total), limit: 0.15, top: top(sumsBy(eligible, (l) => l.facilityId)) },
      C05: { actual: sumsBy(eligible, (l) => l.market)[0]!.balance.div(total), limit: 0.35, top: top(sumsBy(eligible, (l) => l.market)) },
      C06: { actual: sumsBy(eligible, (l) => l.sponsor)[0]!.balance.div(total), limit: 0.4, top: top(sumsBy(eligible, (l) => l.sponsor)) },
      C07: { actual: share((l) => l.constructionStatus !== 'OPERATIONAL'), limit: 0.2, top: top(sumsBy(eligible, (l) => l.facilityId, (l) => l.constructionStatus !== 'OPERATIONAL')) },
      C08: { actual: share((l) => l.leaseExpiryDate <= rolloverEnd), limit: 0.2, top: top(sumsBy(eligible, tenantGroup, (l) => l.leaseExpiryDate <= rolloverEnd)) },
      C09: { actual: effective, limit: -10, top: top(byLoan) },
      P01: { actual: wa((l) => l.dscr), limit: -1.4, top: top(byLoan) },
      P02: { actual: wa((l) => l.ltv), limit: 0.7, top: top(byLoan) },
      P03: { actual: wa((l) => monthsBetween(rd, l.leaseExpiryDate)), limit: -84, top: top(byLoan) },
    } as Record<string, { actual: Decimal; limit: number; top: { key: string; share: string }[] }>,
  };
}

// ---- the tape -----------------------------------------------------------------------------------------------------

let loans: DmbsLoan[];
let summary: ReturnType<TapeValidator['finish']>;
let sections: EvaluationSections;

beforeAll(() => {
  const { rows } = generateTape({ rows: 4000, seed: 42, brokenShare: 0.02 });
  ({ loans, summary } = validLoans(rows));
  loans = loans.filter((l) => !summary.duplicateLoanIds.has(l.loanId));
  const acc = new PoolAccumulator(loadCriteria());
  for (const l of loans) acc.add(l);
  sections = buildEvaluationSections(acc, acc.criteria, summary.dataQuality.result().score);
});

describe('a generated tape of 4000 loans against a plain second computation', () => {
  it('evaluates every valid loan: eligibleCount + ineligibleCount = validRowCount', () => {
    expect(loans.length).toBe(summary.validRowCount);
    expect(loans.length).toBeGreaterThan(3800);
    expect(sections.eligibility.eligibleCount + sections.eligibility.ineligibleCount).toBe(summary.validRowCount);
  });

  it('agrees on eligibility and every pool figure', () => {
    const plain = plainComputation(loans);
    expect(plain.eligibility.eligibleCount).toBeGreaterThan(1000);
    expect(sections.eligibility).toEqual(plain.eligibility);
    expect(sections.pool).toEqual(plain.pool);
  });

  it('agrees on every concentration and pool test', () => {
    const plain = plainComputation(loans);
    expect(sections.concentrations.map((t) => t.id)).toEqual(Object.keys(plain.tests));
    for (const t of sections.concentrations) {
      const p = plain.tests[t.id]!;
      const limit = new D(Math.abs(p.limit));
      const min = p.limit < 0;
      expect({ id: t.id, actual: t.actual, limit: t.limit, pass: t.pass, headroom: t.headroom, top: t.top }).toEqual({
        id: t.id,
        actual: six(p.actual),
        limit: six(limit),
        pass: min ? p.actual.gte(limit) : p.actual.lte(limit),
        headroom: six(min ? p.actual.minus(limit) : limit.minus(p.actual)),
        top: p.top,
      });
    }
  });

  it('agrees on the balance-sheet transition schedule', () => {
    const quarters = new Map<string, { amount: Decimal; count: number }>();
    for (const l of loans) {
      if (l.offBalanceSheet !== true) continue;
      const q = l.constructionStatus === 'OPERATIONAL' ? 'due' : `${l.expectedCompletionDate!.slice(0, 4)}-Q${Math.ceil(Number(l.expectedCompletionDate!.slice(5, 7)) / 3)}`;
      const e = quarters.get(q) ?? { amount: new D(0), count: 0 };
      e.amount = e.amount.plus(l.currentBalance);
      e.count++;
      quarters.set(q, e);
    }
    expect(quarters.size).toBeGreaterThan(4);
    const expected = [...quarters].sort(([a], [b]) => (a === 'due' ? -1 : b === 'due' ? 1 : a < b ? -1 : 1))
      .map(([quarter, e]) => ({ quarter, amount: money(e.amount), loanCount: e.count }));
    expect(sections.balanceSheetTransition.map(({ quarter, amount, loanCount }) => ({ quarter, amount, loanCount }))).toEqual(expected);
    for (const q of sections.balanceSheetTransition) {
      expect(q.byTenantGroup.reduce((s, g) => s.plus(g.amount), new D(0)).toFixed(2)).toBe(q.amount);
    }
  });

  it('writes sections that validate against the report schema', async () => {
    const schema = JSON.parse(await readFile(new URL('../../../schemas/dmbs-report.v1.schema.json', import.meta.url), 'utf8'));
    const validate = createAjv().compile(schema);
    const report = (s: EvaluationSections): DmbsReport => ({
      schemaVersion: 'dmbs-report/1',
      tape: { fileName: 'generated.csv', sha256: '0'.repeat(64), format: 'csv', reportingDate: summary.reportingDate, dealId: null },
      validation: buildValidationSection(summary, [], false),
      ...s,
    });
    expect(validate(report(sections)), JSON.stringify(validate.errors)).toBe(true);
    const acc = new PoolAccumulator(loadCriteria());
    expect(validate(report(buildEvaluationSections(acc, acc.criteria, '0.00'))), JSON.stringify(validate.errors)).toBe(true);
  });
});
