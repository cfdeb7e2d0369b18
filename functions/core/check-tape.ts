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
import { LOAN_TAPE_KIND, type LoanTapeSettings } from './kinds/loan-tape/kind.ts';
import type { ComputeSettings } from './kinds/compute/pool-accumulator.ts';
import { detectKind, mappedFields, TAPE_KINDS, type AnyTapeKind, type TapeKindId } from './kinds/registry.ts';
import type { SomeTapeKind } from './kinds/tape-kind.ts';
import { KindDetectingPass } from './pass/kind-detecting-pass.ts';
import { checkMappingFields } from './mapping/mapping-file.ts';
import { MappingError, TapeReadError } from './errors.ts';
import { loadCriteria, type DealCriteria, type LoanEvaluation } from './evaluation/index.ts';
import { loadStressModel, type LoanStressFields, type StressModel } from './stress/index.ts';

/** Each kind's deal settings, by kind id (a kind without an entry uses its published defaults). */
export interface KindSettings {
  readonly loan?: LoanTapeSettings;
  readonly compute?: ComputeSettings;
}

export interface CheckTapeOptions {
  /**
   * The tape's kind (a deal's declared kind, `--kind`); otherwise detected from the header
   * (kinds/registry.ts). A header that makes a tape of another kind than the one named is
   * KIND_MISMATCH, never read as the wrong kind.
   */
  readonly kind?: AnyTapeKind;
  /**
   * Why `kind` is the tape's kind, and what a user does about a tape of another kind, for the
   * KIND_MISMATCH message (default: named with `dmbs check --kind`).
   */
  readonly kindNamedBy?: { readonly why: string; readonly remedy: (otherKind: string) => string };
  /** The deal's settings per kind; the loan tape's also from `criteria` and `stress`. */
  readonly settings?: KindSettings;
  /**
   * The deal's documents (parsed JSON and their names: criteria, criteriaSource, stress, curve, …),
   * read by the tape's kind once it is known (`kind.loadSettings`) when `settings` has none for it.
   */
  readonly dealDocuments?: Readonly<Record<string, unknown>>;
  /** Where `mapping` came from, for messages (its fields are checked against the tape's kind). */
  readonly mappingSource?: string;
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
  /** Each valid loan's eligibility and stressed figures (null when ineligible), in row order (`--loans-out`). Loan tapes only. */
  readonly onLoanEvaluation?: (evaluation: LoanEvaluation & LoanStressFields & { row: number }) => void;
  /** Each valid row's evaluation, any kind (a loan's as `onLoanEvaluation`; a lot's: lotId, eligible, failures), in row order, voided by `onEvaluationRestart` too. */
  readonly onRowEvaluation?: (evaluation: Readonly<Record<string, unknown>> & { eligible: boolean; row: number }) => void;
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
  /** Each valid loan as validated; a loan later found to carry a duplicated id is in `duplicateLoanIds`. Loan tapes only. */
  readonly onLoan?: (loan: DmbsLoan, row: number) => void;
  /** Each valid row as validated, any kind (a loan, a lot), as `onLoan`. */
  readonly onRow?: (row: Readonly<Record<string, unknown>>, rowNumber: number) => void;
  /** Progress, called at most once per chunk read. */
  readonly onProgress?: (progress: { bytesRead: number; rows: number }) => void;
  /** Clock for `generatedAt` (tests pin it). */
  readonly now?: () => Date;
  /** false: NDJSON lines are all read with JSON.parse, none by the scanner (tests compare the two; see TapeValidatorOptions). */
  readonly ndjsonScan?: boolean;
}

