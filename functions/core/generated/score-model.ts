/* eslint-disable */
// GENERATED from schemas/score-model.schema.json by `npm run gen:types`. Do not edit: change the schema and regenerate.

/**
 * The indicative DMBS scorecard (not a credit rating): each factor maps one pool metric to 0-100 points by linear interpolation between published breakpoints (flat beyond the first and last), the score is the weighted sum of factor points (weights sum to 1), and the band is the first whose `min` the score reaches.
 */
export interface ScoreModel {
  $schema?: string;
  version: "dmbs-score/1";
  description?: string;
  /**
   * @minItems 1
   */
  factors: [Factor, ...Factor[]];
  /**
   * From the highest `min` down; the last must have min 0.
   *
   * @minItems 1
   */
  bands: [Band, ...Band[]];
  /**
   * Band of a tape without an eligible pool (points 0).
   */
  emptyPoolBand: string;
  /**
   * Rating factor per tenant rating (Moody's idealised-default scale mapped to S&P-style grades); the balance-weighted average is waRatingFactor.
   */
  ratingFactors: {
    [k: string]: number;
  };
  /**
   * Ratings counted as investment grade (investmentGradeShare).
   */
  investmentGrade: string[];
}
export interface Factor {
  /**
   * Name the report shows.
   */
  name: string;
  /**
   * The pool metric the factor scores (computed on the eligible pool by currentBalance; dataQualityScore is the validation's).
   */
  metric:
    | "waLtv"
    | "waDscr"
    | "investmentGradeShare"
    | "waRatingFactor"
    | "effectiveLoanCount"
    | "largestTenantGroupShare"
    | "leaseToLoanTermRatio"
    | "notOperationalShare"
    | "dataQualityScore";
  description: string;
  weight: number;
  /**
   * Points at given metric values, in increasing order of `at`; linear in between, flat outside.
   *
   * @minItems 2
   */
  breakpoints: [Breakpoint, Breakpoint, ...Breakpoint[]];
}
export interface Breakpoint {
  at: number;
  points: number;
}
export interface Band {
  min: number;
  band: string;
}
