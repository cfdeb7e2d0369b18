/**
 * /v1/tapes routes: status and summary, the stored report, every finding (NDJSON or CSV,
 * streamed), and per-loan eligibility (paginated, filtered). Thin: access checks, negotiation,
 * streaming; artifacts come from the store as they are.
 */
import type { Hono } from 'hono';
import type { Finding } from '../../core/generated/report.ts';
import type { TapeArtifacts } from '../../pipeline/ports.ts';
import { enumQuery, intQuery, readArtifact, requireScored, streamBody, tapeFor, type AppContext, type AppEnv, type ScoredTape } from '../context.ts';
import { csvRecord } from '../csv-cells.ts';
import type { LoanPage, LoanResult } from '../generated/api.ts';
import { decodePageToken, encodePageToken } from '../page-token.ts';
import type { ApiDeps } from '../ports.ts';
import { ApiProblem } from '../problem.ts';
import { toTape } from '../views.ts';

const CSV_COLUMNS = ['row', 'column', 'field', 'code', 'severity', 'message', 'value'] as const;

/** csv or ndjson from ?format= (wins) or Accept; 406 when neither is acceptable. */
function errorsFormat(c: AppContext): 'csv' | 'ndjson' {
  const format = enumQuery(c, 'format', ['csv', 'ndjson'] as const);
  if (format) return format;
  const accept = (c.req.header('accept') ?? '').toLowerCase();
  if (accept.trim() === '') return 'ndjson';
  const types = accept.split(',').map((t) => {
    const [type = '', ...params] = t.trim().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return { type: type.trim(), q: q ? Number(q.slice(2)) : 1 };
  }).filter((t) => t.q > 0);
  const csv = types.find((t) => t.type === 'text/csv');
  const ndjson = types.find((t) => ['application/x-ndjson', 'application/ndjson', 'application/jsonl', 'application/json', 'application/*', '*/*'].includes(t.type));
  if (csv && (!ndjson || csv.q >= ndjson.q)) return 'csv';
  if (ndjson) return 'ndjson';
  if (types.some((t) => t.type === 'text/*')) return 'csv';
  throw new ApiProblem('NOT_ACCEPTABLE', 'Findings are available as application/x-ndjson (default) or text/csv; ask for one of them in Accept or with ?format=.');
}

/** The artifacts of the revision `?revision=` names (default: the current one); earlier revisions stay readable. */
function revisionArtifacts(c: AppContext, tape: ScoredTape): TapeArtifacts {
  const current = tape.revision ?? 1;
  const wanted = intQuery(c, 'revision', { min: 1, max: 1_000_000, default: current })!;
  if (wanted === current) return tape.artifacts;
  const earlier = tape.revisions?.find((r) => r.revision === wanted);
  if (!earlier) {
    throw new ApiProblem('REVISION_NOT_FOUND', `Tape ${tape.tapeId} has no result revision ${wanted}; its revisions are ${[...(tape.revisions ?? []).map((r) => r.revision), current].join(', ')} (GET /v1/tapes/${tape.tapeId}).`);
  }
  return earlier.artifacts;
}

