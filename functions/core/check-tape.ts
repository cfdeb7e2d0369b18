/**
 * Checks one tape end to end in one streaming pass: detect the format, read records, map, coerce,
 * validate, apply cross-row rules, and build the `dmbs-report/1` document. Pure: bytes come from
 * `open()`, findings leave through callbacks; the CLI, the Lambda steps and the local runner all
 * call this one function. (parallel/check-tape-parallel.ts gives the same report from several
 * threads: `dmbs check --workers N`.) A tape with duplicated loanIds is read a second time to
 * evaluate it without them; that read only coerces the rows the first found valid.
 */
import type { ColumnMapping } from './generated/column-mapping.ts';
import type { DmbsLoan } from './generated/loan-tape.ts';
import type { EvaluatedLoan } from './evaluation/evaluated-loan.ts';
import type { DmbsReport, Finding } from './generated/report.ts';
import { MeteredSource } from './readers/byte-meter.ts';
import { recordSource } from './readers/record-source.ts';
import { detectFormat, type TapeFormat } from './readers/tape-format.ts';
import type { ByteSource } from './readers/types.ts';
import type { XlsxLimits } from './readers/xlsx-reader.ts';
import { RecordPass } from './pass/record-pass.ts';
import { buildValidationSection } from './report/validation-section.ts';
import { noLoans, type ValidationSummary } from './validation/tape-validator.ts';
import { LOAN_TAPE_KIND, type LoanTapeKind } from './kinds/loan-tape/kind.ts';
import { TapeReadError } from './errors.ts';
import { PoolAccumulator, buildEvaluationSections, loadCriteria, type DealCriteria, type LoanEvaluation } from './evaluation/index.ts';
import { loanStressFields, type LoanStressFields, type StressModel } from './stress/index.ts';

export interface CheckTapeOptions {
  /** The tape's kind (default: the loan tape); its validator reads the rows. */
  readonly kind?: LoanTapeKind;
  /** Name shown in messages and written to the report. */
  readonly fileName: string;
  /** Opens the tape's bytes: called once, and a second time when the tape has duplicated loanIds (see below). */
  readonly open: () => ByteSource | Promise<ByteSource>;
  /** Forces a format; otherwise detected from content and name. */
  readonly format?: TapeFormat;
  readonly mapping?: ColumnMapping;
  /** XLSX: sheet to read (default: the mapping's, else the first). */
  readonly sheet?: string;
  /** Deal the tape belongs to (from the upload); otherwise the first row's dealId. */
  readonly dealId?: string;
  /** Most findings kept in `report.validation.errors` (default: all). `onFinding` still sees every one. */
  readonly maxErrors?: number;
  /** The readers' limits; the XLSX ones apply to workbooks only. */
  readonly limits?: Partial<XlsxLimits>;
  /** The deal's criteria (default: schemas/default-criteria.json). */
  readonly criteria?: DealCriteria;
  /** The deal's stress model (default: schemas/stress-model.json). */
  readonly stress?: StressModel;
  /**
   * false: validation only — no eligibility or pool work, and no second read for duplicated ids;
   * the report's evaluation sections then describe an empty pool. For the pipeline's validate
   * step, which keeps the tape and validation sections and leaves evaluation to the evaluate step.
   * (Honoured by checkTape; the parallel check always evaluates.)
   */
  readonly evaluate?: boolean;
  /** Each valid loan's eligibility and stressed figures (null when ineligible), in row order (`--loans-out`). */
  readonly onLoanEvaluation?: (evaluation: LoanEvaluation & LoanStressFields & { row: number }) => void;
  /** Each evaluated loan (the fields evaluation reads), beside `onLoanEvaluation` and voided with it by `onEvaluationRestart`. */
  readonly onEvaluatedLoan?: (loan: EvaluatedLoan, row: number) => void;
  /**
   * Called when the loan evaluations delivered so far are void: the tape turned out to carry
   * duplicated loanIds (known only at its end), so its loans are evaluated again in a second read
   * that leaves those loans out. `onLoanEvaluation` then delivers the final list from the start.
   */
  readonly onEvaluationRestart?: () => void;
  /** Every finding, as found (DUPLICATE_ID findings come at the end). */
  readonly onFinding?: (finding: Finding) => void;
  /** Each valid loan as validated; a loan later found to carry a duplicated id is in `duplicateLoanIds`. */
  readonly onLoan?: (loan: DmbsLoan, row: number) => void;
  /** Progress, called at most once per chunk read. */
  readonly onProgress?: (progress: { bytesRead: number; rows: number }) => void;
  /** Clock for `generatedAt` (tests pin it). */
  readonly now?: () => Date;
  /** false: NDJSON lines are all read with JSON.parse, none by the scanner (tests compare the two; see TapeValidatorOptions). */
  readonly ndjsonScan?: boolean;
}

export interface CheckTapeResult {
  readonly report: DmbsReport;
  readonly summary: ValidationSummary;
  readonly format: TapeFormat;
  readonly sha256: string;
}

/**
 * Validates a tape and returns its report.
 * @example
 * const { report } = await checkTape({ fileName: 'tape.csv', open: () => fileSource('tape.csv') });
 */
