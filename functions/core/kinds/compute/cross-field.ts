/**
 * The cross-field rules of one compute lot (schema annotation `x-cross-field-rules` of
 * schemas/dmbs-compute-tape.v1.schema.json), applied to the values that passed coercion and the
 * schema. Cross-row rules (one reportingDate, unique lotId) belong to the tape validator.
 */
import type { DmbsComputeLot } from '../../generated/compute-tape.ts';
import { finding, type Finding } from '../../validation/findings.ts';

/** Why a conditionally required field is required (the schema's `allOf` if/then), for REQUIRED findings. */
export const COMPUTE_CONDITIONAL_REASON: Readonly<Record<string, string>> = {
  inServiceDate: 'energised is true',
};

/**
 * Checks the lot's cross-field rules; pushes findings and returns the fields that hold an error
 * (warnings leave the lot valid). `columnOf` names the tape's header of a field for messages.
 */
export function checkComputeCrossField(
  lot: Partial<DmbsComputeLot>,
  row: number,
  out: Finding[],
  columnOf: (field: string) => string | undefined,
): string[] {
  const bad: string[] = [];
  const report = (field: string, value: unknown, rule: string, severity: 'error' | 'warning') => {
    out.push(finding('CROSS_FIELD', row, field, String(value), rule, columnOf(field), severity));
    if (severity === 'error') bad.push(field);
  };
  const { contractStartDate: start, contractExpiryDate: expiry, inServiceDate: inService, acquisitionDate: acquired, reportingDate: reporting } = lot;
  if (start !== undefined && expiry !== undefined && !(expiry > start)) {
    report('contractExpiryDate', expiry, `must be after contractStartDate ${start}`, 'error');
  }
  if (lot.currentBalance !== undefined && lot.originalBalance !== undefined && lot.currentBalance > lot.originalBalance) {
    report('currentBalance', lot.currentBalance.toFixed(2), `exceeds originalBalance ${lot.originalBalance.toFixed(2)}; the balance of a lot does not grow`, 'error');
  }
  if (lot.region !== undefined && lot.country !== undefined && !lot.region.startsWith(`${lot.country}-`)) {
    report('region', lot.region, `is not a region of country ${lot.country}; use ${lot.country}-XX`, 'error');
  }
  if (lot.energised === true && inService !== undefined && reporting !== undefined && inService > reporting) {
    report('inServiceDate', inService, `is after reportingDate ${reporting} but energised is true; check which is right`, 'warning');
  }
  if (acquired !== undefined && inService !== undefined && acquired > inService) {
    report('acquisitionDate', acquired, `is after inServiceDate ${inService}; check the dates`, 'warning');
  }
  if (acquired !== undefined && reporting !== undefined && acquired > reporting) {
    report('acquisitionDate', acquired, `is after reportingDate ${reporting}; check the dates`, 'warning');
  }
  return bad;
}
