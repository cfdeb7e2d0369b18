/**
 * Bench: how fast does the compute kind's evaluation (eligibility + pool aggregate + sections) run?
 * Generates compute lots, types them as validation would (not timed; the compute row validator
 * comes with the kind's wiring), then times ComputePoolAccumulator.add over every lot, the same in
 * chunks serialised to JSON, a merge of the chunks, and buildComputeSections. Prints figures; asserts nothing.
 *
 *   npx tsx bench/compute-evaluation.ts [--rows 200000] [--chunks 8]
 */
import computeTapeSchema from '../schemas/dmbs-compute-tape.v1.schema.json' with { type: 'json' };
import { ComputePoolAccumulator, buildComputeSections, loadComputeCriteria, loadResidualCurve, type EvaluatedLot } from '../functions/core/kinds/compute/index.ts';
import { generateComputeTape } from '../functions/local/compute-tape-generator.ts';
import { arg } from './number-arg.ts';

const rows = arg('rows', 200_000);
const chunks = arg('chunks', 8);

const kinds = computeTapeSchema.properties as Record<string, { 'x-kind': string }>;
const numeric = new Set(['money', 'decimal', 'fraction', 'integer']);
const lots = generateComputeTape({ rows, seed: 7 }).map((row) => {
  const lot: Record<string, unknown> = {};
  for (const [field, text] of Object.entries(row)) {
    if (text === '' || /^ND[1-5]$/.test(text)) continue;
    const kind = kinds[field]!['x-kind'];
    lot[field] = kind === 'boolean' ? text === 'true' : numeric.has(kind) ? Number(text) : text;
  }
  return lot as unknown as EvaluatedLot;
});
const settings = { criteria: loadComputeCriteria(), curve: loadResidualCurve() };

let t = performance.now();
const whole = new ComputePoolAccumulator(settings);
lots.forEach((lot, i) => whole.add(lot, i + 2));
const addMs = performance.now() - t;

t = performance.now();
const size = Math.ceil(lots.length / chunks);
const parts = Array.from({ length: chunks }, (_, k) => {
  const acc = new ComputePoolAccumulator(settings);
  lots.slice(k * size, (k + 1) * size).forEach((lot, i) => acc.add(lot, k * size + i + 2));
  return JSON.stringify(acc);
});
const chunkMs = performance.now() - t;
t = performance.now();
const merged = parts.reduce((acc, s) => acc.merge(ComputePoolAccumulator.fromJSON(JSON.parse(s), settings)), new ComputePoolAccumulator(settings));
const mergeMs = performance.now() - t;
t = performance.now();
const sections = buildComputeSections(merged);
const sectionsMs = performance.now() - t;

console.log(`lots                  ${lots.length} (${sections.eligibility.eligibleCount} eligible, ${merged.result().path.length} path dates)`);
console.log(`add (one accumulator) ${(lots.length / addMs * 1000).toFixed(0)} lots/s`);
console.log(`add in ${chunks} chunks + JSON ${(lots.length / chunkMs * 1000).toFixed(0)} lots/s`);
console.log(`merge ${chunks} states      ${mergeMs.toFixed(1)} ms (state ${(parts.reduce((s, p) => s + p.length, 0) / chunks / 1024).toFixed(1)} KiB each)`);
console.log(`build sections        ${sectionsMs.toFixed(1)} ms`);
