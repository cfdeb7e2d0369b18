/**
 * The loan tape (schemas/dmbs-loan-tape.v1.schema.json) as one tape kind: the first kind, and the
 * default of every check. Its field specs, validators, criteria, concentration tests, score model
 * and report sections live in schema/, validation/ and evaluation/; this value is how the rest of
 * the product reaches them as a kind.
 */
import { loadCriteria, type DealCriteria } from '../../evaluation/criteria.ts';
import { CRITERIA } from '../../evaluation/criteria/index.ts';
import { CONCENTRATION_TESTS } from '../../evaluation/concentrations/index.ts';
import { EVALUATED_FIELDS, type EvaluatedLoan } from '../../evaluation/evaluated-loan.ts';
import { buildEvaluationSections, type EvaluationSections } from '../../evaluation/evaluation-sections.ts';
import { PoolAccumulator, poolTransferBuffers, type PoolAccumulatorState, type PoolAccumulatorTransfer } from '../../evaluation/pool-accumulator.ts';
import type { StressModel as StressModelDocument } from '../../generated/stress-model.ts';
import { SCORE_MODEL } from '../../evaluation/scorecard.ts';
import { FIELDS, loanTapeSchema } from '../../schema/loan-tape-schema.ts';
import { loadStressModel, loanStressFields, type LoanStressFields, type StressModel } from '../../stress/index.ts';
import type { LoanEvaluation } from '../../evaluation/eligibility.ts';
import { TapeValidator, type TapeValidatorOptions } from '../../validation/tape-validator.ts';
import type { TapeKind } from '../tape-kind.ts';
import type { CrossFieldRule } from '../../validation/cross-field.ts';

export type { CrossFieldRule };
import { LOAN_TAPE_VALIDATION } from './validation.ts';

/** The loan tape's deal settings: its criteria (limits of E01–E10, C01–C09, P01–P03) and stress model. */
export interface LoanTapeSettings {
  readonly criteria: DealCriteria;
  readonly stress: StressModel;
}

/** The settings as a range task carries them: the criteria, and the stress model's document unless it is the default one. */
export interface LoanTapeSettingsData {
  readonly criteria: DealCriteria;
  readonly stress?: StressModelDocument;
}

const crossFieldRules = loanTapeSchema['x-cross-field-rules'] as readonly CrossFieldRule[];

export const LOAN_TAPE_KIND = {
  id: 'loan',
  schemaFile: 'schemas/dmbs-loan-tape.v1.schema.json',
  schema: loanTapeSchema,
  /** The field specs, in schema order (compiled once). */
  fields: FIELDS,
  idField: 'loanId',
  evaluatedFields: EVALUATED_FIELDS,
  crossFieldRules,
  criteria: CRITERIA,
  concentrationTests: CONCENTRATION_TESTS,
  scoreModel: SCORE_MODEL,
  /** What one row is, in messages and on the page. */
  rowNoun: 'loan',
  /** The fields whose columns make a header this kind's (for messages). */
  detectedBy: ['loanId'],
  /** A tape is a loan tape when its header maps loanId (the default kind otherwise too). */
  detect: (mappedFields: ReadonlySet<string>): boolean => mappedFields.has('loanId'),
  /** What the validator takes of the kind: field specs, compiled validators, identity, cross-field rules. */
  validation: LOAN_TAPE_VALIDATION,
  /** The validator of one read of a loan tape (header plan, rows, cross-row rules, second read). */
  createValidator: (options: TapeValidatorOptions = {}): TapeValidator => new TapeValidator(LOAN_TAPE_VALIDATION, options),
  loadSettings: (docs: { criteria?: unknown; criteriaSource?: string; stress?: unknown; stressSource?: string } = {}): LoanTapeSettings => ({
    criteria: loadCriteria(docs.criteria, docs.criteriaSource),
    stress: loadStressModel(docs.stress, docs.stressSource),
  }),
  createAccumulator: (settings: LoanTapeSettings): PoolAccumulator => new PoolAccumulator(settings.criteria, settings.stress),
  /** Adds a valid loan to the aggregate; its eligibility and stressed figures (one line of the loan results). */
  evaluate: (acc: PoolAccumulator, loan: EvaluatedLoan): LoanEvaluation & LoanStressFields => {
    const evaluation = acc.add(loan);
    return { ...evaluation, ...loanStressFields(loan, acc.stressModel, evaluation.eligible) };
  },
  accumulatorFromJSON: (state: PoolAccumulatorState, settings: LoanTapeSettings): PoolAccumulator => PoolAccumulator.fromJSON(state, settings.criteria, settings.stress),
  buildSections: (aggregate: PoolAccumulator, dataQualityScore: string): EvaluationSections =>
    buildEvaluationSections(aggregate, aggregate.criteria, dataQualityScore),
  // (the default stress model is not sent: a worker loads its own without compiling the schema)
  settingsData: (settings: LoanTapeSettings): LoanTapeSettingsData => ({
    criteria: settings.criteria,
    ...(settings.stress === loadStressModel() ? {} : { stress: settings.stress.document }),
  }),
  settingsFromData: (data: LoanTapeSettingsData): LoanTapeSettings => ({ criteria: data.criteria, stress: data.stress ? loadStressModel(data.stress) : loadStressModel() }),
  /** Adds a valid loan to the pool (its stressed figures are only computed for the loan results). */
  accumulate: (acc: PoolAccumulator, loan: EvaluatedLoan): void => {
    acc.add(loan);
  },
  toTransfer: (acc: PoolAccumulator): PoolAccumulatorTransfer => acc.toTransfer(),
  transferBuffers: poolTransferBuffers,
  /** (Loans carry no row into the pool: the order of merging, the tape's, is what counts.) */
  mergeTransfer: (acc: PoolAccumulator, transfer: PoolAccumulatorTransfer, _rowOffset: number): void => {
    acc.mergeTransfer(transfer);
  },
} as const;

export type LoanTapeKind = typeof LOAN_TAPE_KIND;

// The loan tape is a TapeKind like any other (checked here, where the compiler sees both).
LOAN_TAPE_KIND satisfies TapeKind<LoanTapeSettings, EvaluatedLoan, PoolAccumulator, PoolAccumulatorState, EvaluationSections, LoanEvaluation & LoanStressFields, LoanTapeSettingsData, PoolAccumulatorTransfer>;
