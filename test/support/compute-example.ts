/**
 * examples/compute-tape.csv read as the compute kind sees it: the core CSV reader, headers matched
 * to the compute schema's fields and aliases, cells typed by the field's x-kind (blank and ND
 * cells left out), then evaluated by the kind's accumulator into the report's compute sections.
 */
import { readFile } from 'node:fs/promises';
import computeTapeSchema from '../../schemas/dmbs-compute-tape.v1.schema.json' with { type: 'json' };
import { ComputePoolAccumulator, buildComputeSections, loadComputeCriteria, loadResidualCurve, type EvaluatedLot, type LotEvaluation } from '../../functions/core/kinds/compute/index.ts';
import { headerKey } from '../../functions/core/mapping/header-key.ts';
import { readCsv } from '../../functions/core/readers/csv-reader.ts';

const properties = computeTapeSchema.properties as Record<string, { 'x-kind': string; 'x-aliases': string[] }>;
const NUMERIC = new Set(['money', 'decimal', 'fraction', 'integer']);

/** The example tape's lots with their rows. */
export async function exampleLots(file = new URL('../../examples/compute-tape.csv', import.meta.url)): Promise<Array<{ row: number; lot: EvaluatedLot }>> {
  const byKey = new Map<string, string>();
  for (const [name, p] of Object.entries(properties)) for (const alias of [name, ...p['x-aliases']]) byKey.set(headerKey(alias), name);
  const bytes = new Uint8Array(await readFile(file));
  let fields: Array<string | undefined> = [];
  const lots: Array<{ row: number; lot: EvaluatedLot }> = [];
  for await (const { row, cells } of readCsv((async function* () { yield bytes; })())) {
    if (row === 1) { fields = cells.map((c) => byKey.get(headerKey(c))); continue; }
    const lot: Record<string, unknown> = {};
    cells.forEach((raw, i) => {
      const field = fields[i];
      const text = raw.trim();
      if (!field || text === '' || /^ND[1-5]$/.test(text)) return;
      const kind = properties[field]!['x-kind'];
      lot[field] = kind === 'boolean' ? text === 'true' : NUMERIC.has(kind) ? Number(text) : text;
    });
    lots.push({ row, lot: lot as unknown as EvaluatedLot });
  }
  return lots;
}

/** The compute sections of the example tape and each lot's evaluation. */
export async function exampleEvaluation(): Promise<{ sections: ReturnType<typeof buildComputeSections>; lots: Array<{ row: number; lot: EvaluatedLot; evaluation: LotEvaluation }> }> {
  const acc = new ComputePoolAccumulator({ criteria: loadComputeCriteria(), curve: loadResidualCurve() });
  const lots = (await exampleLots()).map(({ row, lot }) => ({ row, lot, evaluation: acc.add(lot, row) }));
  return { sections: buildComputeSections(acc), lots };
}
