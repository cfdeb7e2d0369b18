/* eslint-disable */
// GENERATED from schemas/compute-score-model.schema.json by `npm run gen:types`. Do not edit: change the schema and regenerate.

/**
 * The indicative score of a compute-tape pool (not a credit rating): each factor maps one pool metric to 0-100 points by linear interpolation between published breakpoints (flat beyond the first and last), the score is the weighted sum of factor points (weights sum to 1), and the band is the first whose `min` the score reaches. A metric without a value (its denominator is 0) scores 0 points.
 */
export interface ComputeScoreModel {
  $schema?: string;
  version: "dmbs-compute-score/1";
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
   * Customer ratings counted as investment grade (investmentGradeRevenueShare).
   */
  investmentGrade: string[];
}
export interface Factor {
  /**
   * Name the report shows.
   */
  name: string;
  /**
   * The pool metric the factor scores (computed on the eligible lots).
   */
  metric:
    | "worstResidualLtv"
    | "contractCoverage"
    | "investmentGradeRevenueShare"
    | "largestCustomerGroupShare"
    | "largestModelShare"
    | "waAgeMonths";
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
