/**
 * The OpenAPI document is generated from schemas/: every $ref resolves inside it, the embedded
 * report schema still validates a real report after its references were rewritten, and the API's
 * generated TypeScript types match the schema (drift fails the test: run npm run gen:api-types).
 */
import { readFile } from 'node:fs/promises';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { generateTape, toCsv } from '../../bench/tape-generator.ts';
import { openApiDocument } from '../../functions/api/openapi.ts';
import { checkTape } from '../../functions/core/check-tape.ts';
import { renderApiTypes, API_TYPES } from '../../scripts/api-types.ts';

type Json = Record<string, unknown>;
const doc = openApiDocument() as Json & { paths: Record<string, Record<string, Json>>; components: { schemas: Record<string, Json> } };

function refs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => refs(n, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refs(v, out);
    }
  }
  return out;
}

function resolve(pointer: string): unknown {
  return pointer.replace(/^#\//, '').split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], doc);
}

describe('GET /openapi.json', () => {
  it('is OpenAPI 3.1 with every path of the issue', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/health', '/openapi.json', '/v1/deals', '/v1/deals/{dealId}', '/v1/deals/{dealId}/compare', '/v1/deals/{dealId}/mapping', '/v1/deals/{dealId}/stress', '/v1/deals/{dealId}/tapes',
      '/v1/deals/{dealId}/trends', '/v1/deals/{dealId}/watchlist',
      '/v1/dmbx/series', '/v1/dmbx/series/{name}', '/v1/market/balance-sheet-transition', '/v1/market/exposures', '/v1/me',
      '/v1/rescores', '/v1/rescores/{jobId}',
      '/v1/tapes', '/v1/tapes/{tapeId}', '/v1/tapes/{tapeId}/criteria', '/v1/tapes/{tapeId}/errors', '/v1/tapes/{tapeId}/loans', '/v1/tapes/{tapeId}/report',
      '/v1/tapes/{tapeId}/rescore', '/v1/tapes/{tapeId}/stress',
    ]);
    expect(doc.paths['/v1/deals/{dealId}/tapes']!.post).toBeDefined();
    expect(JSON.stringify(doc.paths['/v1/tapes/{tapeId}/rescore'])).toContain('#/components/schemas/RescoreJob');
    expect(JSON.stringify(doc.paths['/v1/rescores'])).toContain('#/components/schemas/RescoreRequest');
    expect(JSON.stringify(doc.paths['/v1/dmbx/series']!.post)).toContain('#/components/schemas/DmbxSeries');
    expect(JSON.stringify(doc.paths['/v1/market/exposures'])).toContain('#/components/schemas/ExposurePage');
  });

  it('embeds the schemas of schemas/ and references them; every $ref resolves', () => {
    const names = Object.keys(doc.components.schemas);
    expect(names).toEqual(expect.arrayContaining(['DmbsReport', 'DmbsLoan', 'ColumnMapping', 'DmbsCriteria', 'TapeScoredDetail', 'TapeFailedDetail', 'LoansWatchlistedDetail', 'Problem', 'TapePage', 'Comparison', 'DealWatchlist', 'DealTrends']));
    const all = refs(doc);
    expect(all.length).toBeGreaterThan(50);
    for (const r of all) {
      expect(r.startsWith('#/components/schemas/'), r).toBe(true);
      expect(resolve(r), r).toBeDefined();
    }
    expect(JSON.stringify(doc.paths['/v1/tapes/{tapeId}/report'])).toContain('#/components/schemas/DmbsReport');
    expect(JSON.stringify(doc)).not.toContain('"$id"');
  });

  it('the embedded report schema validates a report from checkTape', async () => {
    const csv = toCsv(generateTape({ rows: 20, seed: 3, brokenShare: 0.2 }).rows);
    const { report } = await checkTape({ fileName: 'tape.csv', open: async function* () { yield Buffer.from(csv); } });
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    ajv.addSchema({ $id: 'https://test/openapi', components: doc.components } as never);
    const validate = ajv.compile({ $ref: 'https://test/openapi#/components/schemas/DmbsReport' });
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...report, schemaVersion: 'other' })).toBe(false);
  });

  it('every error response is problem+json', () => {
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        for (const [status, response] of Object.entries(op.responses as Record<string, Json>)) {
          if (Number(status) >= 400) expect(Object.keys(response.content as Json), `${method} ${path} ${status}`).toEqual(['application/problem+json']);
        }
      }
    }
  });
});

describe('generated API types', () => {
  it(`${API_TYPES.out} matches ${API_TYPES.schema}`, async () => {
    const root = new URL('../..', import.meta.url).pathname;
    expect(await readFile(`${root}/${API_TYPES.out}`, 'utf8')).toBe(await renderApiTypes(root));
  });
});
