/**
 * The compute kind in one value, for the tape-kind registry: how a header is recognised, which
 * schema validates a row, the row-level rules, the deal's settings, and the evaluation from lots
 * to report sections. Pure: callers read files and pass parsed documents.
 */
import computeTapeSchema from '../../../../schemas/dmbs-compute-tape.v1.schema.json' with { type: 'json' };
import { loadComputeCriteria } from './compute-criteria.ts';
import { COMPUTE_CONDITIONAL_REASON, checkComputeCrossField } from './cross-field.ts';
import { EVALUATED_LOT_FIELDS } from './lot.ts';
import { ComputePoolAccumulator, withRowOffset, type ComputePoolState, type ComputeSettings } from './pool-accumulator.ts';
import { buildComputeSections, type ComputeReportSections } from './report-sections.ts';
import type { TapeKind } from '../tape-kind.ts';
import { TapeValidator, type TapeValidatorOptions } from '../../validation/tape-validator.ts';
import type { DmbsComputeLot } from '../../generated/compute-tape.ts';
import type { EvaluatedLot } from './lot.ts';
import type { LotEvaluation } from './eligibility.ts';
import { COMPUTE_VALIDATION } from './validation.ts';
import { loadResidualCurve } from './residual-curve.ts';

const detection = computeTapeSchema['x-tape-kind'];

/** The deal documents the kind reads (parsed JSON), each optional, and their names for messages. */
export interface ComputeDealDocuments {
  readonly criteria?: unknown;
  readonly criteriaSource?: string;
  readonly curve?: unknown;
  readonly curveSource?: string;
}

export const COMPUTE_KIND = {
  id: 'compute',
  schemaFile: 'schemas/dmbs-compute-tape.v1.schema.json',
  schema: computeTapeSchema,
  /** The field specs, in schema order. */
  fields: COMPUTE_VALIDATION.fields,
  /** The field that identifies a row (unique within a tape). */
  idField: 'lotId',
  /** What one row is, in messages and on the page. */
  rowNoun: 'lot',
  /** What the validator takes of the kind (validation/kind-validation.ts). */
  validation: COMPUTE_VALIDATION,
  /** The validator of one read of a compute tape: the loan tape's reading, over this kind's schema. */
  createValidator: (options: TapeValidatorOptions = {}): TapeValidator<DmbsComputeLot, EvaluatedLot> => new TapeValidator<DmbsComputeLot, EvaluatedLot>(COMPUTE_VALIDATION, options),
  /** The fields evaluation reads: a second read of a tape coerces only these. */
  evaluatedFields: EVALUATED_LOT_FIELDS,
  /** The fields whose columns make a header this kind's (for messages). */
  detectedBy: detection.headerRequires,
  /**
   * True when the fields a header maps make it a compute tape (schema `x-tape-kind`): lotId and
   * gpuModel, and no loanId.
   */
  detect(mappedFields: ReadonlySet<string>): boolean {
    return detection.headerRequires.every((f) => mappedFields.has(f)) && !detection.headerExcludes.some((f) => mappedFields.has(f));
  },
  conditionalReason: COMPUTE_CONDITIONAL_REASON,
  checkCrossField: checkComputeCrossField,
  /** The deal's criteria and residual curve over the published defaults. @throws ConfigError */
  loadSettings(docs: ComputeDealDocuments = {}): ComputeSettings {
    return { criteria: loadComputeCriteria(docs.criteria, docs.criteriaSource), curve: loadResidualCurve(docs.curve, docs.curveSource) };
  },
  createAccumulator: (settings: ComputeSettings) => new ComputePoolAccumulator(settings),
  /** Adds a valid lot (on tape row `row`) to the aggregate; its eligibility (one line of the lot results). */
  evaluate: (acc: ComputePoolAccumulator, lot: EvaluatedLot, row: number): LotEvaluation => acc.add(lot, row),
  accumulatorFromJSON: (state: ComputePoolState, settings: ComputeSettings) => ComputePoolAccumulator.fromJSON(state, settings),
  buildSections: (acc: ComputePoolAccumulator, _dataQualityScore: string) => buildComputeSections(acc),
  /** The criteria and curve are plain data already (merged and checked when loaded). */
  settingsData: (settings: ComputeSettings): ComputeSettings => ({ criteria: settings.criteria, curve: settings.curve }),
  settingsFromData: (data: ComputeSettings): ComputeSettings => data,
  accumulate: (acc: ComputePoolAccumulator, lot: EvaluatedLot, row: number): void => {
    acc.add(lot, row);
  },
  toTransfer: (acc: ComputePoolAccumulator): ComputePoolState => acc.toJSON(),
  transferBuffers: (_state: ComputePoolState): ArrayBuffer[] => [],
  /** The range's rows made the tape's, so that a group is named by its lowest row of the whole tape. */
  mergeTransfer: (acc: ComputePoolAccumulator, state: ComputePoolState, rowOffset: number): void => {
    acc.merge(ComputePoolAccumulator.fromJSON(withRowOffset(state, rowOffset), acc.settings));
  },
} as const;

// The compute tape is a TapeKind like the loan tape (checked here, where the compiler sees both).
COMPUTE_KIND satisfies TapeKind<ComputeSettings, EvaluatedLot, ComputePoolAccumulator, ComputePoolState, ComputeReportSections, LotEvaluation, ComputeSettings, ComputePoolState>;
