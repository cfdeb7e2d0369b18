/**
 * A compute tape through the pipeline and the API: its report (a compute report: tape.kind and
 * the compute sections, valid against the composed schema), its lots with their eligibility
 * (filtered by a G criterion), the labels of its criteria, tests and score factors.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoanPage, Tape, TapeCriteria } from '../../functions/api/generated/api.ts';
import { createAjv } from '../../functions/core/schema/ajv.ts';
import { computeReportSchema } from '../../functions/core/report/compute-report.ts';
import apiSchema from '../../schemas/dmbs-api.v1.schema.json' with { type: 'json' };
import reportSchema from '../../schemas/dmbs-report.v1.schema.json' with { type: 'json' };
import { startApiStack, uploadAndRun, type ApiStack } from './support/api-stack.ts';

let stack: ApiStack;
let tapeId: string;
const ajv = createAjv();
ajv.addSchema(reportSchema).addSchema(apiSchema);
const schemaOf = (name: string) => ajv.getSchema(`${apiSchema.$id}#/$defs/${name}`)!;

beforeAll(async () => {
  stack = await startApiStack();
  const csv = await readFile(new URL('../../examples/compute-tape.csv', import.meta.url), 'utf8');
  tapeId = await uploadAndRun(stack.aws, 'incoming/acme/gpu-deal/lots.csv', csv);
});
afterAll(async () => stack?.stop());

const json = async <T,>(res: Response): Promise<T> => {
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as T;
};

describe('a compute tape in the API', () => {
  it('answers its report: tape.kind compute and the compute sections', async () => {
    const report = await json<{ tape: { kind: string }; pool: { lotCount: number; residualPath: unknown[] } }>(await stack.fetch(`/v1/tapes/${tapeId}/report`));
    expect(report.tape.kind).toBe('compute');
    expect(report.pool.lotCount).toBe(7);
    const validate = createAjv({ allErrors: true }).compile(computeReportSchema());
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
  });

  it('pages its lots with their eligibility, filtered by a G criterion', async () => {
    const all = await json<LoanPage>(await stack.fetch(`/v1/tapes/${tapeId}/loans?limit=100`));
    expect(schemaOf('LoanPage')(all), JSON.stringify(schemaOf('LoanPage').errors)).toBe(true);
    expect(all.items).toHaveLength(12);
    expect(all.items[0]).toMatchObject({ row: 2, lotId: 'GPU-007-000001', eligible: true });
    const g06 = await json<LoanPage>(await stack.fetch(`/v1/tapes/${tapeId}/loans?eligible=false&criterion=G06`));
    expect(g06.items).toHaveLength(3);
    expect(g06.items.every((l) => l.failures.some((f) => f.criterion === 'G06'))).toBe(true);
    expect((await stack.fetch(`/v1/tapes/${tapeId}/loans?criterion=X06`)).status).toBe(400);
  });

  it("answers its summary with its kind, and the deal's tapes and trends; the watchlist is the loan tape's", async () => {
    const deal = await json<Record<string, unknown>>(await stack.fetch('/v1/deals/gpu-deal?issuerId=acme'));
    expect(schemaOf('Deal')(deal), JSON.stringify(schemaOf('Deal').errors)).toBe(true);
    expect(deal.kind).toBe('compute');
    const tapes = await json<{ items: Array<{ tapeId: string }> }>(await stack.fetch('/v1/deals/gpu-deal/tapes?issuerId=acme'));
    expect(tapes.items.map((t) => t.tapeId)).toContain(tapeId);
    const trends = await stack.fetch('/v1/deals/gpu-deal/trends?issuerId=acme');
    expect(trends.status, await trends.clone().text()).toBe(200);
    expect((await trends.json() as { points: Array<{ tapeId: string; eligibleCount: number }> }).points).toContainEqual(expect.objectContaining({ tapeId, eligibleCount: 7 }));
    const watchlist = await stack.fetch('/v1/deals/gpu-deal/watchlist?issuerId=acme');
    expect(watchlist.status).toBe(404);
    expect(await watchlist.json()).toMatchObject({ detail: expect.stringContaining('is a compute tape; the watchlist compares loans') });
    const tape = await json<Tape>(await stack.fetch(`/v1/tapes/${tapeId}`));
    expect(schemaOf('Tape')(tape), JSON.stringify(schemaOf('Tape').errors)).toBe(true);
    expect(tape.summary).toMatchObject({ kind: 'compute', eligibleCount: 7 });
  });

  it('has no stress lens: the what-if answers 409', async () => {
    const res = await stack.fetch(`/v1/tapes/${tapeId}/stress`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status, await res.clone().text()).toBe(409);
    expect(await res.json()).toMatchObject({ code: 'STRESS_NOT_EVALUATED', detail: expect.stringContaining('is a compute tape') });
  });

  it("labels its criteria, tests and score factors from the compute kind's schemas", async () => {
    const labels = await json<TapeCriteria>(await stack.fetch(`/v1/tapes/${tapeId}/criteria`));
    expect(schemaOf('TapeCriteria')(labels), JSON.stringify(schemaOf('TapeCriteria').errors)).toBe(true);
    expect(labels.eligibility.map((e) => e.id)).toEqual(['G01', 'G02', 'G03', 'G04', 'G05', 'G06', 'G07', 'G08', 'G09']);
    expect(labels.concentrations.find((c) => c.id === 'K01')).toMatchObject({ label: 'largest customer group share of currentBalance', unit: 'fraction of eligible balance' });
    expect(labels.scoreFactors[0]).toMatchObject({ name: 'residualLeverage', metric: 'worstResidualLtv' });
  });
});
