/* eslint-disable */
// GENERATED from schemas/compute-criteria.schema.json by `npm run gen:types`. Do not edit: change the schema and regenerate.

/**
 * false switches the test off for the deal.
 */
export type Enabled = boolean;
/**
 * S&P-style long-term rating, as customerRating.
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
 * A deal's criteria for the compute tape: eligibility criteria (G01-G09), concentration and pool tests (K01-K07) and the discount rate of contract coverage. Every key is optional: a deal file names only what it overrides, the rest comes from schemas/compute-criteria.json. `x-description` is the wording the report and the documentation use ({name} is replaced by the limit of that name); a test carries exactly one of `max` (pass when actual <= max, headroom = max - actual) or `min` (pass when actual >= min, headroom = actual - min).
 */
export interface ComputeCriteria {
  /**
   * Optional: a link to this schema, for editors.
   */
  $schema?: string;
  schemaVersion?: "dmbs-compute-criteria/1";
  /**
   * Free text: which deal, which version of its criteria.
   */
  description?: string;
  /**
   * ISO 4217 currency of the deal (G08).
   */
  dealCurrency?: string;
  /**
   * Annual rate discounting remaining contracted revenue (K05, pool pvContracted); monthly rate = discountRate / 12.
   */
  discountRate?: number;
  /**
   * Per-lot eligibility criteria. A lot is eligible when no enabled criterion fails.
   */
  eligibility?: {
    G01?: {
      enabled?: Enabled;
      /**
       * Payment statuses an eligible lot may have.
       *
       * @minItems 1
       */
      paymentStatuses?: [
        "CURRENT" | "DPD_30" | "DPD_60" | "DPD_90" | "DPD_120_PLUS" | "DEFAULT",
        ...("CURRENT" | "DPD_30" | "DPD_60" | "DPD_90" | "DPD_120_PLUS" | "DEFAULT")[]
      ];
    };
    G02?: {
      enabled?: Enabled;
      /**
       * Lien positions an eligible lot may have.
       *
       * @minItems 1
       */
      lienPositions?: ["FIRST" | "SECOND", ...("FIRST" | "SECOND")[]];
    };
    G03?: {
      enabled?: Enabled;
      /**
       * Latest inServiceDate of a lot not yet energised, in calendar months after reportingDate (clamped to the month's last day).
       */
      maxMonthsToInService?: number;
    };
    G04?: {
      enabled?: Enabled;
      /**
       * Approved jurisdictions (ISO 3166-1 alpha-2).
       *
       * @minItems 1
       */
      countries?: [string, ...string[]];
    };
    G05?: {
      enabled?: Enabled;
      /**
       * Greatest age of the units at reportingDate.
       */
      maxAgeMonths?: number;
    };
    G06?: {
      enabled?: Enabled;
      /**
       * How long before the debt's maturity the contract may expire, in calendar months (clamped to the month's last day).
       */
      monthsBeforeMaturity?: number;
    };
    G07?: {
      enabled?: Enabled;
      /**
       * Customer ratings that make a lot ineligible (the rating floor).
       */
      excludedRatings?: Rating[];
      /**
       * Guarantor ratings that cure a customer below the floor (empty: no guarantee cures).
       */
      guarantorRatings?: Rating[];
    };
    G08?: {
      enabled?: Enabled;
    };
    G09?: {
      enabled?: Enabled;
    };
  };
  /**
   * Concentration and pool tests (K01-K07) on the eligible lots.
   */
  concentrations?: {
    /**
     * top: the customer groups (customerParent when it holds a value, else customer).
     */
    K01?: {
      enabled?: Enabled;
      max?: Fraction;
    };
    /**
     * top: the customer groups with the most revenue at a counted rating, as shares of the eligible pool's monthly contracted revenue.
     */
    K02?: {
      enabled?: Enabled;
      max?: Fraction;
      /**
       * The customer ratings counted (default: everything below BBB-, and NR).
       */
      ratings?: Rating[];
    };
    /**
     * top: the models (gpuModel; OTHER is one model).
     */
    K03?: {
      enabled?: Enabled;
      max?: Fraction;
    };
    /**
     * top: the sites (siteId).
     */
    K04?: {
      enabled?: Enabled;
      max?: Fraction;
    };
    /**
     * top: the largest lots (lotId).
     */
    K05?: {
      enabled?: Enabled;
      min?: number;
    };
    /**
     * top: the largest lots (lotId).
     */
    K06?: {
      enabled?: Enabled;
      max?: number;
    };
    /**
     * top: the largest lots (lotId).
     */
    K07?: {
      enabled?: Enabled;
      max?: number;
    };
  };
}
