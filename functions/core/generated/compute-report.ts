/* eslint-disable */
// GENERATED from schemas/compute-report-sections.schema.json by `npm run gen:types`. Do not edit: change the schema and regenerate.

/**
 * Money as text with exactly 2 decimals.
 */
export type MoneyText = string;
/**
 * A decimal number as text.
 */
export type DecimalText = string;

/**
 * The report sections of a compute tape (tape kind `compute`): eligibility (G01-G09), pool, concentrations (K01-K07) and score. The other sections (tape, validation) are the same for every kind. Money and figures are decimal strings as in dmbs-report/1.
 */
export interface ComputeReportSections {
  /**
   * Per-lot eligibility. Only valid rows are evaluated: eligibleCount + ineligibleCount = validation.validRowCount.
   */
  eligibility: {
    eligibleCount: number;
    ineligibleCount: number;
    /**
     * Sum of currentBalance of the eligible lots.
     */
    eligibleBalance: string;
    /**
     * Lots failing each enabled criterion (a lot failing two counts in both); every enabled criterion is listed, 0 included.
     */
    failuresByCriterion: {
      [k: string]: number;
    };
  };
  /**
   * The eligible lots. An empty pool (or one of zero balance) has its lotCount and currentBalance, the other figures null, an empty residualPath, and a reason.
   */
  pool: {
    lotCount: number;
    currentBalance: MoneyText;
    /**
     * Sum of lotCost x curve(ageMonths(reportingDate)).
     */
    residualNow: MoneyText | null;
    /**
     * Sum of the present value of remaining contracted revenue (TAKE_OR_PAY and RESERVED lots).
     */
    pvContracted: MoneyText | null;
    /**
     * The residual-LTV path K06 takes its worst point from: reportingDate, then each 31 December strictly after it and strictly before the latest maturityDate of the eligible lots, in date order. At each date only the lots with maturityDate after it count, in both sums. Empty when no eligible lot matures after reportingDate, or when the pool has no figures.
     */
    residualPath: PathPoint[];
    /**
     * Why the figures are null.
     */
    reason?: string;
  };
  /**
   * The enabled tests K01-K07, in id order; a test switched off by the deal's criteria is not listed.
   */
  concentrations: ComputeTest[];
  /**
   * Indicative score (not a credit rating) per schemas/compute-score-model.json.
   */
  score: {
    /**
     * Score model version, e.g. dmbs-compute-score/1.
     */
    model: string;
    /**
     * A decimal number as text.
     */
    points: string;
    band: string;
    factors: {
      name: string;
      metric: string;
      /**
       * The metric's value; null without an eligible pool or when its denominator is 0 (then 0 points).
       */
      value: DecimalText | null;
      points: DecimalText;
      weight: DecimalText;
    }[];
  };
}
/**
 * One date of the residual-LTV path.
 */
export interface PathPoint {
  date: string;
  /**
   * Money as text with exactly 2 decimals.
   */
  balance: string;
  /**
   * Money as text with exactly 2 decimals.
   */
  residual: string;
  /**
   * balance / residual from the exact sums, half-even to 6 decimals; null when the residual is 0.
   */
  ltv: DecimalText | null;
}
export interface ComputeTest {
  id: string;
  description: string;
  /**
   * The pool's figure; null for an empty pool or a zero denominator.
   */
  actual: DecimalText | null;
  limit: DecimalText;
  /**
   * max: pass when actual <= limit; min: pass when actual >= limit.
   */
  limitType: "max" | "min";
  /**
   * Unit of actual, limit and headroom.
   */
  unit: string;
  /**
   * Decided on the exact actual; false when actual is null.
   */
  pass: boolean;
  /**
   * max: limit - actual; min: actual - limit; negative = breached.
   */
  headroom: DecimalText | null;
  /**
   * At most 5: the 5 largest contributors (share desc, then key).
   */
  top: {
    key: string;
    share: DecimalText;
  }[];
  /**
   * K06 only: the date of the worst point of the path (ties: the earliest); null when actual is null.
   */
  worstDate?: string | null;
  /**
   * Why actual is null.
   */
  reason?: string;
}
