/**
 * In-memory latest-tape index and series store, with the same rules as the DynamoDB ones
 * (functions/aws/market-index.ts): for tests and for an API built without a table.
 */
import type { DmbxSeries, DmbxSeriesSummary } from '../core/market/types.ts';
import type { IndexedTape, LatestTapeIndex, SeriesStore } from './ports.ts';

/** The order of a deal's tapes: reportingDate, then upload time (the later upload wins a tie), then tapeId. */
export function tapeOrder(t: Pick<IndexedTape, 'reportingDate' | 'uploadedAt' | 'tapeId'>): string {
  return `${t.reportingDate}#${t.uploadedAt}#${t.tapeId}`;
}

/** Deals in (issuerId, dealId) order. */
export function byDeal(a: IndexedTape, b: IndexedTape): number {
  return a.issuerId < b.issuerId ? -1 : a.issuerId > b.issuerId ? 1 : a.dealId < b.dealId ? -1 : a.dealId > b.dealId ? 1 : 0;
}

export class MemoryLatestTapeIndex implements LatestTapeIndex {
  /** deal -> tapeId -> tape */
  readonly #deals = new Map<string, Map<string, IndexedTape>>();

  async record(tape: IndexedTape): Promise<void> {
    const deal = `${tape.issuerId}/${tape.dealId}`;
    let tapes = this.#deals.get(deal);
    if (!tapes) this.#deals.set(deal, (tapes = new Map()));
    tapes.set(tape.tapeId, tape);
  }

  async latest(asOf?: string): Promise<IndexedTape[]> {
    const out: IndexedTape[] = [];
    for (const tapes of this.#deals.values()) {
      let best: IndexedTape | undefined;
      for (const t of tapes.values()) {
        if (asOf !== undefined && t.reportingDate > asOf) continue;
        if (!best || tapeOrder(t) > tapeOrder(best)) best = t;
      }
      if (best) out.push(best);
    }
    return out.sort(byDeal);
  }
}

export class MemorySeriesStore implements SeriesStore {
  readonly #series = new Map<string, DmbxSeries>();

  async create(series: DmbxSeries): Promise<boolean> {
    if (this.#series.has(series.name)) return false;
    this.#series.set(series.name, structuredClone(series));
    return true;
  }

  async get(name: string): Promise<DmbxSeries | undefined> {
    const s = this.#series.get(name);
    return s ? structuredClone(s) : undefined;
  }

  async list(q: { limit: number; cursor?: string }): Promise<{ items: DmbxSeriesSummary[]; cursor?: string }> {
    const names = [...this.#series.keys()].sort().filter((n) => q.cursor === undefined || n > q.cursor);
    const items = names.slice(0, q.limit).map((n) => summaryOf(this.#series.get(n)!));
    return { items, ...(names.length > q.limit ? { cursor: items.at(-1)!.name } : {}) };
  }
}

export function summaryOf(s: DmbxSeries): DmbxSeriesSummary {
  return { name: s.name, asOf: s.asOf, createdAt: s.createdAt, dealCount: s.deals.length };
}