export async function checkTape(options: CheckTapeOptions): Promise<CheckTapeResult> {
  const criteria = options.criteria ?? loadCriteria();
  const kept = new FindingList(options.maxErrors);
  const evaluate = options.evaluate !== false;
  let accumulator = new PoolAccumulator(criteria, options.stress);
  const evaluated = (loan: EvaluatedLoan, row: number) => {
    const evaluation = accumulator.add(loan);
    if (options.onLoanEvaluation) options.onLoanEvaluation({ ...evaluation, ...loanStressFields(loan, accumulator.stressModel, evaluation.eligible), row });
    options.onEvaluatedLoan?.(loan, row);
  };
  const first = await readPass(options, undefined, {
    onFinding: (f) => { kept.push(f); options.onFinding?.(f); },
    onLoan: (loan, row, validated) => {
      options.onLoan?.(validated!, row);
      if (evaluate) evaluated(loan, row);
    },
  });
  const { summary, format, sha256, extra } = first;
  if (evaluate && summary.duplicateLoanIds.size > 0) {
    // Duplicated ids are known only at the end; evaluate again without them (exactness over speed, rare).
    options.onEvaluationRestart?.();
    accumulator = new PoolAccumulator(criteria, options.stress);
    await readPass({ ...options, format, onProgress: undefined }, summary.duplicateLoanIds, { onFinding: () => {}, onLoan: evaluated }, first.validity);
  }
  const report = buildReport(options, { summary, format, sha256, extra }, kept.sorted(), kept.truncated, accumulator, criteria);
  return { report, summary, format, sha256 };
}

/** The `dmbs-report/1` document of a checked tape (shared by the one-pass and the parallel check). */
export function buildReport(
  options: Pick<CheckTapeOptions, 'fileName' | 'dealId' | 'now'>,
  pass: PassResult,
  errors: Finding[],
  truncated: boolean,
  accumulator: PoolAccumulator,
  criteria: DealCriteria,
): DmbsReport {
  const { summary, format, sha256, extra } = pass;
  const validation = buildValidationSection(summary, errors, truncated);
  return {
    schemaVersion: 'dmbs-report/1',
    generatedAt: (options.now?.() ?? new Date()).toISOString(),
    tape: {
      fileName: options.fileName,
      sha256,
      format,
      reportingDate: summary.reportingDate,
      dealId: options.dealId ?? summary.dealIdFromRows,
      ...extra,
      ...(summary.plan ? { columns: summary.plan.columns.map((c) => ({ header: c.header, field: c.field?.name ?? null, matchedBy: c.matchedBy })) } : {}),
    },
    validation,
    ...buildEvaluationSections(accumulator, criteria, validation.dataQualityScore),
  };
}

/** What one read of a tape established. */
export interface PassResult {
  readonly summary: ValidationSummary;
  readonly format: TapeFormat;
  readonly sha256: string;
  readonly extra: { sheet?: string; delimiter?: string };
  /** Which rows were valid, a bit each (TapeValidator.validity), for a second read. */
  readonly validity?: Uint8Array;
}

/**
 * One streaming read of the tape: records → validator (pass/record-pass.ts). Valid loans go to
 * `sink.onLoan`, except those whose loanId is in `exclude` (and every row a duplicate id is found on later).
 */
async function readPass(
  options: CheckTapeOptions,
  exclude: ReadonlySet<string> | undefined,
  sink: { onFinding(f: Finding): void; onLoan(loan: EvaluatedLoan, row: number, validated: DmbsLoan | undefined): void },
  validity?: Uint8Array,
): Promise<PassResult> {
  let pass: RecordPass | undefined;
  const source = new MeteredSource(await options.open(), (bytesRead) => options.onProgress?.({ bytesRead, rows: pass?.rows ?? 0 }));
  const head = await source.head();
  if (head.length === 0) throw new TapeReadError('TAPE_EMPTY', 'the file is empty; a tape needs a header row and one row per loan');
  const format = options.format ?? detectFormat(options.fileName, head);
  const validator = (options.kind ?? LOAN_TAPE_KIND).createValidator({ ...(options.mapping ? { mapping: options.mapping } : {}), ...(options.ndjsonScan === false ? { ndjsonScan: false } : {}) });
  const emit = (findings: readonly Finding[]) => { for (const f of findings) sink.onFinding(f); };
  const extra: { sheet?: string; delimiter?: string } = {};
  const sheet = format === 'xlsx' ? options.sheet ?? options.mapping?.sheet : undefined;
  if (sheet) extra.sheet = sheet;
  // A second read (`validity` from the first): rows the first read found invalid are skipped, the
  // others only coerced — not validated again — and handed on unless their id is excluded.
  pass = new RecordPass(validator, { findings: emit, loan: (loan, row, validated) => sink.onLoan(loan, row, validated) }, {
    ...(exclude ? { exclude } : {}), ...(validity ? { validity } : {}),
  });
  const read = recordSource(format, {
    ...(options.limits ? { limits: options.limits } : {}),
    ...(sheet ? { sheet } : {}),
    onDelimiter: (d: string) => (extra.delimiter = d),
  });
  await read(source, pass);
  let summary = validator.finish();
  const empty = noLoans(summary);
  if (empty) {
    summary = empty.summary;
    sink.onFinding(empty.finding);
  }
  emit(summary.lateFindings);
  return { summary, format, sha256: source.sha256(), extra, validity: validator.validity() };
}

/** Keeps findings up to a cap, and hands them back in row order. */
export class FindingList {
  readonly #items: Finding[] = [];
  truncated = false;
  constructor(private readonly cap = Number.POSITIVE_INFINITY) {}
  push(f: Finding): void {
    if (this.#items.length < this.cap) this.#items.push(f);
    else this.truncated = true;
  }
  sorted(): Finding[] {
    return this.#items.sort((a, b) => a.row - b.row);
  }
}
