/* eslint-disable */
// GENERATED from schemas/compute-residual-curve.schema.json by `npm run gen:types`. Do not edit: change the schema and regenerate.

/**
 * The curve of every model without its own.
 *
 * @minItems 1
 * @maxItems 240
 */
export type Curve = [[unknown, unknown], ...[unknown, unknown][]];
/**
 * [[months, share], ...], months strictly increasing from 0.
 *
 * @minItems 1
 * @maxItems 240
 */
export type Curve1 = [[unknown, unknown], ...[unknown, unknown][]];

/**
 * Residual-value curves for the compute tape: per gpuModel (byModel) or the default, each a list of [months in service, share of lot cost] points. The first point is at 0 months, months strictly increase (checked when the curve is loaded); shares are fractions 0-1. Every key is optional in a deal's curve document: it names only what it overrides.
 */
export interface ComputeResidualCurve {
  /**
   * Optional: a link to this schema, for editors.
   */
  $schema?: string;
  version?: "dmbs-compute-residual/1";
  /**
   * Free text: the source of the curve.
   */
  description?: string;
  default?: Curve;
  /**
   * Curves by gpuModel code, each replacing the default for that model.
   */
  byModel?: {
    [k: string]: Curve1;
  };
}
