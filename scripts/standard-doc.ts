/**
 * Renders docs/standard.md from the schemas (fields, aliases, ND codes, rules, finding codes,
 * data-quality weights, eligibility criteria, concentration and pool tests, score model).
 * `npm run gen:docs` writes it; a test fails when the committed file is stale.
 */
import { readFile } from 'node:fs/promises';

type Json = Record<string, any>;

export const esc = (s: string) => s.replace(/\|/g, '\\|');

export function typeOf(p: Json): string {
  const range: string[] = [];
  if (p.minimum !== undefined) range.push(`≥ ${p.minimum}`);
  if (p.exclusiveMinimum !== undefined) range.push(`> ${p.exclusiveMinimum}`);
  if (p.maximum !== undefined) range.push(`≤ ${p.maximum}`);
  if (p.exclusiveMaximum !== undefined) range.push(`< ${p.exclusiveMaximum}`);
  if (p.maxLength !== undefined) range.push(`${p.minLength ?? 0}–${p.maxLength} chars`);
  const base = p.enum ? p.enum.join(', ') : p['x-kind'] === 'code' && p.pattern ? `code \`${p.pattern}\`` : p['x-kind'];
  return [base, ...range].join('; ');
}

/** One table per `x-group` of a tape schema: field, requirement, type, unit, ND, weight, aliases, description. */
export function fieldTables(tape: Json, groups: Record<string, string>): string[] {
  const required = new Set<string>(tape.required);
  const conditional: Record<string, string> = {};
  for (const rule of tape.allOf ?? []) {
    const [cond, spec] = Object.entries(rule.if.properties)[0] as [string, Json];
    const when = spec.const !== undefined ? `${cond} = ${spec.const}` : `${cond} ∈ {${spec.enum.join(', ')}}`;
    for (const f of rule.then.required) conditional[f] = when;
  }
  const out: string[] = [];
  for (const [group, title] of Object.entries(groups)) {
    out.push(`## ${title}`, '', '| field | req. | type | unit | ND | weight | aliases | description |', '|---|---|---|---|---|---|---|---|');
    for (const [name, p] of Object.entries<Json>(tape.properties)) {
      if (p['x-group'] !== group) continue;
      const req = required.has(name) ? '**R**' : conditional[name] ? `R if ${conditional[name]}` : '';
      out.push(`| \`${name}\` | ${req} | ${esc(typeOf(p))} | ${esc(p['x-unit'] ?? '')} | ${p['x-nd-allowed'] ? 'yes' : 'no'} | ${p['x-criticality']} | ${esc(p['x-aliases'].join(', '))} | ${esc(p.description)} |`);
    }
    out.push('');
  }
  return out;
}

/** The whole document. */
export async function renderStandardDoc(root: string): Promise<string> {
  const tape: Json = JSON.parse(await readFile(`${root}/schemas/dmbs-loan-tape.v1.schema.json`, 'utf8'));
  const report: Json = JSON.parse(await readFile(`${root}/schemas/dmbs-report.v1.schema.json`, 'utf8'));
  const out: string[] = [
    '# DMBS loan-tape standard v1 — field reference',
    '',
    '<!-- GENERATED from schemas/ by `npm run gen:docs`. Do not edit: change the schema and regenerate. -->',
    '',
    tape.description,
    '',
    'Headers match a field when, lower-cased with spaces, underscores, hyphens, dots and slashes removed, they equal the field name or one of its aliases. An explicit mapping file (`dmbs check --mapping F`, or the deal\'s column mapping in the pipeline: `PUT /v1/deals/{dealId}/mapping`; schema `schemas/column-mapping.v1.schema.json`) wins.',
    '',
    ...fieldTables(tape, { loan: 'Identification and loan terms', facility: 'Facility', tenancy: 'Tenancy' }),
  ];
  out.push('## No-data codes', '', '| code | meaning |', '|---|---|');
  for (const [code, meaning] of Object.entries<string>(tape['x-nd-codes'])) out.push(`| ${code} | ${esc(meaning)} |`);
  out.push('', '## Cross-field and cross-row rules', '', '| rule | fields | severity | description |', '|---|---|---|---|');
  for (const r of tape['x-cross-field-rules']) out.push(`| ${r.id} | ${r.fields.join(', ')} | ${r.severity} | ${esc(r.description)} |`);
  const dq = tape['x-data-quality'];
  out.push('', '## Data-quality score', '', dq.description, '', '| cell state | credit |', '|---|---|');
  for (const [state, credit] of Object.entries(dq.credit)) out.push(`| ${state} | ${credit} |`);
  out.push('', 'Each field\'s weight is its `x-criticality` (column "weight" above).', '');
  out.push('## Finding codes', '', 'Stable and public: a code is never renamed.', '', '| code | severity | meaning |', '|---|---|---|');
  for (const [code, c] of Object.entries<Json>(report['x-finding-codes'])) out.push(`| ${code} | ${c.severity} | ${esc(c.description)} |`);
  out.push('');
  out.push(...await renderEvaluationDoc(root));
  return out.join('\n');
}

