/* eslint-disable */
// GENERATED from schemas/dmbx-series-created.v1.schema.json by `npm run gen:types`. Do not edit: change the schema and regenerate.

/**
 * Detail of the EventBridge event `DmbxSeriesCreated` (source `dmbs.pipeline`): a DMBX series was fixed. Series are immutable, so the event is final; the whole series (look-through shares included) is at `series`. Consumers must be idempotent on `name`.
 */
export interface DmbxSeriesCreatedDetail {
  schemaVersion: "dmbx-series-created/1";
  name: string;
  asOf: string;
  createdAt: string;
  /**
   * The API path of the series: /v1/dmbx/series/{name}.
   */
  series: string;
  /**
   * The series' deals in rank order, each with weight 1/n.
   */
  deals: {
    issuerId: string;
    dealId: string;
    tapeId: string;
    /**
     * Decimal text, 6 decimals.
     */
    weight: string;
  }[];
  /**
   * Each cap of the rulebook: the largest look-through share, its key, the limit and whether it passes (null with no deal).
   */
  caps: {
    by: "tenantGroup" | "sponsor" | "market";
    key: string | null;
    share: string | null;
    limit: string;
    pass: boolean | null;
  }[];
}
