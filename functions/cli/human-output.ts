/**
 * The human form of a report for the terminal: a short summary and the first findings as a table.
 * Everything here is presentation; the numbers come from the `dmbs-report/1` document.
 */
import type { DmbsReport } from '../core/generated/report.ts';

const n = (x: number) => x.toLocaleString('en-US');

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd());
}

/** Lines describing the report, first `shown` findings included. */
export function renderReport(report: DmbsReport, shown = 20): string[] {
  const { tape, validation: v } = report;
  const lines: string[] = [];
  lines.push(`${tape.fileName}  (${tape.format}${tape.sheet ? `, sheet '${tape.sheet}'` : ''}, ${n(v.rowCount)} rows, reportingDate ${tape.reportingDate ?? 'unknown'}${tape.dealId ? `, deal ${tape.dealId}` : ''})`);
  lines.push(`validation: ${n(v.validRowCount)} valid, ${n(v.invalidRowCount)} invalid rows · ${n(v.errorCount)} errors, ${n(v.warningCount)} warnings · data quality ${v.dataQualityScore} / 100`);
  if (v.errors.length > 0) {
    lines.push('', shown < v.errors.length ? `first ${shown} findings:` : 'findings:');
    lines.push(...table([
      ['ROW', 'FIELD', 'CODE', 'MESSAGE'],
      ...v.errors.slice(0, shown).map((e) => [String(e.row), e.field ?? '-', `${e.code}${e.severity === 'warning' ? ' (w)' : ''}`, e.message]),
    ]).map((l) => `  ${l}`));
    const more = v.errorCount + v.warningCount - Math.min(shown, v.errors.length);
    if (more > 0) lines.push(`  ... and ${n(more)} more (--json or --errors-out FILE.ndjson list them all)`);
  }
  lines.push(...renderEvaluation(report));
  return lines;
}

/** Eligibility, pool, tests, score and the balance-sheet transition schedule. */
function renderEvaluation(report: DmbsReport): string[] {
  const { eligibility: e, pool, concentrations, score, balanceSheetTransition: schedule } = report;
  const lines: string[] = [''];
  const failures = Object.entries(e.failuresByCriterion).filter(([, count]) => count > 0).map(([id, count]) => `${id} ${n(count)}`);
  lines.push(`eligibility: ${n(e.eligibleCount)} eligible, ${n(e.ineligibleCount)} ineligible · eligible balance ${e.eligibleBalance}${failures.length ? ` · failures: ${failures.join(', ')}` : ''}`);
  lines.push(pool.loanCount === 0
    ? `pool: no eligible loans${pool.reason ? ` (${pool.reason})` : ''}`
    : `pool: ${n(pool.loanCount)} loans, ${pool.currentBalance} · WA DSCR ${pool.waDscr} · WA LTV ${pool.waLtv} · WA rate ${pool.waInterestRate} · WA lease ${pool.waRemainingLeaseTermMonths} months · effective loans ${pool.effectiveLoanCount}`);
  lines.push('', 'concentration and pool tests:');
  lines.push(...table([
    ['TEST', 'RESULT', 'ACTUAL', 'LIMIT', 'HEADROOM', 'DESCRIPTION'],
    ...concentrations.map((t) => [t.id, t.pass ? 'pass' : 'FAIL', t.actual ?? '-', `${t.limitType === 'max' ? '<=' : '>='} ${t.limit}`, t.headroom ?? '-', t.description]),
  ]).map((l) => `  ${l}`));
  lines.push('', `score: ${score.points} / 100 — ${score.band} (indicative, not a credit rating)`);
  lines.push(...table([
    ['FACTOR', 'VALUE', 'POINTS', 'WEIGHT'],
    ...score.factors.map((f) => [f.name, f.value ?? '-', f.points, f.weight]),
  ]).map((l) => `  ${l}`));
  if (schedule.length > 0) {
    lines.push('', 'balance-sheet transition (offBalanceSheet loans returning on-balance-sheet):');
    lines.push(...table([
      ['QUARTER', 'AMOUNT', 'LOANS', 'LARGEST TENANT GROUPS'],
      ...schedule.map((q) => [q.quarter, q.amount, String(q.loanCount), q.byTenantGroup.slice(0, 3).map((g) => `${g.key} ${g.amount}`).join('; ')]),
    ]).map((l) => `  ${l}`));
  }
  return lines;
}
