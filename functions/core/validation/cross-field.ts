/**
 * The cross-field rules of one row (schema annotation `x-cross-field-rules`, the DMBS standard
 * "Cross-field rules"). Applied only to values that passed coercion and the schema.
 * Recompute checks are warnings; the rest are errors.
 */
import { Decimal } from 'decimal.js';
import type { DmbsLoan } from '../generated/loan-tape.ts';
import { finding, type Finding } from './findings.ts';

/** Relative tolerance of the dscr / ltv recompute check (2 %). */
export const RECOMPUTE_TOLERANCE = 0.02;

type Partial_ = Partial<DmbsLoan>;

/**
 * True when `reported` is within 2 % (relative) of `numerator / denominator`. Decided in floating
 * point, and again in exact decimal when the float answer is within 1e-9 of the boundary.
 */
export function withinTolerance(reported: number, numerator: number, denominator: number): boolean {
  if (denominator === 0) return true; // nothing to recompute against; schema ranges already apply
  const recomputed = numerator / denominator;
  const slack = RECOMPUTE_TOLERANCE * Math.abs(recomputed) - Math.abs(reported - recomputed);
  if (Math.abs(slack) > 1e-9 * Math.max(1, Math.abs(recomputed))) return slack >= 0;
  const exact = new Decimal(numerator).div(denominator);
  return new Decimal(reported).minus(exact).abs().lte(exact.abs().times(RECOMPUTE_TOLERANCE));
}

/** region starts with `${country}-` (without building that string for every row). */
function isRegionOf(region: string, country: string): boolean {
  return region.length > country.length && region.charCodeAt(country.length) === 45 && region.startsWith(country);
}

/** Money as written on a tape (2 decimals; exact for the ≤ 15-digit values coercion admits). */
const money = (x: number) => x.toFixed(2);

function ratio(n: number, d: number): string {
  return new Decimal(n).div(d).toDecimalPlaces(4).toString();
}

/** No field in error (shared; never mutated). */
const NONE: string[] = [];

/**
 * Checks the row's cross-field rules; pushes findings and returns the fields that hold an error.
 * `columnOf` names the tape's header of a field for messages.
 */
export function checkCrossField(
  loan: Partial_,
  row: number,
  out: Finding[],
  columnOf: (field: string) => string | undefined,
): string[] {
  let bad: string[] = NONE;
  const err = (field: string, value: unknown, rule: string) => {
    out.push(finding('CROSS_FIELD', row, field, String(value), rule, columnOf(field)));
    if (bad === NONE) bad = [];
    bad.push(field);
  };
  if (loan.maturityDate !== undefined && loan.originationDate !== undefined && !(loan.maturityDate > loan.originationDate)) {
    err('maturityDate', loan.maturityDate, `must be after originationDate ${loan.originationDate}`);
  }
  if (loan.originationDate !== undefined && loan.reportingDate !== undefined && loan.originationDate > loan.reportingDate) {
    err('originationDate', loan.originationDate, `must be on or before reportingDate ${loan.reportingDate}`);
  }
  if (loan.currentBalance !== undefined && loan.originalBalance !== undefined && loan.currentBalance > loan.originalBalance) {
    err('currentBalance', money(loan.currentBalance), `exceeds originalBalance ${money(loan.originalBalance)}; no v1 amortizationType allows the balance to grow`);
  }
  if (loan.itCapacityMw !== undefined) {
    if (loan.leasedMw !== undefined && loan.leasedMw > loan.itCapacityMw) {
      err('leasedMw', loan.leasedMw, `exceeds itCapacityMw ${loan.itCapacityMw}`);
    }
    if (loan.commissionedMw !== undefined && loan.commissionedMw > loan.itCapacityMw) {
      err('commissionedMw', loan.commissionedMw, `exceeds itCapacityMw ${loan.itCapacityMw}`);
    }
  }
  if (loan.region !== undefined && loan.country !== undefined && !isRegionOf(loan.region, loan.country)) {
    err('region', loan.region, `is not a region of country ${loan.country}; use ${loan.country}-XX`);
  }
  if (loan.dscr !== undefined && loan.underwrittenNcf !== undefined && loan.annualDebtService !== undefined &&
      !withinTolerance(loan.dscr, loan.underwrittenNcf, loan.annualDebtService)) {
    out.push(finding('RECOMPUTE_MISMATCH', row, 'dscr', String(loan.dscr),
      `differs by more than 2 % from underwrittenNcf / annualDebtService = ${ratio(loan.underwrittenNcf, loan.annualDebtService)}; check the inputs`, columnOf('dscr')));
  }
  if (loan.ltv !== undefined && loan.currentBalance !== undefined && loan.appraisedValue !== undefined &&
      !withinTolerance(loan.ltv, loan.currentBalance, loan.appraisedValue)) {
    out.push(finding('RECOMPUTE_MISMATCH', row, 'ltv', String(loan.ltv),
      `differs by more than 2 % from currentBalance / appraisedValue = ${ratio(loan.currentBalance, loan.appraisedValue)}; check the inputs`, columnOf('ltv')));
  }
  return bad;
}
