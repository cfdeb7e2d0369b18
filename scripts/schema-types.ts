/**
 * Renders the TypeScript types of the product from the JSON Schemas in `schemas/` (the single
 * source of truth). Used by `npm run gen:types` to write them and by a test that fails on drift.
 */
import { readFile } from 'node:fs/promises';
import { compile, type JSONSchema } from 'json-schema-to-typescript';

/** Schema file -> generated module, relative to the repository root. */
export const GENERATED_TYPES: ReadonlyArray<{ schema: string; out: string; name: string }> = [
  { schema: 'schemas/dmbs-loan-tape.v1.schema.json', out: 'functions/core/generated/loan-tape.ts', name: 'DmbsLoan' },
  { schema: 'schemas/dmbs-report.v1.schema.json', out: 'functions/core/generated/report.ts', name: 'DmbsReport' },
  { schema: 'schemas/column-mapping.v1.schema.json', out: 'functions/core/generated/column-mapping.ts', name: 'ColumnMapping' },
  { schema: 'schemas/tape-scored.v1.schema.json', out: 'functions/core/generated/tape-scored.ts', name: 'TapeScoredDetail' },
  { schema: 'schemas/tape-failed.v1.schema.json', out: 'functions/core/generated/tape-failed.ts', name: 'TapeFailedDetail' },
  { schema: 'schemas/loans-watchlisted.v1.schema.json', out: 'functions/core/generated/loans-watchlisted.ts', name: 'LoansWatchlistedDetail' },
  { schema: 'schemas/dmbx-series-created.v1.schema.json', out: 'functions/core/generated/dmbx-series-created.ts', name: 'DmbxSeriesCreatedDetail' },
  { schema: 'schemas/dmbs-criteria.v1.schema.json', out: 'functions/core/generated/criteria.ts', name: 'DmbsCriteria' },
  { schema: 'schemas/score-model.schema.json', out: 'functions/core/generated/score-model.ts', name: 'ScoreModel' },
  { schema: 'schemas/stress-model.schema.json', out: 'functions/core/generated/stress-model.ts', name: 'StressModel' },
  { schema: 'schemas/watchlist-criteria.schema.json', out: 'functions/core/generated/watchlist-criteria.ts', name: 'WatchlistCriteria' },
  { schema: 'schemas/dmbs-compute-tape.v1.schema.json', out: 'functions/core/generated/compute-tape.ts', name: 'DmbsComputeLot' },
  { schema: 'schemas/compute-criteria.schema.json', out: 'functions/core/generated/compute-criteria.ts', name: 'ComputeCriteria' },
  { schema: 'schemas/compute-residual-curve.schema.json', out: 'functions/core/generated/compute-residual-curve.ts', name: 'ComputeResidualCurve' },
  { schema: 'schemas/compute-score-model.schema.json', out: 'functions/core/generated/compute-score-model.ts', name: 'ComputeScoreModel' },
  { schema: 'schemas/compute-report-sections.schema.json', out: 'functions/core/generated/compute-report.ts', name: 'ComputeReportSections' },
  { schema: 'schemas/dmbx-rulebook.schema.json', out: 'functions/core/generated/dmbx-rulebook.ts', name: 'DmbxRulebook' },
];

const BANNER = (schema: string) =>
  `/* eslint-disable */\n// GENERATED from ${schema} by \`npm run gen:types\`. Do not edit: change the schema and regenerate.\n`;

/** The text of one generated module. */
export async function renderTypes(root: string, entry: { schema: string; name: string }): Promise<string> {
  const schema = JSON.parse(await readFile(`${root}/${entry.schema}`, 'utf8')) as JSONSchema;
  return compile(schema, entry.name, {
    bannerComment: BANNER(entry.schema),
    additionalProperties: false,
    unknownAny: true,
    format: true,
    declareExternallyReferenced: true,
    $refOptions: { resolve: { external: false } } as never,
  });
}
