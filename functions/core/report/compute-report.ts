/**
 * The report of a compute tape: `dmbs-report/1` with the tape and validation sections of every
 * kind (schemas/dmbs-report.v1.schema.json, `tape.kind` "compute") and the compute kind's own
 * sections (schemas/compute-report-sections.schema.json) in place of the loan tape's. Its JSON
 * Schema is composed here from those two, so neither restates the other.
 */
import reportSchema from '../../../schemas/dmbs-report.v1.schema.json' with { type: 'json' };
import computeSectionsSchema from '../../../schemas/compute-report-sections.schema.json' with { type: 'json' };
import type { ComputeReportSections } from '../generated/compute-report.ts';
import type { DmbsReport } from '../generated/report.ts';

/** A compute tape's report. */
export type DmbsComputeReport = Pick<DmbsReport, 'schemaVersion' | 'generatedAt' | 'validation'> & {
  readonly tape: DmbsReport['tape'] & { readonly kind: 'compute' };
} & ComputeReportSections;

/** True for a compute tape's report (checkTape's, the pipeline's, the API's). */
export function isComputeReport(report: { readonly tape: { readonly kind?: string } }): report is DmbsComputeReport {
  return report.tape.kind === 'compute';
}

/** The JSON Schema of a compute tape's report, from the report's and the compute sections' schemas. */
export function computeReportSchema(): object {
  const base = structuredClone(reportSchema) as unknown as { properties: Record<string, unknown>; required: string[]; $defs: Record<string, unknown> };
  const sections = structuredClone(computeSectionsSchema) as unknown as { properties: Record<string, unknown>; required: string[]; $defs: Record<string, unknown> };
  const tape = base.properties.tape as { required: string[] };
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://dmbs.example/schemas/dmbs-compute-report.v1.schema.json',
    title: 'DmbsComputeReport',
    type: 'object',
    required: ['schemaVersion', 'tape', 'validation', ...sections.required],
    additionalProperties: false,
    properties: {
      schemaVersion: base.properties.schemaVersion,
      generatedAt: base.properties.generatedAt,
      tape: { ...tape, required: [...tape.required, 'kind'] },
      validation: base.properties.validation,
      ...sections.properties,
    },
    $defs: { ...base.$defs, ...sections.$defs },
  };
}