export function tapeRoutes(app: Hono<AppEnv>, deps: ApiDeps): void {
  const logStreamError = (tapeId: string, what: string) => (e: unknown) =>
    deps.log?.('error', `streaming ${what} failed`, { tapeId, error: e instanceof Error ? e.message : String(e) });

  app.get('/v1/tapes/:tapeId', async (c) => c.json(toTape(await tapeFor(c, deps, c.req.param('tapeId')))));

  app.get('/v1/tapes/:tapeId/report', async (c) => {
    const tape = requireScored(await tapeFor(c, deps, c.req.param('tapeId')));
    const artifacts = revisionArtifacts(c, tape);
    // The stored document is passed through byte for byte (it is already dmbs-report/1 JSON).
    const iterator = (await readArtifact(tape.tapeId, 'report', () => deps.artifacts.open({ key: artifacts.report })))[Symbol.asyncIterator]();
    const first = await readArtifact(tape.tapeId, 'report', () => iterator.next());
    return c.body(streamBody(first, iterator, logStreamError(tape.tapeId, 'report')), 200, {
      'content-type': 'application/json; charset=utf-8',
    });
  });

  app.get('/v1/tapes/:tapeId/errors', async (c) => {
    const tape = requireScored(await tapeFor(c, deps, c.req.param('tapeId')));
    const format = errorsFormat(c);
    const field = c.req.query('field') || undefined;
    const code = c.req.query('code') || undefined;
    const severity = enumQuery(c, 'severity', ['error', 'warning'] as const);
    const limit = intQuery(c, 'limit', { min: 1, max: 1_000_000_000 });
    const filtered = field !== undefined || code !== undefined || severity !== undefined;
    const lines = deps.artifacts.readLines(tape.artifacts.findings)[Symbol.asyncIterator]();
    // Open the findings before answering, so that a missing artifact is still a problem document.
    let pending: IteratorResult<string> | undefined = await readArtifact(tape.tapeId, 'findings', () => lines.next());

    async function* records(): AsyncGenerator<string> {
      if (format === 'csv') yield csvRecord(CSV_COLUMNS);
      let count = 0;
      try {
        for (;;) {
          if (limit !== undefined && count >= limit) break;
          const next = pending ?? (await lines.next());
          pending = undefined;
          if (next.done) break;
          const line = next.value;
          if (format === 'ndjson' && !filtered) {
            count++;
            yield `${line}\n`;
            continue;
          }
          const f = JSON.parse(line) as Finding;
          if ((field !== undefined && f.field !== field) || (code !== undefined && f.code !== code) || (severity !== undefined && f.severity !== severity)) continue;
          count++;
          yield format === 'csv' ? csvRecord([f.row, f.column ?? null, f.field, f.code, f.severity, f.message, f.value]) : `${line}\n`;
        }
      } finally {
        await lines.return?.();
      }
    }
    const iterator = records();
    const first = await iterator.next();
    const headers: Record<string, string> = format === 'csv'
      ? { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${tape.tapeId}-errors.csv"` }
      : { 'content-type': 'application/x-ndjson; charset=utf-8' };
    return c.body(streamBody(first, iterator, logStreamError(tape.tapeId, 'findings')), 200, { ...headers, vary: 'Accept' });
  });

  app.get('/v1/tapes/:tapeId/loans', async (c) => {
    const tape = requireScored(await tapeFor(c, deps, c.req.param('tapeId')));
    const eligible = enumQuery(c, 'eligible', ['true', 'false'] as const);
    const criterion = c.req.query('criterion') || undefined;
    if (criterion !== undefined && !/^E\d{2}$/.test(criterion)) {
      throw new ApiProblem('INVALID_PARAMETER', `criterion must be an eligibility criterion id such as E05; got '${criterion.slice(0, 20)}'.`, { errors: [{ location: 'query.criterion', message: 'pattern ^E[0-9]{2}$' }] });
    }
    const limit = intQuery(c, 'limit', { min: 1, max: 1000, default: 100 })!;
    const key = revisionArtifacts(c, tape).loanResults;
    if (!key) throw new ApiProblem('LOANS_NOT_EVALUATED', `Tape ${tape.tapeId} was validated but not evaluated, so it has no loan-level eligibility.`);
    const scope = `loans:${tape.tapeId}:${key}:${eligible ?? ''}:${criterion ?? ''}`;
    const token = c.req.query('nextToken');
    const start = token ? decodePageToken<number>(token, scope, 'number') : 0;

    const items: LoanResult[] = [];
    let position = 0;
    let nextToken: string | null = null;
    await readArtifact(tape.tapeId, 'loan results', async () => {
      for await (const line of deps.artifacts.readLines(key, { gzip: true })) {
        const at = position++;
        if (at < start) continue;
        const loan = JSON.parse(line) as LoanResult;
        if (eligible !== undefined && String(loan.eligible) !== eligible) continue;
        if (criterion !== undefined && !loan.failures.some((f) => f.criterion === criterion)) continue;
        if (items.length === limit) {
          nextToken = encodePageToken(scope, at);
          break;
        }
        items.push({ row: loan.row, loanId: loan.loanId, eligible: loan.eligible, failures: loan.failures.map((f) => ({ criterion: f.criterion, reason: f.reason })) });
      }
    });
    const body: LoanPage = { items, nextToken };
    return c.json(body);
  });
}
