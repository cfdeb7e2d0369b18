/* eslint-disable */
// GENERATED from schemas/dmbs-criteria.v1.schema.json by `npm run gen:types`. Do not edit: change the schema and regenerate.

/**
 * false switches the test off for the deal.
 */
export type Enabled = boolean;
/**
 * S&P-style long-term rating, as largestTenantRating.
 */
export type Rating =
  | "AAA"
  | "AA+"
  | "AA"
  | "AA-"
  | "A+"
  | "A"
  | "A-"
  | "BBB+"
  | "BBB"
  | "BBB-"
  | "BB+"
  | "BB"
  | "BB-"
  | "B+"
  | "B"
  | "B-"
  | "CCC+"
  | "CCC"
  | "CCC-"
  | "CC"
  | "C"
  | "D"
  | "NR";
/**
 * A decimal fraction, 0.30 = 30 %.
 */
export type Fraction = number;

/**
 * A deal's eligibility criteria (E01-E10), concentration tests (C01-C10) and pool tests (P01-P03). Every key is optional: a deal file names only what it overrides, the rest comes from schemas/default-criteria.json. `x-description` is the wording the report and the documentation use ({name} is replaced by the limit of that name); a concentration or pool test carries exactly one of `max` (pass when actual <= max, headroom = max - actual) or `min` (pass when actual >= min, headroom = actual - min).
 */
export interface DmbsCriteria {
  /**
   * Optional: a link to this schema, for editors.
   */
  $schema?: string;
  schemaVersion?: "dmbs-criteria/1";
  /**
   * Free text: which deal, which version of its criteria.
   */
  description?: string;
  /**
   * ISO 4217 currency of the deal (E10).
   */
  dealCurrency?: string;
  /**
   * Per-loan eligibility criteria. A loan is eligible when no enabled criterion fails.
   */
  eligibility?: {
    E01?: {
      enabled?: Enabled;
    };
    E02?: {
      enabled?: Enabled;
      /**
       * Payment statuses an eligible loan may have.
       *
       * @minItems 1
       */
      paymentStatuses?: [
        "CURRENT" | "DPD_30" | "DPD_60" | "DPD_90" | "DPD_120_PLUS" | "DEFAULT",
        ...("CURRENT" | "DPD_30" | "DPD_60" | "DPD_90" | "DPD_120_PLUS" | "DEFAULT")[]
      ];
    };
    E03?: {
      enabled?: Enabled;
      /**
       * Lien positions an eligible loan may have.
       *
       * @minItems 1
       */
      lienPositions?: ["FIRST" | "SECOND" | "MEZZANINE", ...("FIRST" | "SECOND" | "MEZZANINE")[]];
    };
    E04?: {
      enabled?: Enabled;
      /**
       * Statuses other than OPERATIONAL that may qualify when completion is near and the facility is pre-leased.
       */
      constructionStatuses?: ("PLANNED" | "UNDER_CONSTRUCTION" | "COMMISSIONING")[];
      /**
       * Latest expectedCompletionDate, in calendar months after reportingDate (clamped to the month's last day).
       */
      maxMonthsToCompletion?: number;
      /**
       * Least leasedMw / itCapacityMw.
       */
      minLeasedShare?: number;
    };
    E05?: {
      enabled?: Enabled;
      /**
       * Least debt service coverage ratio.
       */
      minDscr?: number;
    };
    E06?: {
      enabled?: Enabled;
      /**
       * Greatest loan-to-value.
       */
      maxLtv?: number;
    };
    E07?: {
      enabled?: Enabled;
      /**
       * Least remaining lease term of the largest tenant, in whole months.
       */
      minRemainingLeaseTermMonths?: number;
    };
    E08?: {
      enabled?: Enabled;
    };
    E09?: {
      enabled?: Enabled;
      /**
       * Tenant ratings that make a loan ineligible.
       */
      excludedRatings?: Rating[];
    };
    E10?: {
      enabled?: Enabled;
    };
  };
  /**
   * Concentration tests (C01-C10) and pool tests (P01-P03) on the eligible pool, weighted by currentBalance.
   */
  concentrations?: {
    /**
     * top: the largest tenant groups (largestTenantParent when it holds a value, else largestTenant).
     */
    C01?: {
      enabled?: Enabled;
      max?: Fraction;
    };
    /**
     * top: the largest tenant groups.
     */
    C02?: {
      enabled?: Enabled;
      max?: Fraction;
    };
    /**
     * top: the tenant groups with the largest balance at a counted rating.
     */
    C03?: {
      enabled?: Enabled;
      max?: Fraction;
      /**
       * The tenant ratings counted (default: everything below BBB-, and NR).
       */
      ratings?: Rating[];
    };
    /**
     * top: the largest facilities (facilityId).
     */
    C04?: {
      enabled?: Enabled;
      max?: Fraction;
    };
    /**
     * top: the largest markets.
     */
    C05?: {
      enabled?: Enabled;
      max?: Fraction;
    };
    /**
     * top: the largest sponsors.
     */
    C06?: {
      enabled?: Enabled;
      max?: Fraction;
    };
    /**
     * top: the facilities with the largest balance not OPERATIONAL.
     */
    C07?: {
      enabled?: Enabled;
      max?: Fraction;
    };
    /**
     * top: the tenant groups with the largest balance whose lease expires within the window.
     */
    C08?: {
      enabled?: Enabled;
      max?: Fraction;
      /**
       * Rollover window in calendar months after reportingDate (clamped to the month's last day).
       */
      windowMonths?: number;
    };
    /**
     * top: the largest loans (loanId).
     */
    C09?: {
      enabled?: Enabled;
      min?: number;
    };
    /**
     * top: the tenant groups with the largest balance whose earlyTerminationRight is true (a blank or no-data code is no right). An extra test beyond the standard's C01-C09: off by default, a deal switches it on.
     */
    C10?: {
      enabled?: Enabled;
      max?: Fraction;
    };
    /**
     * top: the largest loans (loanId), the heaviest weights of the average.
     */
    P01?: {
      enabled?: Enabled;
      min?: number;
    };
    /**
     * top: the largest loans (loanId), the heaviest weights of the average.
     */
    P02?: {
      enabled?: Enabled;
      max?: number;
    };
    /**
     * top: the largest loans (loanId), the heaviest weights of the average.
     */
    P03?: {
      enabled?: Enabled;
      min?: number;
    };
  };
}
