/**
 * /v1/tapes routes: tapes by status across deals (reviewers), status and summary, the stored report, every finding (NDJSON or CSV,
 * streamed), per-loan eligibility (paginated, filtered) and the criteria it was evaluated with. Thin: access checks, negotiation,
 * streaming; artifacts come from the store as they are. A page of loans is read from the loan
 * pages (pipeline/loan-pages.ts: the index and at most three blocks) when the tape has them, else
 * by scanning the loan results from the start (tapes scored before loan pages existed).
 */
import { linePage } from '../line-page.ts';
import type { Hono } from 'hono';
import type { TapeRecord } from '../../pipeline/result-records.ts';
import type { Finding } from '../../core/generated/report.ts';
import type { TapeArtifacts } from '../../pipeline/ports.ts';
import { enumQuery, intQuery, paged, readArtifact, requireFindings, requireScored, streamBody, tapeFor, type AppContext, type AppEnv, type ScoredTape } from '../context.ts';
import { csvRecord } from '../csv-cells.ts';
import { loadCriteria } from '../../core/evaluation/criteria.ts';
import { artifactKeys } from '../../pipeline/state.ts';
import { computeCriteriaLabels, criteriaLabels, isComputeCriteria } from '../criteria-labels.ts';
import { loadComputeCriteria } from '../../core/kinds/compute/compute-criteria.ts';
import type { LoanPage, LoanResult, TapePage } from '../generated/api.ts';
import { decodePageToken, encodePageToken } from '../page-token.ts';
import { redirectToStored } from '../large-responses.ts';
import { loanListFor, readLoanPage, type LoanPagesIndex } from '../../pipeline/loan-pages.ts';
import type { ApiDeps } from '../ports.ts';
import { ApiProblem } from '../problem.ts';
import { toTape, toTapeListItem } from '../views.ts';
import { TAPE_STATUSES } from '../../pipeline/tape-status.ts';

/** Most store reads behind one filtered page of GET /v1/tapes. */
const MAX_STEPS = 20;

const CSV_COLUMNS = ['row', 'column', 'field', 'code', 'severity', 'message', 'value', 'loanId'] as const;
const NDJSON_TYPE = 'application/x-ndjson; charset=utf-8';

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

/** The revision `?revision=` names (default: the current one) and its artifacts; earlier revisions stay readable. */
function revisionArtifacts(c: AppContext, tape: ScoredTape): { revision: number; artifacts: TapeArtifacts } {
  const current = tape.revision ?? 1;
  const wanted = intQuery(c, 'revision', { min: 1, max: 1_000_000, default: current })!;
  if (wanted === current) return { revision: current, artifacts: tape.artifacts };
  const earlier = tape.revisions?.find((r) => r.revision === wanted);
  if (!earlier) {
    throw new ApiProblem('REVISION_NOT_FOUND', `Tape ${tape.tapeId} has no result revision ${wanted}; its revisions are ${[...(tape.revisions ?? []).map((r) => r.revision), current].join(', ')} (GET /v1/tapes/${tape.tapeId}).`);
  }
  return { revision: wanted, artifacts: earlier.artifacts };
}

/** A page of loan results read from the whole results artifact (tapes scored before loan pages). */
async function scanLoanResults(
  deps: ApiDeps, key: string, filter: { eligible: 'true' | 'false' | undefined; criterion: string | undefined }, start: number, limit: number,
): Promise<{ items: LoanResult[]; next: number | null }> {
  const keep = (loan: LoanResult) => (filter.eligible === undefined || String(loan.eligible) === filter.eligible)
    && (filter.criterion === undefined || loan.failures.some((f) => f.criterion === filter.criterion));
  return linePage(deps.artifacts.readLines(key, { gzip: true }), start, limit, keep, (loan: LoanResult): LoanResult => ({
    row: loan.row, loanId: loan.loanId, eligible: loan.eligible, failures: loan.failures.map((f) => ({ criterion: f.criterion, reason: f.reason })),
    // the stressed figures, in results stored since the stress lens
    ...(loan.stressedNcf !== undefined ? { stressedNcf: loan.stressedNcf, stressedValue: loan.stressedValue ?? null, stressedLtv: loan.stressedLtv ?? null, stressedDscr: loan.stressedDscr ?? null } : {}),
    // and the watchlist codes, in results stored since the watchlist
    ...(loan.watchlist ? { watchlist: loan.watchlist } : {}),
  }));
}

