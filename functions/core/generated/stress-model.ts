/* eslint-disable */
// GENERATED from schemas/stress-model.schema.json by `npm run gen:types`. Do not edit: change the schema and regenerate.

/**
 * The agency lens: how each eligible loan's underwritten net cash flow is haircut and capitalised at a stressed rate, the most each rating level may carry (maximum cumulative stressed LTV), and optionally the deal's tranches. A deal file names only what it overrides: objects merge key by key, arrays replace. Numbers are read as the decimal written.
 */
export interface StressModel {
  /**
   * Optional: a link to this schema, for editors.
   */
  $schema?: string;
  /**
   * Which model this is; the report's stress.model.id.
   */
  id?: string;
  /**
   * Its version; the report's stress.model.version.
   */
  version?: string;
  /**
   * Free text.
   */
  description?: string;
  /**
   * Haircut of a loan's underwrittenNcf: min(max, base + the adds that apply).
   */
  ncfHaircut?: {
    /**
     * Applied to every loan.
     */
    base?: number;
    /**
     * Added when largestTenantRating is not AAA..BBB- (NR included).
     */
    addIfTenantBelowInvestmentGrade?: number;
    /**
     * Added when earlyTerminationRight is true (a no-data code or blank reads as false).
     */
    addIfEarlyTerminationRight?: number;
    /**
     * Added when constructionStatus is not OPERATIONAL.
     */
    addIfNotOperational?: number;
    /**
     * The largest haircut a loan can get.
     */
    max?: number;
  };
  /**
   * Stressed capitalisation rate of a loan: base + the add-on of its market.
   */
  capRate?: {
    /**
     * Every market.
     */
    base?: number;
    /**
     * Market name -> rate added to base. Names are compared as for C05 (trimmed, inner spaces collapsed, case ignored); two names that compare alike are rejected.
     */
    marketAdd?: {
      [k: string]: number;
    };
  };
  /**
   * Rating levels, most senior first: the largest cumulative stressed LTV (balance / stressed value) each can carry.
   *
   * @minItems 1
   */
  ratingLevels?: [
    {
      rating: string;
      maxStressedLtv: number;
    },
    ...{
      rating: string;
      maxStressedLtv: number;
    }[]
  ];
  /**
   * The deal's capital structure, senior first, as shares of the eligible pool that sum to exactly 1. Absent: no tranche table.
   */
  tranches?: {
    name: string;
    share: number;
  }[];
}
