/**
 * The market view and the DMBX series (docs/market.md): what the API's /v1/market and /v1/dmbx
 * routes call. Which tapes count comes from the latest-tape index (no scan of old versions); the
 * figures come from one SQL module (core/market/market-sql.ts) run by whichever engine the stack
 * has (DuckDB locally, Athena on AWS). Errors a caller can cause are coded DmbsErrors:
 * MARKET_PARAMETER_INVALID and DMBX_RULEBOOK_INVALID (400), DMBX_SERIES_EXISTS (409).
 */
import { ConflictError, RequestError } from '../core/errors.ts';
import { Exact, formatFigure, formatMoney } from '../core/evaluation/exact.ts';
import { groupKey } from '../core/evaluation/group-key.ts';
import { loadDmbxRulebook } from '../core/market/dmbx-rulebook.ts';
import { moneyCents, selectDeals, seriesFigures, type LookThroughRow } from '../core/market/dmbx.ts';
import { exposuresSql, lookThroughSql, transitionSql } from '../core/market/market-sql.ts';
import {
  EXPOSURE_BY, LOOK_THROUGH_BY, type DmbxSeries, type DmbxSeriesSummary, type ExposureBy, type ExposureItem, type ExposurePage,
  type LookThroughBy, type TransitionQuarter, type TransitionResult,
} from '../core/market/types.ts';
import { parseIsoDate } from '../core/validation/calendar.ts';
import type { AnalyticsEngine, LatestTapeIndex, SeriesStore } from './ports.ts';

export interface MarketService {
  exposures(q: { by: ExposureBy; asOf?: string; limit?: number; nextToken?: string }): Promise<ExposurePage>;
  balanceSheetTransition(q: { tenantGroup?: string; asOf?: string }): Promise<TransitionResult>;
  /** @throws ConflictError DMBX_SERIES_EXISTS on a reused name; RequestError / ConfigError for a bad name, asOf or rulebook. */
  createSeries(input: { name: string; asOf: string; rulebook?: unknown }): Promise<DmbxSeries>;
  getSeries(name: string): Promise<DmbxSeries | undefined>;
  listSeries(q: { limit?: number; nextToken?: string }): Promise<{ items: DmbxSeriesSummary[]; nextToken?: string }>;
}

export interface MarketServiceDeps {
  readonly engine: AnalyticsEngine;
  readonly tapes: LatestTapeIndex;
  readonly series: SeriesStore;
  readonly now?: () => Date;
}

export const DEFAULT_PAGE_LIMIT = 100;
export const MAX_PAGE_LIMIT = 1000;
export const SERIES_NAME = /^[A-Za-z0-9._-]{1,64}$/;

function invalid(message: string): RequestError {
  return new RequestError('MARKET_PARAMETER_INVALID', message);
}

function checkedAsOf(asOf: string | undefined, name = 'asOf'): string | undefined {
  if (asOf === undefined) return undefined;
  if (typeof asOf !== 'string' || !parseIsoDate(asOf)) throw invalid(`${name} must be a date YYYY-MM-DD; got '${String(asOf).slice(0, 40)}'`);
  return asOf;
}

function checkedLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_LIMIT) throw invalid(`limit must be a whole number from 1 to ${MAX_PAGE_LIMIT}; got ${String(limit)}`);
  return limit;
}

/** Page tokens: what they continue, so a token of another question is refused rather than misread. */
function encodeToken(value: object): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

function decodeToken<T extends object>(token: string, check: (v: Record<string, unknown>) => boolean): T {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  if (typeof value !== 'object' || value === null || !check(value as Record<string, unknown>)) {
    throw invalid('nextToken is not one this list returned for these parameters; start again without it');
  }
  return value as T;
}

const text = (v: unknown): string => (typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v));

