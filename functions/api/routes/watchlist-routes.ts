/**
 * Surveillance routes of a deal: its current watchlist (the watchlisted loans of its latest scored
 * tape with the values the codes read, now and on the prior tape) and its trends (one point per
 * SCORED tape in reportingDate order). Both read what the pipeline stored; nothing is recomputed.
 */
import { linePage } from '../line-page.ts';
import type { Hono } from 'hono';
import type { DealRecord } from '../../aws/results-repository.ts';
import type { DmbsReport } from '../../core/generated/report.ts';
import { describeWatchlistCode, loadWatchlistCriteria, WATCHLIST_CODES, type WatchlistCode } from '../../core/watchlist/index.ts';
import type { StoredWatchlist } from '../../pipeline/prior-tape.ts';
import { dealFor, intQuery, readArtifact, requireScored, tapeFor, type AppEnv, type ScoredTape } from '../context.ts';
import type { DealTrends, DealWatchlist, TrendPoint, WatchlistLoan } from '../generated/api.ts';
import { decodePageToken, encodePageToken } from '../page-token.ts';
import type { ApiDeps } from '../ports.ts';
import { ApiProblem } from '../problem.ts';

/** A deal's SCORED tapes that carry a reportingDate, oldest reportingDate first (ties: earlier upload first). */
async function scoredTapes(deps: ApiDeps, deal: DealRecord): Promise<ScoredTape[]> {
  const out: ScoredTape[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.results.listTapesByDeal(deal.issuerId, deal.dealId, { limit: 1000, ...(cursor ? { cursor } : {}) });
    for (const t of page.items) if (t.status === 'SCORED' && t.artifacts && t.summary?.reportingDate) out.push(t as ScoredTape);
    cursor = page.cursor;
  } while (cursor);
  const key = (t: ScoredTape) => `${t.summary.reportingDate}#${t.uploadedAt}`;
  return out.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** Reports read at once for the trends. */
const REPORTS_AT_ONCE = 8;

export function watchlistRoutes(app: Hono<AppEnv>, deps: ApiDeps): void {
  app.get('/v1/deals/:dealId/watchlist', async (c) => {
    const deal = await dealFor(c, deps, c.req.param('dealId'));
    const code = c.req.query('code') || undefined;
    if (code !== undefined && !(WATCHLIST_CODES as readonly string[]).includes(code)) {
      throw new ApiProblem('INVALID_PARAMETER', `code must be a watchlist code W01..W08; got '${code.slice(0, 20)}'.`, { errors: [{ location: 'query.code', message: 'pattern ^W0[1-8]$' }] });
    }
    const limit = intQuery(c, 'limit', { min: 1, max: 1000, default: 100 })!;
    const tape = await watchedTape(c.req.query('tapeId'), deal);
    const { watchlist: sectionKey, watchlistLoans: loansKey } = tape.artifacts;
    if (tape.summary.kind === 'compute') {
      throw new ApiProblem('WATCHLIST_NOT_FOUND', `Tape ${tape.tapeId} is a compute tape; the watchlist compares loans, so only loan tapes have one (docs/compute-tape.md).`);
    }
    if (!sectionKey || !loansKey) {
      throw new ApiProblem('WATCHLIST_NOT_FOUND', `Tape ${tape.tapeId} was scored before the pipeline kept a watchlist; re-score it (POST /v1/tapes/${tape.tapeId}/rescore) to get one.`);
    }
    const stored = await readArtifact(tape.tapeId, 'watchlist', () => deps.artifacts.getJson<StoredWatchlist>(sectionKey));
    const scope = `watchlist:${tape.tapeId}:${loansKey}:${code ?? ''}`;
    const token = c.req.query('nextToken');
    const start = token ? decodePageToken<number>(token, scope, 'number') : 0;
    // Positions are lines of the listing (row order); a page scans from its token on.
    const { items, next } = await readArtifact(tape.tapeId, 'watchlist loans', () =>
      linePage(deps.artifacts.readLines(loansKey, { gzip: true }), start, limit, (loan: WatchlistLoan) => code === undefined || loan.codes.includes(code)));
    const thresholds = loadWatchlistCriteria(stored.thresholds, `${sectionKey} thresholds`);
    const s = stored.section;
    const body: DealWatchlist = {
      dealId: deal.dealId,
      tape: { tapeId: tape.tapeId, fileName: tape.fileName ?? '', uploadedAt: tape.uploadedAt, reportingDate: tape.summary.reportingDate },
      priorTape: s.priorTape ? { tapeId: s.priorTape.tapeId, reportingDate: s.priorTape.reportingDate } : null,
      loanCount: s.loanCount, balance: s.balance, share: s.share, countsByCode: s.countsByCode,
      codes: WATCHLIST_CODES.map((w: WatchlistCode) => ({ code: w, meaning: describeWatchlistCode(w, thresholds), enabled: thresholds.enabled.has(w) })),
      items,
      nextToken: next === null ? null : encodePageToken(scope, next),
    };
    return c.json(body);

    /** The tape asked for (one of the deal's), or the deal's latest by reportingDate. */
    async function watchedTape(tapeId: string | undefined, d: DealRecord): Promise<ScoredTape> {
      if (tapeId) {
        const t = await tapeFor(c, deps, tapeId);
        if (t.issuerId !== d.issuerId || t.dealId !== d.dealId) {
          throw new ApiProblem('TAPE_NOT_FOUND', `Tape ${t.tapeId} is not a tape of deal ${d.dealId}; pick one from GET /v1/deals/${d.dealId}/tapes.`);
        }
        return requireScored(t);
      }
      const latest = (await scoredTapes(deps, d)).at(-1);
      if (!latest) throw new ApiProblem('WATCHLIST_NOT_FOUND', `Deal ${d.dealId} has no scored tape with a reporting date yet, so no watchlist; it appears once a tape is SCORED.`);
      return latest;
    }
  });

  app.get('/v1/deals/:dealId/trends', async (c) => {
    const deal = await dealFor(c, deps, c.req.param('dealId'));
    const limit = intQuery(c, 'limit', { min: 1, max: 240, default: 60 })!;
    const tapes = (await scoredTapes(deps, deal)).slice(-limit);
    const points: TrendPoint[] = [];
    for (let i = 0; i < tapes.length; i += REPORTS_AT_ONCE) {
      points.push(...await Promise.all(tapes.slice(i, i + REPORTS_AT_ONCE).map(async (t) => trendPoint(t, await readArtifact(t.tapeId, 'report', () => deps.artifacts.getJson<TrendReport>(t.artifacts.report))))));
    }
    const body: DealTrends = { dealId: deal.dealId, points };
    return c.json(body);
  });
}

/** What the trends read of a stored report; `stress` only once the report has the stress section. */
type TrendReport = DmbsReport & { readonly stress?: { readonly pool?: { readonly stressedLtv?: string | null } } };

function trendPoint(tape: ScoredTape, report: TrendReport): TrendPoint {
  const w = report.watchlist;
  return {
    tapeId: tape.tapeId,
    fileName: tape.fileName ?? '',
    reportingDate: tape.summary.reportingDate!,
    uploadedAt: tape.uploadedAt,
    poolBalance: report.pool?.currentBalance ?? tape.summary.eligibleBalance,
    eligibleCount: tape.summary.eligibleCount,
    waDscr: report.pool?.waDscr ?? null,
    waLtv: report.pool?.waLtv ?? null,
    stressedLtv: report.stress?.pool?.stressedLtv ?? null,
    scorePoints: tape.summary.scorePoints,
    scoreBand: tape.summary.scoreBand,
    dataQualityScore: tape.summary.dataQualityScore,
    watchlistShare: w?.share ?? null,
    watchlistLoanCount: w?.loanCount ?? null,
    watchlistCountsByCode: w?.countsByCode ?? null,
  };
}
