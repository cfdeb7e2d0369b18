/**
 * The human form of a report for the terminal: a short summary and the first findings as a table.
 * Everything here is presentation; the numbers come from the `dmbs-report/1` document.
 */
import { Decimal } from 'decimal.js';
import type { DmbsReport } from '../core/generated/report.ts';

const n = (x: number) => x.toLocaleString('en-US');

/** How money is written: the deal currency before the amount. */
export interface RenderOptions {
  /** Findings listed (default 20). */
  readonly shown?: number;
  /** The deal currency (the criteria's dealCurrency). */
  readonly currency?: string;
}

/** Decimal text with thousands separators, from the text (never through a float). */
function grouped(text: string): string {
  const [int = '', dec] = text.split('.');
  const neg = int.startsWith('-');
  const digits = (neg ? int.slice(1) : int).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${neg ? '-' : ''}${digits}${dec !== undefined ? `.${dec}` : ''}`;
}

/** Money as `USD 90,000,000.00`. */
export function formatMoney(text: string | null | undefined, currency: string): string {
  return text === null || text === undefined ? '-' : `${currency} ${grouped(text)}`;
}

/** A figure in its unit: fractions as %, ratios as 1.60x, counts and months to one decimal. */
export function formatFigure(text: string | null | undefined, unit: string): string {
  if (text === null || text === undefined) return '-';
  const d = new Decimal(text);
  if (/fraction|share/.test(unit)) return `${d.times(100).toFixed(2)} %`;
  if (unit === 'ratio') return `${d.toFixed(2)}x`;
  if (unit === 'months') return `${d.toFixed(1)} months`;
  if (unit === 'score') return d.toFixed(2);
  return d.toFixed(1);
}

// The unit of each score metric, for display.
const METRIC_UNITS: Readonly<Record<string, string>> = {
  waLtv: 'fraction', waDscr: 'ratio', investmentGradeShare: 'share', waRatingFactor: 'factor',
  effectiveLoanCount: 'loans', largestTenantGroupShare: 'share', leaseToLoanTermRatio: 'ratio',
  notOperationalShare: 'share', dataQualityScore: 'score',
};

/** Rows as aligned columns (the first row is the header; the last column is not padded). */
export function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd());
}

/** Lines describing the report, first `shown` findings included. */
export function renderReport(report: DmbsReport, options: RenderOptions = {}): string[] {
  const currency = options.currency ?? 'USD';
  const lines = renderTapeAndFindings(report, options.shown ?? 20);
  lines.push(...renderEvaluation(report, currency));
  if (report.stress) lines.push(...renderStress(report.stress, report.pool, currency));
  if (report.watchlist) lines.push(...renderWatchlist(report.watchlist, currency));
  return lines;
}

/** The tape and validation sections, the same for every tape kind: a summary and the first `shown` findings. */
export function renderTapeAndFindings(report: Pick<DmbsReport, 'tape' | 'validation'>, shown: number): string[] {
  const { tape, validation: v } = report;
  const lines: string[] = [];
  lines.push(`${tape.fileName}  (${tape.format}${tape.sheet ? `, sheet '${tape.sheet}'` : ''}, ${n(v.rowCount)} rows, reportingDate ${tape.reportingDate ?? 'unknown'}${tape.dealId ? `, deal ${tape.dealId}` : ''})`);
  // Data quality is no headline figure when no row is valid: nothing can be evaluated.
  const quality = v.validRowCount === 0 ? 'no valid row' : `data quality ${v.dataQualityScore} / 100`;
  lines.push(`validation: ${n(v.validRowCount)} valid, ${n(v.invalidRowCount)} invalid rows · ${n(v.errorCount)} errors, ${n(v.warningCount)} warnings · ${quality}`);
  if (v.errors.length > 0) {
    lines.push('', shown < v.errors.length ? `first ${shown} findings:` : 'findings:');
    lines.push(...table([
      ['ROW', 'FIELD', 'CODE', 'MESSAGE'],
      ...v.errors.slice(0, shown).map((e) => [String(e.row), e.field ?? '-', `${e.code}${e.severity === 'warning' ? ' (w)' : ''}`, e.message]),
    ]).map((l) => `  ${l}`));
    const more = v.errorCount + v.warningCount - Math.min(shown, v.errors.length);
    if (more > 0) lines.push(`  ... and ${n(more)} more (--json or --errors-out FILE.ndjson list them all)`);
  }
  return lines;
}

/** A test as both kinds' reports write it. */
type TestRow = Pick<DmbsReport['concentrations'][number], 'id' | 'pass' | 'actual' | 'unit' | 'limitType' | 'limit' | 'headroom' | 'description'>;

/** The tests against their limits as a table, indented. */
export function renderTests(tests: readonly TestRow[]): string[] {
  return table([
    ['TEST', 'RESULT', 'ACTUAL', 'LIMIT', 'HEADROOM', 'DESCRIPTION'],
    ...tests.map((t) => [t.id, t.pass ? 'pass' : 'FAIL', formatFigure(t.actual, t.unit ?? ''), `${t.limitType === 'max' ? '<=' : '>='} ${formatFigure(t.limit, t.unit ?? '')}`, formatFigure(t.headroom, t.unit ?? ''), t.description]),
  ]).map((l) => `  ${l}`);
}

/** The score and its factors, each value in its metric's unit (`units`: metric -> unit). */
export function renderScore(score: Pick<DmbsReport['score'], 'points' | 'band' | 'factors'>, units: Readonly<Record<string, string>>): string[] {
  return [
    '', `score: ${new Decimal(score.points).toFixed(1)} / 100 — ${score.band} (indicative, not a credit rating)`,
    ...table([
      ['FACTOR', 'VALUE', 'POINTS', 'WEIGHT'],
      ...score.factors.map((f) => [f.name, formatFigure(f.value, (f.metric ? units[f.metric] : undefined) ?? ''), new Decimal(f.points).toFixed(1), formatFigure(f.weight, 'share')]),
    ]).map((l) => `  ${l}`),
  ];
}

/** The watchlist against the prior tape: counts by code and the first watched loans. */
function renderWatchlist(w: NonNullable<DmbsReport['watchlist']>, currency: string, shown = 10): string[] {
  const against = w.priorTape ? `against ${w.priorTape.fileName ?? w.priorTape.tapeId ?? 'the prior tape'} (${w.priorTape.reportingDate ?? 'no reporting date'})` : 'no prior tape';
  const codes = Object.entries(w.countsByCode).filter(([, n]) => n > 0).map(([code, n]) => `${code} ${n.toLocaleString('en-US')}`);
  const lines = ['', `watchlist ${against}: ${w.loanCount.toLocaleString('en-US')} loans, ${formatMoney(w.balance, currency)} (${formatFigure(w.share, 'share')})${codes.length ? ` · ${codes.join(', ')}` : ''}`];
  if (w.loans.length > 0) {
    lines.push(...table([['ROW', 'LOAN ID', 'CODES'], ...w.loans.slice(0, shown).map((l) => [String(l.row), l.loanId, l.codes.join(' ')])]).map((l) => `  ${l}`));
    if (w.loans.length > shown) lines.push(`  ... and ${(w.loans.length - shown).toLocaleString('en-US')} more (--json lists them all)`);
  }
  return lines;
}

/** The stress lens: issuer against stressed figures, credit enhancement by rating level, tranches. */
export function renderStress(st: NonNullable<DmbsReport['stress']>, pool: DmbsReport['pool'], currency: string): string[] {
  const lines = ['', `stress (model ${st.model.id} ${st.model.version}; stressed credit enhancement, an analytical view, not a credit rating):`];
  const p = st.pool;
  if (p.stressedNcf === null) return [...lines, '  no eligible loans'];
  lines.push(...table([
    ['', 'ISSUER', 'STRESSED', 'HAIRCUT'],
    ['NCF', formatMoney(p.underwrittenNcf, currency), formatMoney(p.stressedNcf, currency), formatFigure(p.ncfHaircut, 'fraction')],
    ['value', formatMoney(p.appraisedValue, currency), formatMoney(p.stressedValue, currency), formatFigure(p.valueHaircutToAppraisal, 'fraction')],
    ['LTV', `${formatFigure(pool.waLtv, 'fraction')} (WA)`, formatFigure(p.stressedLtv, 'fraction'), ''],
    ['DSCR', `${formatFigure(pool.waDscr, 'ratio')} (WA)`, formatFigure(p.stressedDscr, 'ratio'), ''],
    ['debt yield', '', formatFigure(p.stressedDebtYield, 'fraction'), ''],
  ]).map((l) => `  ${l}`));
  lines.push('  credit enhancement by rating level:');
  lines.push(...table([
    ['RATING', 'MAX STRESSED LTV', 'MAX BALANCE', 'CREDIT ENHANCEMENT'],
    ...st.creditEnhancement.map((l) => [l.rating, formatFigure(l.maxStressedLtv, 'fraction'), formatMoney(l.maxBalance, currency), formatFigure(l.creditEnhancement, 'fraction')]),
  ]).map((l) => `    ${l}`));
  if (st.tranches.length > 0) {
    lines.push('  tranches (senior first):');
    lines.push(...table([
      ['TRANCHE', 'SHARE', 'ATTACHMENT', 'DETACHMENT', 'CUM. STRESSED LTV', 'IMPLIED RATING'],
      ...st.tranches.map((t) => [t.name, formatFigure(t.share, 'share'), formatFigure(t.attachment, 'fraction'), formatFigure(t.detachment, 'fraction'), formatFigure(t.cumulativeStressedLtv, 'fraction'), t.impliedRating]),
    ]).map((l) => `    ${l}`));
  }
  return lines;
}

/** Eligibility, pool, tests, score and the balance-sheet transition schedule. */
function renderEvaluation(report: DmbsReport, currency: string): string[] {
  const { eligibility: e, pool, concentrations, score, balanceSheetTransition: schedule } = report;
  const lines: string[] = [''];
  const failures = Object.entries(e.failuresByCriterion).filter(([, count]) => count > 0).map(([id, count]) => `${id} ${n(count)}`);
  lines.push(`eligibility: ${n(e.eligibleCount)} eligible, ${n(e.ineligibleCount)} ineligible · eligible balance ${formatMoney(e.eligibleBalance, currency)}${failures.length ? ` · failures: ${failures.join(', ')}` : ''}`);
  lines.push(pool.loanCount === 0
    ? `pool: no eligible loans${pool.reason ? ` (${pool.reason})` : ''}`
    : `pool: ${n(pool.loanCount)} loans, ${formatMoney(pool.currentBalance, currency)} · WA DSCR ${formatFigure(pool.waDscr, 'ratio')} · WA LTV ${formatFigure(pool.waLtv, 'fraction')} · WA rate ${formatFigure(pool.waInterestRate, 'fraction')} · WA lease ${formatFigure(pool.waRemainingLeaseTermMonths, 'months')} · effective loans ${formatFigure(pool.effectiveLoanCount, 'loans')}`);
  lines.push('', 'concentration and pool tests:', ...renderTests(concentrations));
  lines.push(...renderScore(score, METRIC_UNITS));
  if (schedule.length > 0) {
    lines.push('', 'balance-sheet transition (offBalanceSheet loans returning on-balance-sheet):');
    lines.push(...table([
      ['QUARTER', 'AMOUNT', 'LOANS', 'LARGEST TENANT GROUPS'],
      ...schedule.map((q) => [q.quarter, formatMoney(q.amount, currency), String(q.loanCount), q.byTenantGroup.slice(0, 3).map((g) => `${g.key} ${formatMoney(g.amount, currency)}`).join('; ')]),
    ]).map((l) => `  ${l}`));
  }
  return lines;
}
