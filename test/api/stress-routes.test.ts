/**
 * The stress routes over the local stack: the what-if answers the report's own section for an
 * empty body and the same section `dmbs check` gives under the merged model (nothing read again
 * but the stored sums), the role matrix (another issuer's tape: 404), bad models (400 naming the
 * JSON path), and the deal's stress file (reviewers write it, the next tape is evaluated with it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DmbsReport } from '../../functions/core/generated/report.ts';
import { uploadAndRun, startApiStack, type ApiStack, type KeyName } from './support/api-stack.ts';
import { generateTape, toCsv } from '../../bench/tape-generator.ts';

let stack: ApiStack;
beforeAll(async () => {
  stack = await startApiStack();
});
afterAll(async () => stack?.stop());

const post = (path: string, body: unknown, key: KeyName = 'reviewer') =>
  stack.fetch(path, { method: 'POST', key, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const put = (path: string, body: unknown, key: KeyName = 'reviewer') =>
  stack.fetch(path, { method: 'PUT', key, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const json = async <T,>(res: Response, status = 200): Promise<T> => {
  expect(res.status, await res.clone().text()).toBe(status);
  return (await res.json()) as T;
};
type Stress = NonNullable<DmbsReport['stress']>;

describe('POST /v1/tapes/{tapeId}/stress (what-if)', () => {
  it('{} gives the report\'s own section; a cap rate changes the figures', async () => {
    const tapeId = stack.tapes.a1v2;
    const report = await json<DmbsReport>(await stack.fetch(`/v1/tapes/${tapeId}/report`));
    expect(await json<Stress>(await post(`/v1/tapes/${tapeId}/stress`, {}))).toEqual(report.stress);
    const higher = await json<Stress>(await post(`/v1/tapes/${tapeId}/stress`, { capRate: { base: 0.1 } }));
    // value = Σ stressed NCF / rate: 0.085 -> 0.1 scales it by 0.85 (one cap rate in force)
    const ratio = Number(higher.pool.stressedValue) / Number(report.stress!.pool.stressedValue);
    expect(ratio).toBeCloseTo(0.85, 6);
    expect(higher.pool.stressedNcf).toBe(report.stress!.pool.stressedNcf);
  });

  it('the reviewer, onboarding and the tape\'s issuer may; another issuer gets 404 as for any tape', async () => {
    const tapeId = stack.tapes.a1v2;
    const status = async (key: KeyName) => (await post(`/v1/tapes/${tapeId}/stress`, {}, key)).status;
    expect([await status('reviewer'), await status('onboarding'), await status('issuerA'), await status('issuerB')]).toEqual([200, 200, 200, 404]);
    expect((await post(`/v1/tapes/${stack.tapes.a3failed}/stress`, {})).status).toBe(409);
  });

  it('a bad model is a 400 naming the JSON path', async () => {
    const res = await post(`/v1/tapes/${stack.tapes.a2}/stress`, { tranches: [{ name: 'A', share: 0.5 }], capRate: { base: 'x' } });
    const body = await json<{ code: string; detail: string }>(res, 400);
    expect(body.code).toBe('STRESS_MODEL_INVALID');
    expect(body.detail).toMatch(/body: \/capRate\/base: must be number/);
    expect((await json<{ detail: string }>(await post(`/v1/tapes/${stack.tapes.a2}/stress`, { tranches: [{ name: 'A', share: 0.5 }] }), 400)).detail).toMatch(/\/tranches: the shares sum to 0\.5, not 1/);
  });
});

describe('GET /v1/tapes/{tapeId}/loans', () => {
  it('carries each eligible loan\'s stressed figures, nulls for the others', async () => {
    type Item = { eligible: boolean; stressedNcf: string | null; stressedValue: string | null; stressedLtv: string | null; stressedDscr: string | null };
    const { items } = await json<{ items: Item[] }>(await stack.fetch(`/v1/tapes/${stack.tapes.a1v1}/loans?limit=1000`));
    expect(items.some((l) => l.eligible) && items.some((l) => !l.eligible)).toBe(true);
    for (const l of items) {
      if (l.eligible) expect(l.stressedNcf).toMatch(/^-?\d+\.\d\d$/);
      else expect([l.stressedNcf, l.stressedValue, l.stressedLtv, l.stressedDscr]).toEqual([null, null, null, null]);
    }
  });
});

describe('/v1/deals/{dealId}/stress', () => {
  it('reviewers store the deal\'s model; the issuer reads it but may not write; the next tape is evaluated with it', async () => {
    expect((await stack.fetch('/v1/deals/deal-2/stress?issuerId=acme')).status).toBe(404);
    const model = { id: 'deal-2-stress', version: '3', tranches: [{ name: 'Senior', share: 0.75 }, { name: 'Junior', share: 0.25 }] };
    expect((await put('/v1/deals/deal-2/stress?issuerId=acme', model, 'issuerA')).status).toBe(403);
    expect((await put('/v1/deals/deal-2/stress?issuerId=acme', { tranches: [{ name: 'A', share: 2 }] })).status).toBe(400);
    expect(await json(await put('/v1/deals/deal-2/stress?issuerId=acme', model))).toEqual(model);
    expect(await json(await stack.fetch('/v1/deals/deal-2/stress', { key: 'issuerA' }))).toEqual(model);
    expect((await stack.fetch('/v1/deals/deal-2/stress', { key: 'issuerB' })).status).toBe(404);
    const tapeId = await uploadAndRun(stack.aws, 'incoming/acme/deal-2/tape-2.csv', toCsv(generateTape({ rows: 20, seed: 22, dealId: 'deal-2' }).rows));
    const report = await json<DmbsReport>(await stack.fetch(`/v1/tapes/${tapeId}/report`));
    expect(report.stress!.model).toEqual({ id: 'deal-2-stress', version: '3' });
    expect(report.stress!.tranches.map((t) => t.name)).toEqual(['Senior', 'Junior']);
    // the what-if merges over the deal's model: its tranches stay
    const whatIf = await json<Stress>(await post(`/v1/tapes/${tapeId}/stress`, { capRate: { base: 0.2 } }));
    expect(whatIf.tranches.map((t) => t.name)).toEqual(['Senior', 'Junior']);
  });
});
