/**
 * The cross-field rules of one compute lot, evaluated from the schema's `x-cross-field-rules`
 * (validation/cross-field.ts, as the loan tape's are). Cross-row rules (one reportingDate, unique
 * lotId) belong to the tape validator; the conditional requirement of inServiceDate to the schema.
 */
import computeTapeSchema from '../../../../schemas/dmbs-compute-tape.v1.schema.json' with { type: 'json' };
import { compileCrossFieldRules, type CrossFieldRule } from '../../validation/cross-field.ts';

/** Why a conditionally required field is required (the schema's `allOf` if/then), for REQUIRED findings. */
export const COMPUTE_CONDITIONAL_REASON: Readonly<Record<string, string>> = {
  inServiceDate: 'energised is true',
};

/**
 * Checks the lot's cross-field rules; pushes findings and returns the fields that hold an error
 * (warnings leave the lot valid). `columnOf` names the tape's header of a field for messages.
 */
export const checkComputeCrossField = compileCrossFieldRules(computeTapeSchema['x-cross-field-rules'] as readonly CrossFieldRule[]);