export function tapeRoutes(app: Hono<AppEnv>, deps: ApiDeps): void {
  const logStreamError = (tapeId: string, what: string) => (e: unknown) =>
    deps.log?.('error', `streaming ${what} failed`, { tapeId, error: e instanceof Error ? e.message : String(e) });

  // Tapes of no deal (a key not of the form incoming/{issuerId}/{dealId}/{file}) are found only here.
  app.get('/v1/tapes', async (c) => {
    const principal = c.get('principal');
    if (principal.role === 'issuer') {
      throw new ApiProblem('ROLE_FORBIDDEN', 'Only reviewers and onboarding list tapes across deals; list your deal\'s tapes with GET /v1/deals/{dealId}/tapes.');
    }
    const status = enumQuery(c, 'status', TAPE_STATUSES);
    if (!status) throw new ApiProblem('INVALID_PARAMETER', `Give a status: ?status= one of ${TAPE_STATUSES.join(', ')}.`, { errors: [{ location: 'query.status', message: 'required' }] });
    const code = c.req.query('code') || undefined;
    if (code !== undefined && !/^[A-Z][A-Z0-9_]{0,63}$/.test(code)) {
      throw new ApiProblem('INVALID_PARAMETER', `code must be a failure code such as OBJECT_KEY_INVALID; got '${code.slice(0, 40)}'.`, { errors: [{ location: 'query.code', message: 'pattern ^[A-Z][A-Z0-9_]*$' }] });
    }
    const limit = intQuery(c, 'limit', { min: 1, max: 100, default: 20 })!;
    // A filtered page is read from the store in steps of what is still missing, so that no match is
    // skipped; at most MAX_STEPS reads per request (then a short page with a nextToken).
    const page = await paged(c, `tapes:${status}:${code ?? ''}`, limit, async (p) => {
      const items: TapeRecord[] = [];
      let cursor = p.cursor;
      for (let step = 0; step < MAX_STEPS && items.length < limit; step++) {
        const read = await deps.results.listTapesByStatus(status, { limit: limit - items.length, ...(cursor ? { cursor } : {}) });
        items.push(...read.items.filter((t) => code === undefined || t.failure?.code === code));
        cursor = read.cursor;
        if (!cursor) break;
      }
      return { items, ...(cursor ? { cursor } : {}) };
    });
    const body: TapePage = { items: page.items.map(toTapeListItem), nextToken: page.nextToken };
    return c.json(body);
  });

  app.get('/v1/tapes/:tapeId', async (c) => c.json(toTape(await tapeFor(c, deps, c.req.param('tapeId')))));

  app.get('/v1/tapes/:tapeId/report', async (c) => {
    const tape = await tapeFor(c, deps, c.req.param('tapeId'));
    // A SCORED tape's report of the revision asked for; a FAILED tape's validation report (requireFindings).
    const artifacts = tape.status === 'SCORED' ? revisionArtifacts(c, requireScored(tape)).artifacts : requireFindings(tape).artifacts;
    // The stored document is passed through byte for byte (it is already dmbs-report/1 JSON).
    const iterator = (await readArtifact(tape.tapeId, 'report', () => deps.artifacts.open({ key: artifacts.report })))[Symbol.asyncIterator]();
    const first = await readArtifact(tape.tapeId, 'report', () => iterator.next());
    return c.body(streamBody(first, iterator, logStreamError(tape.tapeId, 'report')), 200, {
      'content-type': 'application/json; charset=utf-8',
    });
  });

  app.get('/v1/tapes/:tapeId/errors', async (c) => {
    const tape = requireFindings(await tapeFor(c, deps, c.req.param('tapeId')));
    const format = errorsFormat(c);
    const field = c.req.query('field') || undefined;
    const code = c.req.query('code') || undefined;
    const severity = enumQuery(c, 'severity', ['error', 'warning'] as const);
    const limit = intQuery(c, 'limit', { min: 1, max: 1_000_000_000 });
    const filtered = field !== undefined || code !== undefined || severity !== undefined;
    if (format === 'ndjson' && !filtered && limit === undefined) {
      // The answer is the stored artifact byte for byte: too large for inline, its presigned GET is.
      const redirect = await redirectToStored(c, deps, tape.artifacts.findings, { contentType: NDJSON_TYPE });
      if (redirect) return redirect;
    }
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
          yield format === 'csv' ? csvRecord([f.row, f.column ?? null, f.field, f.code, f.severity, f.message, f.value, f.loanId ?? null]) : `${line}\n`;
        }
      } finally {
        await lines.return?.();
      }
    }
    const iterator = records();
    const first = await iterator.next();
    const headers: Record<string, string> = format === 'csv'
      ? { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${tape.tapeId}-errors.csv"` }
      : { 'content-type': NDJSON_TYPE };
    return c.body(streamBody(first, iterator, logStreamError(tape.tapeId, 'findings')), 200, { ...headers, vary: 'Accept' });
  });

  app.get('/v1/tapes/:tapeId/loans', async (c) => {
    const tape = requireScored(await tapeFor(c, deps, c.req.param('tapeId')));
    const eligible = enumQuery(c, 'eligible', ['true', 'false'] as const);
    const criterion = c.req.query('criterion') || undefined;
    if (criterion !== undefined && !/^[EG]\d{2}$/.test(criterion)) {
      throw new ApiProblem('INVALID_PARAMETER', `criterion must be an eligibility criterion id such as E05 (a compute tape's: G05); got '${criterion.slice(0, 20)}'.`, { errors: [{ location: 'query.criterion', message: 'pattern ^[EG][0-9]{2}$' }] });
    }
    const limit = intQuery(c, 'limit', { min: 1, max: 1000, default: 100 })!;
    const { artifacts } = revisionArtifacts(c, tape);
    const key = artifacts.loanResults;
    if (!key) throw new ApiProblem('LOANS_NOT_EVALUATED', `Tape ${tape.tapeId} was validated but not evaluated, so it has no loan-level eligibility.`);
    const scope = `loans:${tape.tapeId}:${key}:${eligible ?? ''}:${criterion ?? ''}`;
    const token = c.req.query('nextToken');
    const start = token ? decodePageToken<number>(token, scope, 'number') : 0;

    const { items, next } = artifacts.loanPages && artifacts.loanPagesIndex
      ? await readArtifact(tape.tapeId, 'loan pages', async () => {
        const pages = artifacts.loanPages!;
        const index = await deps.artifacts.getJson<LoanPagesIndex>(artifacts.loanPagesIndex!);
        return readLoanPage(index, loanListFor({ eligible, criterion }), start, limit, (offset, length) => deps.artifacts.readRange(pages, offset, offset + length));
      })
      : await readArtifact(tape.tapeId, 'loan results', () => scanLoanResults(deps, key, { eligible, criterion }, start, limit));
    const nextToken = next === null ? null : encodePageToken(scope, next);
    const body: LoanPage = { items, nextToken };
    return c.json(body);
  });

  app.get('/v1/tapes/:tapeId/criteria', async (c) => {
    const tape = requireScored(await tapeFor(c, deps, c.req.param('tapeId')));
    // Each revision was evaluated with the criteria it stored beside its results.
    const key = artifactKeys(tape.tapeId, revisionArtifacts(c, tape).revision).criteria;
    const stored = await readArtifact(tape.tapeId, 'criteria', () => deps.artifacts.getJson<unknown>(key));
    return c.json(isComputeCriteria(stored) ? computeCriteriaLabels(loadComputeCriteria(stored, key)) : criteriaLabels(loadCriteria(stored, key)));
  });
}
