/**
 * The loan tape's validation parts (validation/kind-validation.ts): its field specs, its schema
 * compiled ahead of time (`npm run gen:validators`), loanId as identity, the fields evaluation
 * reads and the cross-field rules evaluated from the schema's `x-cross-field-rules`.
 */
import { EVALUATED_FIELD_INDEXES } from '../../evaluation/evaluated-loan.ts';
import validateLoanId from '../../generated/validators/loan-id.ts';
import validateExact from '../../generated/validators/loan-tape-exact.ts';
import validateQuick from '../../generated/validators/loan-tape-quick.ts';
import { DATA_QUALITY_CREDIT, FIELD_BY_NAME, FIELDS, loanTapeSchema } from '../../schema/loan-tape-schema.ts';
import { compileCrossFieldRules, type CrossFieldRule } from '../../validation/cross-field.ts';
import { formatHintsOf, type KindValidation } from '../../validation/kind-validation.ts';

export const LOAN_TAPE_VALIDATION: KindValidation = {
  fields: FIELDS,
  fieldByName: FIELD_BY_NAME,
  idField: 'loanId',
  rowNoun: 'loan',
  reportingDateField: 'reportingDate',
  dealIdField: 'dealId',
  evaluatedFieldIndexes: EVALUATED_FIELD_INDEXES,
  validateQuick,
  validateExact,
  validateId: validateLoanId,
  dataQualityCredit: DATA_QUALITY_CREDIT,
  formatHints: formatHintsOf(loanTapeSchema),
  conditionalReason: {
    floatingIndex: 'interestRateType is FLOATING',
    marginBps: 'interestRateType is FLOATING',
    expectedCompletionDate: 'constructionStatus is not OPERATIONAL',
  },
  checkCrossField: compileCrossFieldRules(loanTapeSchema['x-cross-field-rules'] as readonly CrossFieldRule[]),
};