export function createMarketService(deps: MarketServiceDeps): MarketService {
  const { engine, tapes, series } = deps;
  const now = deps.now ?? (() => new Date());

  return {
    async exposures(q) {
      if (!(EXPOSURE_BY as readonly string[]).includes(q.by)) throw invalid(`by must be one of ${EXPOSURE_BY.join(', ')}; got '${String(q.by).slice(0, 40)}'`);
      const asOf = checkedAsOf(q.asOf);
      const limit = checkedLimit(q.limit);
      const offset = q.nextToken === undefined ? 0 : decodeToken<{ offset: number }>(q.nextToken, (v) =>
        v.by === q.by && v.asOf === (asOf ?? null) && Number.isSafeInteger(v.offset) && (v.offset as number) > 0).offset;
      const latest = await tapes.latest(asOf);
      const totalCents = latest.reduce((sum, t) => sum + moneyCents(t.eligibleBalance), 0n);
      const page: ExposurePage = { asOf: asOf ?? null, dealCount: latest.length, totalBalance: formatMoney(totalCents), items: [] };
      if (latest.length === 0) return page;
      const { sql, params } = exposuresSql(q.by, latest.map((t) => t.tapeId), { offset, limit: limit + 1 });
      const rows = await engine.query(sql, params);
      const total = new Exact(totalCents.toString());
      const items: ExposureItem[] = rows.slice(0, limit).map((r) => {
        const cents = moneyCents(text(r.balance));
        return {
          key: text(r.item_key), label: text(r.item_label), balance: formatMoney(cents),
          share: totalCents === 0n ? null : formatFigure(new Exact(cents.toString()).div(total)),
          dealCount: Number(r.deal_count),
        };
      });
      return { ...page, items, ...(rows.length > limit ? { nextToken: encodeToken({ by: q.by, asOf: asOf ?? null, offset: offset + limit }) } : {}) };
    },

    async balanceSheetTransition(q) {
      const asOf = checkedAsOf(q.asOf);
      const tenantKey = q.tenantGroup === undefined ? undefined : groupKey(q.tenantGroup);
      const latest = await tapes.latest(asOf);
      if (latest.length === 0) return { asOf: asOf ?? null, quarters: [] };
      const { sql, params } = transitionSql(latest.map((t) => t.tapeId), tenantKey);
      const quarters = new Map<string, { cents: bigint; loanCount: number; byTenantGroup: Map<string, bigint> }>();
      for (const r of await engine.query(sql, params)) {
        const name = text(r.quarter);
        let qt = quarters.get(name);
        if (!qt) quarters.set(name, (qt = { cents: 0n, loanCount: 0, byTenantGroup: new Map() }));
        const cents = moneyCents(text(r.amount));
        qt.cents += cents;
        qt.loanCount += Number(r.loan_count);
        const key = text(r.item_key);
        qt.byTenantGroup.set(key, (qt.byTenantGroup.get(key) ?? 0n) + cents);
      }
      const rank = (name: string) => (name === 'due' ? 0 : name === 'unknown' ? 2 : 1);
      const result: TransitionQuarter[] = [...quarters]
        .sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0))
        .map(([quarter, qt]) => ({
          quarter, amount: formatMoney(qt.cents), loanCount: qt.loanCount,
          byTenantGroup: [...qt.byTenantGroup]
            .sort(([ka, a], [kb, b]) => (a === b ? (ka < kb ? -1 : ka > kb ? 1 : 0) : a > b ? -1 : 1))
            .map(([key, cents]) => ({ key, amount: formatMoney(cents) })),
        }));
      return { asOf: asOf ?? null, quarters: result };
    },

    async createSeries(input) {
      if (typeof input.name !== 'string' || !SERIES_NAME.test(input.name)) {
        throw invalid(`name must be 1 to 64 letters, digits, '.', '_' or '-'; got '${String(input.name).slice(0, 80)}'`);
      }
      const asOf = checkedAsOf(input.asOf);
      if (asOf === undefined) throw invalid('asOf is required: the date YYYY-MM-DD the series is fixed at');
      const rules = loadDmbxRulebook(input.rulebook, 'rulebook');
      if (await series.get(input.name)) throw exists(input.name);
      const selected = selectDeals(await tapes.latest(asOf), rules, asOf);
      let rows: LookThroughRow[] = [];
      if (selected.length > 0) {
        const { sql, params } = lookThroughSql(selected.map((t) => t.tapeId));
        rows = (await engine.query(sql, params)).map((r) => ({
          dimension: text(r.dimension) as LookThroughBy, tapeId: text(r.tape), key: text(r.item_key), label: text(r.item_label), balance: text(r.balance),
        })).filter((r) => (LOOK_THROUGH_BY as readonly string[]).includes(r.dimension));
      }
      const created: DmbxSeries = {
        name: input.name, asOf, rulebook: rules.document, createdAt: now().toISOString(), ...seriesFigures(selected, rows, rules),
      };
      if (!(await series.create(created))) throw exists(input.name);
      return created;
    },

    async getSeries(name) {
      if (typeof name !== 'string' || !SERIES_NAME.test(name)) return undefined;
      return series.get(name);
    },

    async listSeries(q) {
      const limit = checkedLimit(q.limit);
      const cursor = q.nextToken === undefined ? undefined : decodeToken<{ series: string }>(q.nextToken, (v) => typeof v.series === 'string').series;
      const page = await series.list({ limit, ...(cursor ? { cursor } : {}) });
      return { items: page.items, ...(page.cursor ? { nextToken: encodeToken({ series: page.cursor }) } : {}) };
    },
  };
}

function exists(name: string): ConflictError {
  return new ConflictError('DMBX_SERIES_EXISTS', `A DMBX series named '${name}' already exists and series are immutable; choose another name (GET /v1/dmbx/series lists them).`);
}
