/* eslint-disable */
// GENERATED from schemas/dmbx-rulebook.schema.json by `npm run gen:types`. Do not edit: change the schema and regenerate.

/**
 * A decimal fraction, 0.25 = 25 %.
 */
export type Fraction = number;

/**
 * The rules that choose the deals of a DMBX series (a reference portfolio of DMBS deals, fixed as an immutable snapshot) and the concentration caps reported on it. A series names only what it overrides: objects merge key by key. Numbers are read as the decimal written.
 */
export interface DmbxRulebook {
  /**
   * Optional: a link to this schema, for editors.
   */
  $schema?: string;
  /**
   * Which rulebook this is.
   */
  id?: string;
  version?: string;
  description?: string;
  /**
   * A deal's latest tape as of the series date must have reportingDate >= asOf - N calendar months (clamped to the month's last day).
   */
  maxTapeAgeMonths?: number;
  /**
   * Fewest eligible loans on that tape.
   */
  minEligibleLoans?: number;
  /**
   * Smallest eligible balance of that tape (money).
   */
  minEligibleBalance?: number;
  /**
   * Smallest data-quality score (0-100) of that tape.
   */
  minDataQuality?: number;
  /**
   * Most deals in the series: the largest candidates by eligible balance enter, each with equal weight.
   */
  maxDeals?: number;
  /**
   * Largest look-through share of one key, per grouping. Reported with pass or fail, not enforced.
   */
  caps?: {
    tenantGroup?: Fraction;
    sponsor?: Fraction;
    market?: Fraction;
  };
}
