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
  return lines;
}