export interface CheckTapeResult {
  /** The report; a tape of another kind than the loan tape has that kind's sections (`report.tape.kind`, see isComputeReport). */
  readonly report: DmbsReport;
  /** The tape's kind, named or detected. */
  readonly kind: TapeKindId;
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
  const kept = new FindingList(options.maxErrors);
  const evaluate = options.evaluate !== false;
  let run: KindRun | undefined;
  const start = (kind: AnyTapeKind): KindRun => (run = kindRun(kind, options));
  const evaluated = (row: object, rowNumber: number) => {
    const evaluation = run!.evaluate(row, rowNumber);
    const line = { ...evaluation, row: rowNumber };
    if (run!.kind.id === 'loan') options.onLoanEvaluation?.(line as LoanEvaluation & LoanStressFields & { row: number });
    options.onRowEvaluation?.(line as Record<string, unknown> & { eligible: boolean; row: number });
    if (run!.kind.id === 'loan') options.onEvaluatedLoan?.(row as EvaluatedLoan, rowNumber);
  };
  const first = await readPass(options, undefined, start, {
    onFinding: (f) => { kept.push(f); options.onFinding?.(f); },
    onLoan: (loan, row, validated) => {
      if (run!.kind.id === 'loan') options.onLoan?.(validated as DmbsLoan, row);
      options.onRow?.(validated as Record<string, unknown>, row);
      if (evaluate) evaluated(loan, row);
    },
  });
  const { summary, format, sha256, extra } = first;
  const kind = run?.kind ?? options.kind ?? LOAN_TAPE_KIND; // (no record at all: nothing chose one)
  run ??= kindRun(kind, options);
  if (evaluate && summary.duplicateLoanIds.size > 0) {
    // Duplicated ids are known only at the end; evaluate again without them (exactness over speed, rare).
    options.onEvaluationRestart?.();
    run = kindRun(kind, options);
    await readPass({ ...options, kind, format, onProgress: undefined }, summary.duplicateLoanIds, () => run!, { onFinding: () => {}, onLoan: evaluated }, first.validity);
  }
  const report = buildReport(options, { summary, format, sha256, extra }, kept.sorted(), kept.truncated, kind, (dq) => run!.sections(dq));
  return { report, summary, format, sha256, kind: kind.id };
}

/** One kind's evaluation of one read: its settings, its aggregate, untyped for the generic pass. */
export interface KindRun {
  readonly kind: AnyTapeKind;
  evaluate(row: object, rowNumber: number): Record<string, unknown> & { eligible: boolean };
  sections(dataQualityScore: string): object;
}

/** A kind's evaluation with the deal's settings from `options` (the kind's defaults without them). */
export function kindRun(kind: AnyTapeKind, options: Pick<CheckTapeOptions, 'settings' | 'criteria' | 'stress' | 'dealDocuments'>): KindRun {
  const k = kind as SomeTapeKind;
  const aggregate = k.createAccumulator(settingsOf(kind, options));
  return {
    kind,
    evaluate: (row, rowNumber) => k.evaluate(aggregate, row, rowNumber),
    sections: (dq) => k.buildSections(aggregate, dq),
  };
}

/** The deal's settings of a kind: `options.settings[kind.id]`, the loan tape's also from `criteria` and `stress`, else the defaults. */
export function settingsOf(kind: AnyTapeKind, options: Pick<CheckTapeOptions, 'settings' | 'criteria' | 'stress' | 'dealDocuments'>): unknown {
  const given = options.settings?.[kind.id];
  if (given) return given;
  if (options.dealDocuments) return (kind as SomeTapeKind).loadSettings(options.dealDocuments as Record<string, unknown>);
  if (kind.id === 'loan') return { criteria: options.criteria ?? loadCriteria(), stress: options.stress ?? loadStressModel() };
  return kind.loadSettings();
}

/** The `dmbs-report/1` document of a checked tape (shared by the one-pass and the parallel check); `sections`: the kind's, given the data-quality score. */
export function buildReport(
  options: Pick<CheckTapeOptions, 'fileName' | 'dealId' | 'now'>,
  pass: PassResult,
  errors: Finding[],
  truncated: boolean,
  kind: AnyTapeKind,
  sections: (dataQualityScore: string) => object,
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
      // The loan tape's reports stay as they were before kinds: only another kind is written.
      ...(kind.id === LOAN_TAPE_KIND.id ? {} : { kind: kind.id }),
      reportingDate: summary.reportingDate,
      dealId: options.dealId ?? summary.dealIdFromRows,
      ...extra,
      ...(summary.plan ? { columns: summary.plan.columns.map((c) => ({ header: c.header, field: c.field?.name ?? null, matchedBy: c.matchedBy })) } : {}),
    },
    validation,
    ...(sections(validation.dataQualityScore) as Pick<DmbsReport, 'eligibility' | 'pool' | 'concentrations' | 'score' | 'balanceSheetTransition'>),
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
 * One streaming read of the tape: records → validator (pass/record-pass.ts). The tape's kind is
 * the named one or, when none is named, the one its header makes (`start` is told it at the first
 * record). Valid rows go to `sink.onLoan`, except those whose id is in `exclude` (and every row a
 * duplicate id is found on later).
 */
