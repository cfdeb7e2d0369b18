/**
 * Eligibility of one compute lot (criteria G01-G09, defaults in schemas/compute-criteria.json):
 * every enabled criterion is checked and every failure kept with its reason. Only valid lots are
 * evaluated. Pure.
 */
import { addMonths } from '../../validation/calendar.ts';
import { holdsValue } from '../../evaluation/group-key.ts';
import { ageMonths } from './lot.ts';
import type { ComputeCriterionId, ComputeDealCriteria } from './compute-criteria.ts';
import type { EvaluatedLot } from './lot.ts';

/** One failed criterion of a lot, e.g. `{ criterion: 'G05', reason: 'hardware age 37 months > 36' }`. */
export interface LotFailure {
  readonly criterion: ComputeCriterionId;
  readonly reason: string;
}

/** The lot-level result (one NDJSON line of the per-lot results). */
export interface LotEvaluation {
  readonly lotId: string;
  readonly eligible: boolean;
  /** Failed criteria in id order; empty when eligible. */
  readonly failures: LotFailure[];
}

type Limits = ComputeDealCriteria['eligibility'];
/** A criterion: undefined when the lot passes, else why it fails. */
type Check<Id extends ComputeCriterionId> = (lot: EvaluatedLot, limits: Limits[Id], criteria: ComputeDealCriteria) => string | undefined;

const upper = (codes: readonly string[]) => codes.map((c) => c.toUpperCase());

/** The criteria in id order; wording and limits in schemas/. */
const CHECKS: { readonly [Id in ComputeCriterionId]: Check<Id> } = {
  G01: (lot, l) => (l.paymentStatuses.includes(lot.paymentStatus) ? undefined : `paymentStatus ${lot.paymentStatus} is not ${l.paymentStatuses.join(' or ')}`),
  G02: (lot, l) => (l.lienPositions.includes(lot.lienPosition) ? undefined : `lienPosition ${lot.lienPosition} is not ${l.lienPositions.join(' or ')}`),
  G03: (lot, l) => {
    if (lot.energised) return undefined;
    const deadline = addMonths(lot.reportingDate, l.maxMonthsToInService);
    if (!holdsValue(lot.inServiceDate)) return 'not energised and inServiceDate holds no value';
    return lot.inServiceDate <= deadline ? undefined : `not energised and inServiceDate ${lot.inServiceDate} > ${deadline} (reportingDate + ${l.maxMonthsToInService} months)`;
  },
  G04: (lot, l) => (l.countries.includes(lot.country) ? undefined : `country ${lot.country} is not an approved jurisdiction`),
  G05: (lot, l) => {
    const age = ageMonths(lot, lot.reportingDate);
    return age <= l.maxAgeMonths ? undefined : `hardware age ${age} months > ${l.maxAgeMonths}`;
  },
  G06: (lot, l) => {
    const earliest = addMonths(lot.maturityDate, -l.monthsBeforeMaturity);
    return lot.contractExpiryDate >= earliest ? undefined : `contractExpiryDate ${lot.contractExpiryDate} < ${earliest} (maturityDate − ${l.monthsBeforeMaturity} months)`;
  },
  G07: (lot, l) => {
    const rating = lot.customerRating.toUpperCase();
    if (!upper(l.excludedRatings).includes(rating)) return undefined;
    const guarantor = lot.guarantorRating?.toUpperCase();
    if (guarantor !== undefined && upper(l.guarantorRatings).includes(guarantor)) return undefined;
    return `customerRating ${lot.customerRating} is below the floor${guarantor === undefined ? ' and no guarantorRating' : ` and guarantorRating ${lot.guarantorRating} does not cure it`}`;
  },
  G08: (lot, _l, criteria) => (lot.currency === criteria.dealCurrency ? undefined : `currency ${lot.currency} is not the deal currency ${criteria.dealCurrency}`),
  G09: (lot) => {
    if (!(lot.currentBalance > 0)) return 'currentBalance is 0';
    return lot.maturityDate > lot.reportingDate ? undefined : `maturityDate ${lot.maturityDate} is not after reportingDate ${lot.reportingDate}`;
  },
};

const IDS = Object.keys(CHECKS) as ComputeCriterionId[];

/**
 * Checks a valid lot against the deal's enabled criteria.
 * @example evaluateLot(lot, loadComputeCriteria()) // { lotId: 'L4', eligible: false, failures: [{ criterion: 'G05', reason: 'hardware age 37 months > 36' }] }
 */
export function evaluateLot(lot: EvaluatedLot, criteria: ComputeDealCriteria): LotEvaluation {
  const failures: LotFailure[] = [];
  for (const id of IDS) {
    const limits = criteria.eligibility[id];
    if (!limits.enabled) continue;
    const reason = (CHECKS[id] as Check<typeof id>)(lot, limits as never, criteria);
    if (reason !== undefined) failures.push({ criterion: id, reason });
  }
  return { lotId: lot.lotId, eligible: failures.length === 0, failures };
}
