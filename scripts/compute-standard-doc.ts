/**
 * Renders docs/compute-standard.md from the compute kind's schemas (fields, aliases, ND codes,
 * rules, criteria, tests, residual curve, score model). `npm run gen:docs` writes it; a test fails
 * when the committed file is stale. The prose and the worked example are in docs/compute-tape.md.
 */
import { readFile } from 'node:fs/promises';
import { esc, fieldTables, wording } from './standard-doc.ts';

type Json = Record<string, any>;

/** The whole document. */
export async function renderComputeStandardDoc(root: string): Promise<string> {
  const read = async (f: string): Promise<Json> => JSON.parse(await readFile(`${root}/schemas/${f}`, 'utf8'));
  const [tape, criteriaSchema, criteria, curve, model] = await Promise.all([
    read('dmbs-compute-tape.v1.schema.json'), read('compute-criteria.schema.json'), read('compute-criteria.json'),
    read('compute-residual-curve.json'), read('compute-score-model.json'),
  ]);
  const out: string[] = [
    '# DMBS compute-tape standard v1 — field reference',
    '',
    '<!-- GENERATED from schemas/ by `npm run gen:docs`. Do not edit: change the schema and regenerate. -->',
    '',
    tape.description,
    '',
    `${tape['x-tape-kind'].description} The rules of the standard, its decisions and a worked example: [compute-tape.md](compute-tape.md).`,
    '',
  ];
  out.push(...fieldTables(tape, { lot: 'Lot and parties', asset: 'Asset', contract: 'Contract', operations: 'Operations', debt: 'Debt', valuation: 'Valuation' }));
  out.push('## Cross-field and cross-row rules', '', '| rule | fields | severity | description |', '|---|---|---|---|');
  for (const r of tape['x-cross-field-rules']) out.push(`| ${r.id} | ${r.fields.join(', ')} | ${r.severity} | ${esc(r.description)} |`);
  out.push('', 'No-data codes and the data-quality credits are the loan tape\'s ([standard.md](standard.md)); each field\'s weight is its `x-criticality` (column "weight" above).', '');
  out.push('## Eligibility criteria', '',
    `Defaults from \`schemas/compute-criteria.json\` (deal currency ${criteria.dealCurrency}, discount rate ${criteria.discountRate}); a deal's compute criteria file (schema \`schemas/compute-criteria.schema.json\`) overrides any limit or switches a criterion off.`,
    '', '| id | a lot is eligible only if (default limits) |', '|---|---|');
  for (const [id, spec] of Object.entries<Json>(criteriaSchema.properties.eligibility.properties)) {
    out.push(`| ${id} | ${esc(wording(spec['x-description'], criteria.eligibility[id], criteria))} |`);
  }
  out.push('', '## Concentration and pool tests', '', '| id | test | default limit | unit | top |', '|---|---|---|---|---|');
  for (const [id, spec] of Object.entries<Json>(criteriaSchema.properties.concentrations.properties)) {
    const limits = criteria.concentrations[id];
    const limit = limits.max !== undefined ? `≤ ${limits.max}` : `≥ ${limits.min}`;
    out.push(`| ${id} | ${esc(wording(spec['x-description'], limits, criteria))} | ${limit} | ${esc(spec['x-limit-unit'])} | ${esc(spec.description.replace(/^top: /, ''))} |`);
  }
  out.push('', `## Residual curve (${curve.version})`, '', curve.description, '', '| months in service | share of lot cost |', '|---|---|');
  for (const [m, s] of curve.default) out.push(`| ${m} | ${s} |`);
  const own = Object.keys(curve.byModel);
  out.push('', own.length ? `Models with their own curve: ${own.join(', ')}.` : 'No model has its own curve: every model follows the default.', '');
  out.push(`## Score (${model.version})`, '', model.description, '',
    '| factor | metric | weight | points at metric value (linear in between, flat outside) | description |', '|---|---|---|---|---|');
  for (const f of model.factors) {
    out.push(`| ${f.name} | ${f.metric} | ${f.weight} | ${f.breakpoints.map((b: Json) => `${b.at} → ${b.points}`).join('; ')} | ${esc(f.description)} |`);
  }
  out.push('', '| score at least | band |', '|---|---|');
  for (const b of model.bands) out.push(`| ${b.min} | ${b.band} |`);
  out.push('', `Without an eligible pool the score is 0, band "${model.emptyPoolBand}", and every factor's value is null. Investment grade: ${model.investmentGrade.join(', ')}.`, '');
  return out.join('\n');
}
