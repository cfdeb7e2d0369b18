/**
 * Runs the enabled concentration and pool tests (the DMBS standard, "Concentration tests") on an
 * aggregate: actual, limit, pass, headroom in the limit's unit, and the 5 largest contributors.
 * Pass is decided on the exact actual; figures are rounded half-even to 6 decimals when written.
 */
import type { ConcentrationTest as ConcentrationTestResult } from '../generated/report.ts';
import { CONCENTRATION_TESTS } from './concentrations/index.ts';
import { describeTest, testUnit, type ConcentrationTestId, type DealCriteria } from './criteria.ts';
import { formatFigure } from './exact.ts';
import { judge, limitOf, TOP_CONTRIBUTORS, type TestOutcome } from './test-outcome.ts';
import type { PoolAggregate } from './pool-accumulator.ts';
import { emptyPoolReason, poolMetrics, shareOf } from './pool-metrics.ts';

/** The exact outcome of one test (actual null for an empty pool). */
export type ConcentrationOutcome = TestOutcome<ConcentrationTestId>;

/** Every enabled test's exact outcome, in id order. */
export function runConcentrationTests(pool: PoolAggregate, criteria: DealCriteria): ConcentrationOutcome[] {
  const metrics = poolMetrics(pool);
  const out: ConcentrationOutcome[] = [];
  for (const test of CONCENTRATION_TESTS) {
    const limits = criteria.concentrations[test.id] as { enabled: boolean; max?: number; min?: number };
    if (!limits.enabled) continue;
    const { limitType, limit } = limitOf(limits);
    const actual = metrics ? test.actual(pool, metrics) : null;
    const top = metrics ? test.contributors(pool).slice(0, TOP_CONTRIBUTORS).map((c) => ({ key: c.key, share: shareOf(c.cents, pool) })) : [];
    out.push({ id: test.id, limitType, limit, actual, ...judge(actual, limitType, limit), top });
  }
  return out;
}

/** The report's `concentrations` section. */
export function buildConcentrationsSection(pool: PoolAggregate, criteria: DealCriteria): ConcentrationTestResult[] {
  const reason = emptyPoolReason(pool);
  return runConcentrationTests(pool, criteria).map((o) => {
    return {
      id: o.id,
      description: describeTest(o.id, criteria),
      actual: o.actual === null ? null : formatFigure(o.actual),
      limit: formatFigure(o.limit),
      limitType: o.limitType,
      unit: testUnit(o.id),
      pass: o.pass,
      headroom: o.headroom === null ? null : formatFigure(o.headroom),
      top: o.top.map((t) => ({ key: t.key, share: formatFigure(t.share) })),
      ...(o.actual === null && reason ? { reason } : {}),
    };
  });
}
