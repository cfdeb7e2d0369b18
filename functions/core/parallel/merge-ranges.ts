/**
 * Merges the partial results of a tape's ranges (range-task.ts) into what one pass over the whole
 * tape establishes: row numbers offset by the rows of earlier ranges, counters and data-quality
 * counts summed, findings in tape order, the cross-range rules settled — a loanId on several rows
 * (in any ranges) makes every one of them invalid; NDJSON reports each unknown key once — and the
 * first error, if any. Pure; the same merge gives the same result for any number of ranges.
 */
import { ConfigError, DmbsError, MappingError, TapeObjectError, TapeReadError, type DmbsErrorCode } from '../errors.ts';
import type { Finding } from '../generated/report.ts';
import type { ColumnPlan } from '../mapping/column-mapping.ts';
import { DataQualityCounter } from '../validation/data-quality.ts';
import type { KindValidation } from '../validation/kind-validation.ts';
import { duplicateIdFinding } from '../validation/findings.ts';
import { findDuplicates, type DuplicateGroup } from '../validation/loan-id-index.ts';
import { CellState } from '../validation/row-validator.ts';
import { noLoans, type ValidationSummary } from '../validation/tape-validator.ts';
import type { RangeError, RangeResult } from './range-task.ts';

/** The whole tape's validation, from its ranges. */
export interface MergedRanges {
  readonly summary: ValidationSummary;
  /** Every finding kept by the ranges, in the order one pass emits them (DUPLICATE_ID last). */
  readonly findings: Finding[];
  /** The first error (rows absolute), after which the tape cannot be checked; findings are those before it. */
  readonly error?: DmbsError;
  readonly duplicates: DuplicateGroup[];
  /** Row offset of each range. */
  readonly rowOffsets: number[];
}

/**
 * @param results one per range, in tape order.
 * @param plan the tape's column plan (CSV header; undefined for NDJSON).
 * @param loanIdHeader the tape's header of the identity column (for DUPLICATE_ID findings).
 * @param kind the tape kind's validation parts (its identity field and data-quality score).
 */
export function mergeRanges(results: readonly RangeResult[], plan: ColumnPlan | undefined, loanIdHeader: string | undefined, kind: KindValidation): MergedRanges {
  const rowOffsets: number[] = [];
  let offset = 0;
  for (const r of results) {
    rowOffsets.push(offset);
    offset += r.rows;
  }
  const findings: Finding[] = [];
  const reportedKeys = new Set<string>();
  const datePatterns = new Set<string>();
  let rowCount = 0;
  let valid = 0;
  let errors = 0;
  let warnings = 0;
  let reportingDate: string | null = null;
  let dealId: string | null = null;
  const quality = new DataQualityCounter(kind);
  for (let k = 0; k < results.length; k++) {
    const r = results[k]!;
    const rebase = rowOffsets[k]!;
    let dropped = 0;
    let droppedErrors = 0;
    for (const f of r.findings) {
      if (f.code === 'DATE_PATTERN') {
        // Reported once per column (tape-validator.ts): each range reported its first.
        if (datePatterns.has(f.field ?? '')) {
          droppedErrors++;
          continue;
        }
        datePatterns.add(f.field ?? '');
      }
      if (f.code === 'UNKNOWN_COLUMN' && plan === undefined) {
        // NDJSON: a key is reported once per tape, on the first line that carries it.
        if (reportedKeys.has(f.value ?? '')) {
          dropped++;
          continue;
        }
        reportedKeys.add(f.value ?? '');
      }
      findings.push(rebase === 0 ? f : rebaseFinding(f, rebase));
    }
    rowCount += r.rowCount;
    valid += r.validRowCount;
    errors += r.errorCount - droppedErrors;
    warnings += r.warningCount - dropped;
    reportingDate ??= r.reportingDate;
    dealId ??= r.dealIdFromRows;
    quality.merge(new DataQualityCounter(kind, r.quality, r.qualityRows));
    if (r.error) {
      return {
        summary: summaryOf(),
        findings,
        error: rebaseError(r.error, rebase),
        duplicates: [],
        rowOffsets,
      };
    }
  }

  const duplicates = findDuplicates(results.map((r) => r.ids), rowOffsets);
  const late: Finding[] = [];
  const loanIdIndex = kind.fieldByName.get(kind.idField)!.index;
  for (const group of duplicates) {
    const rows = group.rows.map((r) => r.row);
    for (const r of group.rows) {
      late.push(duplicateIdFinding(r.row, group.id, rows, loanIdHeader, kind));
      if (r.valid) valid--; // every row was counted with its own validity; a duplicated id makes each invalid
      quality.move(loanIdIndex, CellState.Valid, CellState.Invalid);
    }
  }
  late.sort((a, b) => a.row - b.row);
  errors += late.length;
  findings.push(...late);
  const summary = summaryOf(late, duplicates);
  const empty = noLoans(summary);
  if (empty) findings.push(empty.finding);
  return { summary: empty?.summary ?? summary, findings, duplicates, rowOffsets };

  function summaryOf(lateFindings: Finding[] = [], groups: DuplicateGroup[] = []): ValidationSummary {
    return {
      rowCount,
      validRowCount: valid,
      invalidRowCount: rowCount - valid,
      errorCount: errors,
      warningCount: warnings,
      reportingDate,
      dealIdFromRows: dealId,
      duplicateLoanIds: new Set(groups.map((g) => g.id)),
      lateFindings,
      dataQuality: quality,
      plan,
    };
  }
}

const LEADING_ROW = /^(Row|line) (\d+)/;

/** A finding of a later range with its row (and the row its message names first) made absolute. */
function rebaseFinding(f: Finding, offset: number): Finding {
  const row = f.row + offset;
  const m = LEADING_ROW.exec(f.message);
  const message = m && Number(m[2]) === f.row ? `${m[1]} ${row}${f.message.slice(m[0].length)}` : f.message;
  return { ...f, row, message };
}

const ERROR_CLASSES: Record<string, new (code: DmbsErrorCode, message: string, options?: { row?: number }) => DmbsError> = {
  TapeReadError, MappingError, ConfigError, TapeObjectError, DmbsError,
};

/** The range's error as thrown by a one-pass read: same class, code, and absolute row in its message. */
function rebaseError(e: RangeError, offset: number): DmbsError {
  const Class = ERROR_CLASSES[e.name] ?? DmbsError;
  let message = e.message;
  let row = e.row;
  const m = LEADING_ROW.exec(message);
  if (m && offset > 0) message = `${m[1]} ${Number(m[2]) + offset}${message.slice(m[0].length)}`;
  if (row !== undefined) row += offset;
  return new Class(e.code as DmbsErrorCode, message, row !== undefined ? { row } : {});
}