/** Fills `{name}` placeholders of an `x-description` with the default limits. */
export function wording(template: string, limits: Json, criteria: Json): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = name === 'dealCurrency' ? criteria.dealCurrency : limits[name];
    return Array.isArray(v) ? v.join(', ') : String(v);
  });
}

/** Criteria, concentration and pool tests with their default limits, and the score model. */
async function renderEvaluationDoc(root: string): Promise<string[]> {
  const schema: Json = JSON.parse(await readFile(`${root}/schemas/dmbs-criteria.v1.schema.json`, 'utf8'));
  const defaults: Json = JSON.parse(await readFile(`${root}/schemas/default-criteria.json`, 'utf8'));
  const model: Json = JSON.parse(await readFile(`${root}/schemas/score-model.json`, 'utf8'));
  const out: string[] = [
    '## Eligibility criteria',
    '',
    `Defaults from \`schemas/default-criteria.json\` (deal currency ${defaults.dealCurrency}); a deal's criteria file (schema \`schemas/dmbs-criteria.v1.schema.json\`) overrides any limit or switches a criterion off. A loan is eligible when no enabled criterion fails; only valid rows are evaluated.`,
    '',
    '| id | a loan is eligible only if (default limits) |',
    '|---|---|',
  ];
  for (const [id, spec] of Object.entries<Json>(schema.properties.eligibility.properties)) {
    out.push(`| ${id} | ${esc(wording(spec['x-description'], defaults.eligibility[id], defaults))} |`);
  }
  out.push('', '## Concentration and pool tests', '',
    'On the eligible pool, weighted by currentBalance. Shares, ratios, averages and counts are exact and rounded half-even to 6 decimals when written; `pass` is decided on the exact figure. Headroom is in the limit\'s unit: limit − actual for a maximum, actual − limit for a minimum (negative = breached). `top` lists the 5 largest contributors with their share of the eligible balance (ties: by key). An empty eligible pool gives `actual` null, `pass` false, `headroom` null, `top` [] and a reason.',
    '', '| id | test | default limit | unit | top |', '|---|---|---|---|---|');
  for (const [id, spec] of Object.entries<Json>(schema.properties.concentrations.properties)) {
    const limits = defaults.concentrations[id];
    const limit = limits.max !== undefined ? `≤ ${limits.max}` : `≥ ${limits.min}`;
    out.push(`| ${id} | ${esc(wording(spec['x-description'], limits, defaults))} | ${limit} | ${esc(spec['x-limit-unit'])} | ${esc(spec.description.replace(/^top: /, ''))} |`);
  }
  out.push('', `## Scorecard (${model.version})`, '', model.description, '',
    '| factor | metric | weight | points at metric value (linear in between, flat outside) | description |', '|---|---|---|---|---|');
  for (const f of model.factors) {
    const points = f.breakpoints.map((b: Json) => `${b.at} → ${b.points}`).join('; ');
    out.push(`| ${f.name} | ${f.metric} | ${f.weight} | ${points} | ${esc(f.description)} |`);
  }
  out.push('', '| score at least | band |', '|---|---|');
  for (const b of model.bands) out.push(`| ${b.min} | ${b.band} |`);
  out.push('', `Without an eligible pool the score is 0, band "${model.emptyPoolBand}", and every factor's value is null.`, '',
    `Investment grade: ${model.investmentGrade.join(', ')}.`, '',
    '| rating | ' + Object.keys(model.ratingFactors).join(' | ') + ' |',
    '|---|' + Object.keys(model.ratingFactors).map(() => '---').join('|') + '|',
    '| rating factor | ' + Object.values(model.ratingFactors).join(' | ') + ' |', '');
  return out;
}
