/**
 * The human form of a compute tape's report (docs/compute-tape.md) for `dmbs check`: the tape and
 * findings as for a loan tape, then eligibility G01-G09, the pool, the K01-K07 tests, the residual
 * LTV path with its worst point, and the score. Presentation only: the figures come from the report.
 */
import type { ComputeReportSections } from '../core/generated/compute-report.ts';
import type { DmbsComputeReport } from '../core/report/compute-report.ts';
import { formatFigure, formatMoney, renderScore, renderTapeAndFindings, renderTests, table, type RenderOptions } from './human-output.ts';

/** A compute tape's report: the tape (with `kind: "compute"`) and validation sections of every kind, and the compute sections. */
export type ComputeReport = Pick<DmbsComputeReport, 'tape' | 'validation' | keyof ComputeReportSections>;

// The unit of each compute score metric (schemas/compute-score-model.json), for display.
const METRIC_UNITS: Readonly<Record<string, string>> = {
  worstResidualLtv: 'fraction', contractCoverage: 'ratio', investmentGradeRevenueShare: 'share',
  largestCustomerGroupShare: 'share', largestModelShare: 'share', waAgeMonths: 'months',
};

const n = (x: number) => x.toLocaleString('en-US');

/**
 * Lines describing a compute tape's report, first `shown` findings included.
 * @example for (const line of renderComputeReport(report, { currency: 'USD' })) console.log(line);
 */
export function renderComputeReport(report: ComputeReport, options: RenderOptions = {}): string[] {
  const currency = options.currency ?? 'USD';
  const { eligibility: e, pool, concentrations, score } = report;
  const lines = renderTapeAndFindings(report, options.shown ?? 20);
  const failures = Object.entries(e.failuresByCriterion).filter(([, count]) => count > 0).map(([id, count]) => `${id} ${n(count)}`);
  lines.push('', `eligibility: ${n(e.eligibleCount)} eligible, ${n(e.ineligibleCount)} ineligible lots · eligible balance ${formatMoney(e.eligibleBalance, currency)}${failures.length ? ` · failures: ${failures.join(', ')}` : ''}`);
  lines.push(pool.lotCount === 0 || pool.reason
    ? `pool: ${n(pool.lotCount)} lots${pool.reason ? ` (${pool.reason})` : ''}`
    : `pool: ${n(pool.lotCount)} lots, ${formatMoney(pool.currentBalance, currency)} · residual value now ${formatMoney(pool.residualNow, currency)} · PV of contracted revenue ${formatMoney(pool.pvContracted, currency)}`);
  lines.push('', 'pool tests:', ...renderTests(concentrations));
  lines.push(...renderPath(pool.residualPath, concentrations.find((t) => t.id === 'K06'), currency));
  lines.push(...renderScore(score, METRIC_UNITS));
  return lines;
}

/** The residual LTV path as a table, the worst point marked (K06's worstDate). */
function renderPath(path: ComputeReportSections['pool']['residualPath'], k06: ComputeReportSections['concentrations'][number] | undefined, currency: string): string[] {
  if (path.length === 0) return ['', `residual LTV path: none${k06?.reason ? ` (${k06.reason})` : ''}`];
  const worst = k06?.worstDate ?? null;
  const limit = k06 ? `; K06 limit ${formatFigure(k06.limit, 'fraction')}` : '';
  return [
    '', `residual LTV path (balance outstanding / residual value${limit}):`,
    ...table([
      ['DATE', 'BALANCE', 'RESIDUAL', 'LTV', ''],
      ...path.map((p) => [p.date, formatMoney(p.balance, currency), formatMoney(p.residual, currency), formatFigure(p.ltv, 'fraction'), p.date === worst ? '<- worst' : '']),
    ]).map((l) => `  ${l}`),
  ];
}
