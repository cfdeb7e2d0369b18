/**
 * The compute tape's validation parts (validation/kind-validation.ts), as the loan tape's: its
 * field specs and schema compiled ahead of time (`npm run gen:validators`), lotId as identity, the
 * fields evaluation reads and the cross-field rules from the schema's `x-cross-field-rules`.
 */
import computeTapeSchemaJson from '../../../../schemas/dmbs-compute-tape.v1.schema.json' with { type: 'json' };
import validateLotId from '../../generated/validators/lot-id.ts';
import validateExact from '../../generated/validators/compute-tape-exact.ts';
import validateQuick from '../../generated/validators/compute-tape-quick.ts';
import { fieldSpecsOf, type TapeSchemaDocument } from '../../schema/field-specs.ts';
import { formatHintsOf, type KindValidation } from '../../validation/kind-validation.ts';
import { COMPUTE_CONDITIONAL_REASON, checkComputeCrossField } from './cross-field.ts';
import { EVALUATED_LOT_FIELDS } from './lot.ts';

const schema = computeTapeSchemaJson as unknown as TapeSchemaDocument;
const fields = fieldSpecsOf(schema);
const fieldByName = new Map(fields.map((f) => [f.name, f]));

export const COMPUTE_VALIDATION: KindValidation = {
  fields,
  fieldByName,
  idField: 'lotId',
  rowNoun: 'lot',
  reportingDateField: 'reportingDate',
  dealIdField: 'dealId',
  evaluatedFieldIndexes: EVALUATED_LOT_FIELDS.map((name) => fieldByName.get(name)!.index).sort((a, b) => a - b),
  validateQuick,
  validateExact,
  validateId: validateLotId,
  dataQualityCredit: schema['x-data-quality'].credit,
  formatHints: formatHintsOf(schema),
  conditionalReason: COMPUTE_CONDITIONAL_REASON,
  checkCrossField: checkComputeCrossField,
};
