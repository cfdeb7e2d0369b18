/**
 * The app with fake ports: failures of our own become a 500 problem with a request id (the cause
 * goes to the log, never to the caller), readiness turns /health into 503, and a missing
 * artifact is named.
 */
import { describe, expect, it } from 'vitest';
import { createApp } from '../../functions/api/app.ts';
import type { ApiDeps, ResultsReader } from '../../functions/api/ports.ts';
import type { TapeRecord } from '../../functions/aws/results-repository.ts';
import { TapeObjectError } from '../../functions/core/errors.ts';

const TAPE_ID = 'a'.repeat(32);
const scored: TapeRecord = {
  tapeId: TAPE_ID, status: 'SCORED', runId: 'r', issuerId: 'acme', dealId: 'd', fileName: 'f.csv',
  object: { bucket: 'b', key: 'incoming/acme/d/f.csv', versionId: null, size: 1 },
  uploadedAt: '2026-01-01T00:00:00.000Z', receivedAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z',
  summary: {
    sha256: 'x', format: 'csv', reportingDate: null, rowCount: 1, validRowCount: 1, invalidRowCount: 0, errorCount: 0, warningCount: 0,
    dataQualityScore: '100.00', eligibleCount: 1, ineligibleCount: 0, eligibleBalance: '1.00', scorePoints: '90', scoreBand: 'AAA range', failedTests: [],
  },
  artifacts: { report: 'reports/x/report.json', findings: 'reports/x/findings.ndjson', loans: 'reports/x/loans.ndjson.gz', loanResults: 'reports/x/loan-results.ndjson.gz' },
};

function deps(overrides: Partial<ApiDeps> = {}, logs: unknown[] = []): ApiDeps {
  const results: ResultsReader = {
    getTape: async () => scored,
    listTapesByDeal: async () => { throw new Error('dynamo exploded at /var/task/secret.js:12'); },
    listDealsByIssuer: async () => ({ items: [] }),
    listDeals: async () => ({ items: [] }),
    listTapesByStatus: async () => ({ items: [] }),
    getDeal: async () => ({ issuerId: 'acme', dealId: 'd', createdAt: '', updatedAt: '' }),
    dealKind: async () => undefined,
  };
  return {
    results,
    artifacts: {
      open: async () => { throw new TapeObjectError('OBJECT_NOT_FOUND', 'gone'); },
      readLines: async function* () { throw new TapeObjectError('OBJECT_NOT_FOUND', 'gone'); },
      getJson: async () => { throw new Error('no'); },
      readRange: async () => { throw new TapeObjectError('OBJECT_NOT_FOUND', 'gone'); },
    },
    presigner: { presignPut: async () => ({ url: 'http://s3/x', headers: {} }) },
    auth: { authenticate: () => ({ ok: true, principal: { role: 'reviewer', subject: 'test' } }) },
    log: (level, message, data) => logs.push({ level, message, data }),
    ...overrides,
  };
}

describe('error handling', () => {
  it('an unexpected failure is a 500 problem with a request id; the cause is only logged', async () => {
    const logs: Array<{ data: { requestId: string; stack: string } }> = [];
    const app = createApp(deps({}, logs));
    const res = await app.request('/v1/deals/d/tapes?issuerId=acme', { headers: { authorization: 'Bearer x' } });
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const body = await res.json() as { code: string; detail: string };
    expect(body.code).toBe('INTERNAL');
    expect(body.detail).not.toMatch(/exploded|secret|\.js/);
    expect(body.detail).toContain(res.headers.get('x-request-id')!);
    expect(logs).toHaveLength(1);
    expect(logs[0]!.data.stack).toMatch(/dynamo exploded/);
  });

  it('a missing stored artifact is named, not a crash', async () => {
    const app = createApp(deps());
    for (const path of ['report', 'errors', 'loans']) {
      const res = await app.request(`/v1/tapes/${TAPE_ID}/${path}`);
      expect(res.status).toBe(500);
      expect(await res.json()).toMatchObject({ code: 'ARTIFACT_MISSING', detail: expect.stringMatching(/Upload the tape again/) });
    }
  });

  it('/health is 503 while a dependency is not ready', async () => {
    const app = createApp(deps({ readiness: async () => ({ s3: 'ok', dynamodb: 'connection refused' }) }));
    const res = await app.request('/health');
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await res.json()).toMatchObject({ code: 'UNAVAILABLE', detail: 'Not ready: dynamodb (connection refused). Try again shortly.', errors: [{ location: 'dynamodb', message: 'connection refused' }], checks: { s3: 'ok', dynamodb: 'connection refused' } });
  });

  it('without assets the page is a problem document', async () => {
    const res = await createApp(deps()).request('/');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });
});
