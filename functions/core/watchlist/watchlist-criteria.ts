/**
 * A deal's watchlist thresholds: its watchlist file deep-merged over
 * schemas/watchlist-criteria.json and checked against schemas/watchlist-criteria.schema.json, the
 * numbers read as the decimal written. Thresholds and wording live in schemas/, never here. Pure.
 */
import type { Decimal } from 'decimal.js';
import watchlistSchema from '../../../schemas/watchlist-criteria.schema.json' with { type: 'json' };
import defaultThresholds from '../../../schemas/watchlist-criteria.json' with { type: 'json' };
import { Exact } from '../evaluation/exact.ts';
import type { WatchlistCriteria as WatchlistDocument } from '../generated/watchlist-criteria.ts';
import { createAjv, type ValidateFunction } from '../schema/ajv.ts';
import { checkedDocument, deepMerge } from '../schema/config-document.ts';

/** The watchlist codes, in report order. */
export const WATCHLIST_CODES = ['W01', 'W02', 'W03', 'W04', 'W05', 'W06', 'W07', 'W08'] as const;
export type WatchlistCode = (typeof WATCHLIST_CODES)[number];

/** The thresholds as the tests use them; a switched-off code is absent from `enabled`. */
export interface WatchlistCriteria {
  readonly id: string;
  readonly version: string;
  readonly enabled: ReadonlySet<WatchlistCode>;
  readonly minDscr: Decimal;
  /** 1 − W02's fall: the share of the prior dscr at or below which coverage has fallen. */
  readonly keptDscrShare: Decimal;
  readonly leaseMonths: number;
  readonly completionSlipMonths: number;
  readonly notches: number;
  readonly maxLtv: Decimal;
  /** The merged document, for wording. */
  readonly document: WatchlistDocument;
}

type Annotated = { 'x-description': string };
const codeSchemas = (watchlistSchema as unknown as { properties: Record<WatchlistCode, Annotated> }).properties;

let validate: ValidateFunction | undefined;
let defaults: WatchlistCriteria | undefined;

/**
 * The deal's thresholds: `doc` (a parsed watchlist file; absent = the defaults) merged over the defaults.
 * @throws ConfigError `WATCHLIST_CRITERIA_INVALID` naming the JSON path of every bad value.
 */
export function loadWatchlistCriteria(doc?: unknown, source = 'watchlist criteria'): WatchlistCriteria {
  defaults ??= compile(checked(defaultThresholds, 'schemas/watchlist-criteria.json'));
  if (doc === undefined) return defaults;
  checked(doc, source);
  return compile(checked(deepMerge(defaultThresholds, doc), source));
}

/**
 * The wording of a code with the deal's thresholds filled in.
 * @example describeWatchlistCode('W01', loadWatchlistCriteria()) // "dscr < 1.1"
 */
export function describeWatchlistCode(code: WatchlistCode, criteria: WatchlistCriteria): string {
  const values = (criteria.document[code] ?? {}) as Record<string, unknown>;
  return codeSchemas[code]['x-description'].replace(/\{(\w+)\}/g, (_, name: string) => String(values[name]));
}

function checked(doc: unknown, source: string): WatchlistDocument {
  validate ??= createAjv().compile(watchlistSchema);
  return checkedDocument<WatchlistDocument>(validate, doc, source, 'WATCHLIST_CRITERIA_INVALID');
}

const exact = (n: number | undefined): Decimal => new Exact(String(n ?? 0));

function compile(doc: WatchlistDocument): WatchlistCriteria {
  const enabled = new Set(WATCHLIST_CODES.filter((code) => doc[code]?.enabled !== false));
  return {
    id: doc.id ?? '',
    version: doc.version ?? '',
    enabled,
    minDscr: exact(doc.W01?.minDscr),
    keptDscrShare: new Exact(1).minus(exact(doc.W02?.fall)),
    leaseMonths: doc.W04?.months ?? 0,
    completionSlipMonths: doc.W05?.months ?? 0,
    notches: doc.W06?.notches ?? 1,
    maxLtv: exact(doc.W08?.maxLtv),
    document: doc,
  };
}
