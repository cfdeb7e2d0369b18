/**
 * The report side of comparing two tapes: data quality, pool figures, eligibility, test results
 * and score, before and after. Differences of decimal text are exact (decimal.js) and keep the
 * larger number of places of the two figures.
 */
import { Decimal } from 'decimal.js';
import type { DmbsReport } from '../generated/report.ts';

export type Figure = string | number | null;

export interface FigureChange {
  readonly name: string;
  readonly from: Figure;
  readonly to: Figure;
  /** to − from; null when either is missing or not a number. */
  readonly change: Figure;
}

export type TestOutcome = { readonly actual: string | null; readonly pass: boolean; readonly headroom: string | null } | null;

export interface TestChange {
  readonly id: string;
  readonly description: string;
  readonly limit: string;
  readonly limitType: 'max' | 'min';
  readonly unit?: string;
  readonly from: TestOutcome;
  readonly to: TestOutcome;
}

export type ScoreOutcome = { readonly points: string; readonly band: string } | null;

export interface ReportDiff {
  readonly dataQualityScore: FigureChange;
  readonly pool: FigureChange[];
  readonly eligibility: FigureChange[];
  readonly tests: TestChange[];
  readonly score: { readonly from: ScoreOutcome; readonly to: ScoreOutcome; readonly points: FigureChange };
}

const decimals = (text: string) => (text.includes('.') ? text.length - text.indexOf('.') - 1 : 0);

/** @example figure('wtdAvgLtv', '0.650000', '0.655000') // { ..., change: '0.005000' } */
export function figure(name: string, from: Figure | undefined, to: Figure | undefined): FigureChange {
  const f = from ?? null;
  const t = to ?? null;
  let change: Figure = null;
  if (typeof f === 'number' && typeof t === 'number') change = t - f;
  else if (f !== null && t !== null) {
    try {
      const d = new Decimal(String(t)).minus(new Decimal(String(f)));
      change = d.toFixed(Math.max(decimals(String(f)), decimals(String(t))));
    } catch {
      change = null;
    }
  }
  return { name, from: f, to: t, change };
}

/** Every figure the two reports hold, the union of their pool figures, criteria and tests. */
export function compareReports(fromReport: DmbsReport, toReport: DmbsReport): ReportDiff {
  const poolNames = [...new Set([...Object.keys(fromReport.pool ?? {}), ...Object.keys(toReport.pool ?? {})])].filter((k) => k !== 'reason');
  const poolValue = (r: DmbsReport, k: string) => (r.pool as Record<string, Figure> | undefined)?.[k] ?? null;

  const fe = fromReport.eligibility;
  const te = toReport.eligibility;
  const criteria = [...new Set([...Object.keys(fe?.failuresByCriterion ?? {}), ...Object.keys(te?.failuresByCriterion ?? {})])].sort();
  const eligibility: FigureChange[] = [
    figure('eligibleCount', fe?.eligibleCount, te?.eligibleCount),
    figure('ineligibleCount', fe?.ineligibleCount, te?.ineligibleCount),
    figure('eligibleBalance', fe?.eligibleBalance, te?.eligibleBalance),
    ...criteria.map((c) => figure(`failures.${c}`, fe?.failuresByCriterion[c], te?.failuresByCriterion[c])),
  ];

  const outcome = (r: DmbsReport, id: string): TestOutcome => {
    const t = r.concentrations?.find((c) => c.id === id);
    return t ? { actual: t.actual, pass: t.pass, headroom: t.headroom } : null;
  };
  const testIds = [...new Set([...(fromReport.concentrations ?? []), ...(toReport.concentrations ?? [])].map((t) => t.id))].sort();
  const tests = testIds.map((id): TestChange => {
    const def = toReport.concentrations?.find((t) => t.id === id) ?? fromReport.concentrations?.find((t) => t.id === id);
    return {
      id,
      description: def?.description ?? id,
      limit: def?.limit ?? '',
      limitType: def?.limitType ?? 'max',
      ...(def?.unit ? { unit: def.unit } : {}),
      from: outcome(fromReport, id),
      to: outcome(toReport, id),
    };
  });
  const score = (r: DmbsReport): ScoreOutcome => (r.score ? { points: r.score.points, band: r.score.band } : null);

  return {
    dataQualityScore: figure('dataQualityScore', fromReport.validation.dataQualityScore, toReport.validation.dataQualityScore),
    pool: poolNames.map((k) => figure(k, poolValue(fromReport, k), poolValue(toReport, k))),
    eligibility,
    tests,
    score: { from: score(fromReport), to: score(toReport), points: figure('points', fromReport.score?.points, toReport.score?.points) },
  };
}
