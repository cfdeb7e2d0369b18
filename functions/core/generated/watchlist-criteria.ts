/* eslint-disable */
// GENERATED from schemas/watchlist-criteria.schema.json by `npm run gen:types`. Do not edit: change the schema and regenerate.

/**
 * false switches the code off for the deal.
 */
export type Enabled = boolean;

/**
 * Surveillance thresholds: when a valid loan of a tape goes on the deal's watchlist, judged alone (W01, W03, W04, W08) or against the same loan on the deal's prior tape (W02, W05, W06, W07). A deal file names only what it overrides: objects merge key by key. `x-description` is the wording the report and the documentation use ({name} is replaced by the threshold of that name).
 */
export interface WatchlistCriteria {
  /**
   * Optional: a link to this schema, for editors.
   */
  $schema?: string;
  /**
   * Which thresholds these are.
   */
  id?: string;
  version?: string;
  description?: string;
  W01?: {
    enabled?: Enabled;
    /**
     * Coverage below which a loan is watched.
     */
    minDscr?: number;
  };
  W02?: {
    enabled?: Enabled;
    /**
     * Fall, as a share of the prior dscr.
     */
    fall?: number;
  };
  W03?: {
    enabled?: Enabled;
  };
  W04?: {
    enabled?: Enabled;
    /**
     * Calendar months after reportingDate, clamped to the month's last day.
     */
    months?: number;
  };
  W05?: {
    enabled?: Enabled;
    /**
     * Calendar months after the prior tape's expectedCompletionDate, clamped.
     */
    months?: number;
  };
  W06?: {
    enabled?: Enabled;
    /**
     * Notches on the scale AAA .. D (NR is off the scale).
     */
    notches?: number;
  };
  W07?: {
    enabled?: Enabled;
  };
  W08?: {
    enabled?: Enabled;
    /**
     * Leverage above which a loan is watched.
     */
    maxLtv?: number;
  };
}