async function readPass(
  options: CheckTapeOptions,
  exclude: ReadonlySet<string> | undefined,
  start: (kind: AnyTapeKind) => KindRun,
  sink: { onFinding(f: Finding): void; onLoan(row: object, rowNumber: number, validated: object | undefined): void },
  validity?: Uint8Array,
): Promise<PassResult> {
  let pass: { readonly rows: number } | undefined;
  const source = new MeteredSource(await options.open(), (bytesRead) => options.onProgress?.({ bytesRead, rows: pass?.rows ?? 0 }));
  const head = await source.head();
  if (head.length === 0) throw new TapeReadError('TAPE_EMPTY', 'the file is empty; a tape needs a header row and one row per loan');
  const format = options.format ?? detectFormat(options.fileName, head);
  const emit = (findings: readonly Finding[]) => { for (const f of findings) sink.onFinding(f); };
  const extra: { sheet?: string; delimiter?: string } = {};
  const sheet = format === 'xlsx' ? options.sheet ?? options.mapping?.sheet : undefined;
  if (sheet) extra.sheet = sheet;
  let validator: ReturnType<AnyTapeKind['createValidator']> | undefined;
  // A second read (`validity` from the first): rows the first read found invalid are skipped, the
  // others only coerced — not validated again — and handed on unless their id is excluded.
  const passOf = (kind: AnyTapeKind) => {
    start(kind);
    if (options.mapping) checkMappingFields(options.mapping, options.mappingSource ?? 'the column mapping', kind.validation.fieldByName, `the ${kind.rowNoun} tape's standard`);
    validator = kind.createValidator({ ...(options.mapping ? { mapping: options.mapping } : {}), ...(options.ndjsonScan === false ? { ndjsonScan: false } : {}) });
    return new RecordPass<object, object>(validator as never, { findings: emit, loan: (row, n, validated) => sink.onLoan(row, n, validated) }, {
      ...(exclude ? { exclude } : {}), ...(validity ? { validity } : {}),
    });
  };
  const detecting = new KindDetectingPass((headers) => passOf(kindOfHeader(headers, options)));
  pass = detecting;
  const read = recordSource(format, {
    ...(options.limits ? { limits: options.limits } : {}),
    ...(sheet ? { sheet } : {}),
    onDelimiter: (d: string) => (extra.delimiter = d),
  });
  await read(source, detecting);
  detecting.finish();
  if (!validator) passOf(options.kind ?? LOAN_TAPE_KIND); // a tape without records: the named or default kind
  let summary = validator!.finish();
  const empty = noLoans(summary);
  if (empty) {
    summary = empty.summary;
    sink.onFinding(empty.finding);
  }
  emit(summary.lateFindings);
  return { summary, format, sha256: source.sha256(), extra, validity: validator!.validity() };
}

/**
 * The kind of a tape whose header is `headers`: the named kind (KIND_MISMATCH when the header
 * makes a tape of another kind), else the detected one.
 */
export function kindOfHeader(headers: readonly string[], options: Pick<CheckTapeOptions, 'kind' | 'mapping' | 'kindNamedBy'>): AnyTapeKind {
  const named = options.kind;
  if (!named) return detectKind(headers, options.mapping);
  const fields = mappedFields(headers, options.mapping);
  const other = TAPE_KINDS.find((k) => k !== named && k.detect(fields));
  if (other) {
    const by = options.kindNamedBy ?? { why: 'named with --kind', remedy: (k: string) => `check it with --kind ${k}` };
    throw new MappingError('KIND_MISMATCH', `the header makes a ${other.id} tape (it maps ${other.detectedBy.join(' and ')}), `
      + `but this tape is read as a ${named.id} tape (${by.why}); send a ${named.id} tape, or ${by.remedy(other.id)}`);
  }
  return named;
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
