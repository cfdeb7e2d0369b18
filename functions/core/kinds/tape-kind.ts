/**
 * What makes a kind of tape (loans on data centers, compute-equipment lots, …): its schema and
 * fields, how a header is recognised, its identity key, the fields evaluation reads, its deal
 * settings, its aggregate and its report sections. The reading pass, the findings and the report's
 * tape and validation sections are the same for every kind; a kind is one value passed in.
 */
import type { TapeValidator, TapeValidatorOptions } from '../validation/tape-validator.ts';
import type { KindValidation } from '../validation/kind-validation.ts';

/** The aggregate a kind builds over a tape's valid rows: exact, mergeable, storable. */
export interface KindAggregate<Row, State> {
  add(row: Row, rowNumber?: number): unknown;
  toJSON(): State;
}

/**
 * One tape kind. `Settings` are the deal's documents read once (criteria, curves); `Row` is what
 * evaluation reads of a valid row; `Aggregate` is built from settings and fed rows; `Sections` are
 * what the report gains from it; `Evaluation` is one row's result (a line of the row results).
 */
export interface TapeKind<Settings, Row extends object, Aggregate extends KindAggregate<Row, State>, State, Sections, Evaluation = unknown, SettingsData = Settings, Transfer = State> {
  /** Stable id, written to the report's `tape.kind` when a tape is of another kind than the loan tape. */
  readonly id: string;
  /** The schema that is the kind's source of truth (fields, limits, wording, cross-field rules). */
  readonly schemaFile: string;
  /** The field that identifies a row; unique within a tape (DUPLICATE_ID otherwise). */
  readonly idField: string;
  /** What one row is, in messages and on the page ('loan', 'lot'). */
  readonly rowNoun: string;
  /** The fields evaluation reads: a second read of a tape coerces only these. */
  readonly evaluatedFields: readonly string[];
  /** What the validator takes of the kind: field specs, compiled validators, identity, cross-field rules. */
  readonly validation: KindValidation;
  /** The validator of one read of a tape of this kind. */
  createValidator(options?: TapeValidatorOptions): TapeValidator<object, Row>;
  /** The fields whose columns make a header this kind's (for messages). */
  readonly detectedBy: readonly string[];
  /** True when the fields a header maps make a tape of this kind. */
  detect(mappedFields: ReadonlySet<string>): boolean;
  /** The deal's settings over the kind's published defaults. @throws ConfigError */
  loadSettings(docs?: Record<string, unknown>): Settings;
  createAccumulator(settings: Settings): Aggregate;
  accumulatorFromJSON(state: State, settings: Settings): Aggregate;
  /** Adds a valid row (tape row `rowNumber`) to the aggregate and returns its evaluation. */
  evaluate(aggregate: Aggregate, row: Row, rowNumber: number): Evaluation;
  /** The report sections of an aggregate (eligibility, pool, tests, score, …). */
  buildSections(aggregate: Aggregate, dataQualityScore: string): Sections;

  // Across threads (the parallel check, parallel/): a range's task carries the kind's id and its
  // settings as data; the range's aggregate comes back as data and is merged in tape order.
  /** The settings as plain, structured-cloneable data (what a range task carries). */
  settingsData(settings: Settings): SettingsData;
  /** The settings again from `settingsData`'s data, in another thread. */
  settingsFromData(data: SettingsData): Settings;
  /** Adds a valid row to the aggregate, as `evaluate` without the row's evaluation (a range writes no row results). */
  accumulate(aggregate: Aggregate, row: Row, rowNumber: number): void;
  /** The aggregate as data that crosses a thread (its typed arrays listed by `transferBuffers`). */
  toTransfer(aggregate: Aggregate): Transfer;
  /** The buffers of a transfer that can be moved to another thread rather than copied. */
  transferBuffers(transfer: Transfer): ArrayBuffer[];
  /**
   * Merges the transfer of a later range into `aggregate` (ranges in tape order); `rowOffset`: the
   * rows of the tape before that range, as the range numbered its rows from its start.
   */
  mergeTransfer(aggregate: Aggregate, transfer: Transfer, rowOffset: number): void;
}

/** Any kind, as generic code (the reading pass, the report) handles it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type SomeTapeKind = TapeKind<any, any, any, any, any, any, any, any>;
