/**
 * The `validation` section of `dmbs-report/1`, from a validation summary and the kept findings.
 */
import type { DmbsReport, Finding } from '../generated/report.ts';
import type { ValidationSummary } from '../validation/tape-validator.ts';

export function buildValidationSection(summary: ValidationSummary, errors: Finding[], truncated: boolean): DmbsReport['validation'] {
  const quality = summary.dataQuality.result();
  return {
    rowCount: summary.rowCount,
    validRowCount: summary.validRowCount,
    invalidRowCount: summary.invalidRowCount,
    errorCount: summary.errorCount,
    warningCount: summary.warningCount,
    dataQualityScore: quality.score,
    ...(truncated ? { errorsTruncated: true } : {}),
    errors,
    dataQuality: quality.fields,
  };
}
