/**
 * A compute lot as evaluation sees it (only the fields it reads), and its derived figures
 * (the standard's section on the compute kind): lot cost, age, residual value, straight-line
 * balance and the present value of remaining contracted revenue. Each quotient is its exact
 * rational rounded once to fixed-point cents (fixed-point.ts), so sums merge exactly in any order.
 */
import type { Decimal } from 'decimal.js';
import type { DmbsComputeLot } from '../../generated/compute-tape.ts';
import { toCents } from '../../evaluation/exact.ts';
import { fixedCents, fixedToDecimal, rationalOf, type Rational } from './fixed-point.ts';
import { holdsValue } from '../../evaluation/group-key.ts';
import { daysBetween, wholeMonthsBetween } from '../../validation/calendar.ts';
import { residualShareRational, type ResidualCurve } from './residual-curve.ts';

export const EVALUATED_LOT_FIELDS = [
  'lotId', 'reportingDate', 'gpuModel', 'unitCount', 'unitCost', 'inServiceDate', 'energised', 'siteId', 'country',
  'lienPosition', 'customer', 'customerParent', 'customerRating', 'guarantorRating', 'contractType',
  'monthlyContractedRevenue', 'contractExpiryDate', 'currentBalance', 'maturityDate', 'paymentStatus', 'currency',
] as const satisfies ReadonlyArray<keyof DmbsComputeLot>;

/** A valid lot as evaluation sees it: only the fields it reads (blank and ND cells are undefined). */
export type EvaluatedLot = Pick<DmbsComputeLot, (typeof EVALUATED_LOT_FIELDS)[number]>;

/** unitCount × unitCost, in cents. */
export function lotCostCents(lot: Pick<EvaluatedLot, 'unitCount' | 'unitCost'>): bigint {
  return BigInt(lot.unitCount) * toCents(lot.unitCost);
}

/** Whole months from inServiceDate to `date`, at least 0; 0 when inServiceDate holds no value, whatever `energised` says. */
export function ageMonths(lot: Pick<EvaluatedLot, 'inServiceDate'>, date: string): number {
  if (!holdsValue(lot.inServiceDate)) return 0;
  return Math.max(0, wholeMonthsBetween(lot.inServiceDate, date));
}

/** lotCost × curve(ageMonths(date)), in fixed-point cents. */
export function residualFixed(lot: Pick<EvaluatedLot, 'unitCount' | 'unitCost' | 'inServiceDate' | 'gpuModel'>, date: string, curve: ResidualCurve): bigint {
  return fixedCents(lotCostCents(lot), residualShareRational(curve, lot.gpuModel, ageMonths(lot, date)));
}

/**
 * currentBalance falling in a straight line by calendar days from reportingDate to 0 at maturityDate,
 * in fixed-point cents; 0 on and after maturity. Needs maturityDate > reportingDate (criterion G09).
 */
export function balanceFixedAt(lot: Pick<EvaluatedLot, 'currentBalance' | 'maturityDate' | 'reportingDate'>, date: string): bigint {
  const left = daysBetween(date, lot.maturityDate);
  if (left <= 0) return 0n;
  const total = daysBetween(lot.reportingDate, lot.maturityDate);
  if (total <= 0) throw new RangeError(`lot matures on ${lot.maturityDate}, not after reportingDate ${lot.reportingDate}`);
  return fixedCents(toCents(lot.currentBalance), { num: BigInt(left), den: BigInt(total) });
}

/** Whole months of the contract left at reportingDate (0 if expired). */
export function contractMonthsLeft(lot: Pick<EvaluatedLot, 'reportingDate' | 'contractExpiryDate'>): number {
  return Math.max(0, wholeMonthsBetween(lot.reportingDate, lot.contractExpiryDate));
}

/**
 * Present value at reportingDate of the remaining contracted revenue, in fixed-point cents:
 * monthly × (1 − (1 + r)^−m) / r with r = discountRate / 12 (monthly × m when r = 0); 0 for ON_DEMAND.
 */
export function pvContractedFixed(
  lot: Pick<EvaluatedLot, 'contractType' | 'monthlyContractedRevenue' | 'reportingDate' | 'contractExpiryDate'>,
  discountRate: number,
): bigint {
  if (lot.contractType === 'ON_DEMAND') return 0n;
  const months = contractMonthsLeft(lot);
  if (months === 0) return 0n;
  return fixedCents(toCents(lot.monthlyContractedRevenue), annuityFactor(discountRate, months));
}

/** Annuity factors by discount rate and months: few distinct pairs in a tape, each a power of big integers. */
const ANNUITY_FACTORS = new Map<string, Rational>();

/**
 * (1 − (1 + r)^−m) / r with r = rate / 12, as an exact rational: with rate = p / q,
 * 1 + r = D / N where N = 12q and D = 12q + p, so the factor is (D^m − N^m) · 12q / (D^m · p); m when the rate is 0.
 */
function annuityFactor(rate: number, months: number): Rational {
  const key = `${rate}|${months}`;
  let factor = ANNUITY_FACTORS.get(key);
  if (factor === undefined) {
    const { num: p, den: q } = rationalOf(rate);
    if (p === 0n) factor = { num: BigInt(months), den: 1n };
    else {
      const m = BigInt(months);
      const n = (12n * q) ** m;
      const d = (12n * q + p) ** m;
      factor = { num: (d - n) * 12n * q, den: d * p };
    }
    if (ANNUITY_FACTORS.size < 2_000) ANNUITY_FACTORS.set(key, factor); // a long contract's factor holds powers of thousands of digits
  }
  return factor;
}

/** residualFixed as an exact Decimal of cents. */
export function residualCents(lot: Parameters<typeof residualFixed>[0], date: string, curve: ResidualCurve): Decimal {
  return fixedToDecimal(residualFixed(lot, date, curve));
}

/** balanceFixedAt as an exact Decimal of cents. */
export function balanceCentsAt(lot: Parameters<typeof balanceFixedAt>[0], date: string): Decimal {
  return fixedToDecimal(balanceFixedAt(lot, date));
}

/** pvContractedFixed as an exact Decimal of cents. */
export function pvContractedCents(lot: Parameters<typeof pvContractedFixed>[0], discountRate: number): Decimal {
  return fixedToDecimal(pvContractedFixed(lot, discountRate));
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
