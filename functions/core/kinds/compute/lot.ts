/**
 * A compute lot as evaluation sees it (only the fields it reads), and its derived figures
 * (the standard's section on the compute kind): lot cost, age, residual value, straight-line
 * balance and the present value of remaining contracted revenue. Exact; nothing rounded but the
 * quotients, each to QUOTIENT_PLACES decimals so sums merge exactly in any order.
 */
import { Decimal } from 'decimal.js';
import type { DmbsComputeLot } from '../../generated/compute-tape.ts';
import { Exact, toCents } from '../../evaluation/exact.ts';
import { holdsValue } from '../../evaluation/group-key.ts';
import { daysBetween, wholeMonthsBetween } from '../../validation/calendar.ts';
import { residualShare, type ResidualCurve } from './residual-curve.ts';

export const EVALUATED_LOT_FIELDS = [
  'lotId', 'reportingDate', 'gpuModel', 'unitCount', 'unitCost', 'inServiceDate', 'energised', 'siteId', 'country',
  'lienPosition', 'customer', 'customerParent', 'customerRating', 'guarantorRating', 'contractType',
  'monthlyContractedRevenue', 'contractExpiryDate', 'currentBalance', 'maturityDate', 'paymentStatus', 'currency',
] as const satisfies ReadonlyArray<keyof DmbsComputeLot>;

/** A valid lot as evaluation sees it: only the fields it reads (blank and ND cells are undefined). */
export type EvaluatedLot = Pick<DmbsComputeLot, (typeof EVALUATED_LOT_FIELDS)[number]>;

/**
 * Decimals kept of every quotient (residual, straight-line balance, present value), in cents: far
 * more than the 34 significant digits the standard asks, and few enough that sums over any number
 * of lots stay exact in Exact's 200 digits, so merging in any order gives the same figures.
 */
export const QUOTIENT_PLACES = 60;

/** A quotient kept to QUOTIENT_PLACES decimals (half-even). */
export function quantize(value: Decimal): Decimal {
  return value.toDecimalPlaces(QUOTIENT_PLACES, Decimal.ROUND_HALF_EVEN);
}

/** unitCount × unitCost, in cents. */
export function lotCostCents(lot: Pick<EvaluatedLot, 'unitCount' | 'unitCost'>): bigint {
  return BigInt(lot.unitCount) * toCents(lot.unitCost);
}

/** Whole months from inServiceDate to `date`, at least 0; 0 when inServiceDate holds no value, whatever `energised` says. */
export function ageMonths(lot: Pick<EvaluatedLot, 'inServiceDate'>, date: string): number {
  if (!holdsValue(lot.inServiceDate)) return 0;
  return Math.max(0, wholeMonthsBetween(lot.inServiceDate, date));
}

/** lotCost × curve(ageMonths(date)), in cents (exact to QUOTIENT_PLACES). */
export function residualCents(lot: Pick<EvaluatedLot, 'unitCount' | 'unitCost' | 'inServiceDate' | 'gpuModel'>, date: string, curve: ResidualCurve): Decimal {
  return quantize(new Exact(lotCostCents(lot).toString()).times(residualShare(curve, lot.gpuModel, ageMonths(lot, date))));
}

/**
 * currentBalance falling in a straight line by calendar days from reportingDate to 0 at maturityDate,
 * in cents; 0 on and after maturity. Needs maturityDate > reportingDate (criterion G09).
 */
export function balanceCentsAt(lot: Pick<EvaluatedLot, 'currentBalance' | 'maturityDate' | 'reportingDate'>, date: string): Decimal {
  const left = daysBetween(date, lot.maturityDate);
  if (left <= 0) return new Exact(0);
  const total = daysBetween(lot.reportingDate, lot.maturityDate);
  if (total <= 0) throw new RangeError(`lot matures on ${lot.maturityDate}, not after reportingDate ${lot.reportingDate}`);
  return quantize(new Exact(toCents(lot.currentBalance).toString()).times(left).div(total));
}

/** Whole months of the contract left at reportingDate (0 if expired). */
export function contractMonthsLeft(lot: Pick<EvaluatedLot, 'reportingDate' | 'contractExpiryDate'>): number {
  return Math.max(0, wholeMonthsBetween(lot.reportingDate, lot.contractExpiryDate));
}

/**
 * Present value at reportingDate of the remaining contracted revenue, in cents:
 * monthly × (1 − (1 + r)^−m) / r with r = discountRate / 12 (monthly × m when r = 0); 0 for ON_DEMAND.
 */
export function pvContractedCents(
  lot: Pick<EvaluatedLot, 'contractType' | 'monthlyContractedRevenue' | 'reportingDate' | 'contractExpiryDate'>,
  discountRate: number,
): Decimal {
  if (lot.contractType === 'ON_DEMAND') return new Exact(0);
  const months = contractMonthsLeft(lot);
  const monthly = new Exact(toCents(lot.monthlyContractedRevenue).toString());
  if (months === 0) return new Exact(0);
  if (discountRate === 0) return monthly.times(months);
  // 1 + r = (12 + rate) / 12, so (1 + r)^−m = (12 / (12 + rate))^m, and / r = × 12 / rate: one rounding at 200 digits.
  const discount = new Exact(12).div(new Exact(12).plus(discountRate)).pow(months);
  return quantize(monthly.times(new Exact(1).minus(discount)).times(12).div(discountRate));
}

/**
 * The dates of the residual-LTV path: reportingDate, then each 31 December strictly after it and
 * strictly before `latestMaturity`.
 * @example pathDates('2026-10-31', '2029-10-31') // ['2026-10-31', '2026-12-31', '2027-12-31', '2028-12-31']
 */
export function pathDates(reportingDate: string, latestMaturity: string): string[] {
  const dates = [reportingDate];
  for (let year = Number(reportingDate.slice(0, 4)); ; year++) {
    const yearEnd = `${String(year).padStart(4, '0')}-12-31`;
    if (yearEnd <= reportingDate) continue;
    if (yearEnd >= latestMaturity) break;
    dates.push(yearEnd);
  }
  return dates;
}
