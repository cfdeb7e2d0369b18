/**
 * The market view and DMBX series as the API answers them (docs/market.md). Money is decimal
 * text with 2 decimals; shares and weights are decimal text rounded half-even to 6 decimals
 * (the standard's convention for every figure that is not money), computed exactly first.
 * Keys are normalised group keys (trimmed, inner whitespace collapsed, lower case); a label is
 * the spelling of the first loan in (issuerId, dealId, row) order. Pure types.
 */
import type { DmbxRulebook } from '../generated/dmbx-rulebook.ts';

export type { DmbxRulebook };

export const EXPOSURE_BY = ['tenantGroup', 'sponsor', 'market', 'facility'] as const;
export type ExposureBy = (typeof EXPOSURE_BY)[number];

/** The groupings a DMBX series looks through and caps. */
export const LOOK_THROUGH_BY = ['tenantGroup', 'sponsor', 'market'] as const;
export type LookThroughBy = (typeof LOOK_THROUGH_BY)[number];

export interface ExposureItem {
  /** Normalised key; for `facility` the issuerId + "/" + normalised facilityId. */
  readonly key: string;
  readonly label: string;
  /** Σ eligible currentBalance with this key, money. */
  readonly balance: string;
  /** balance / totalBalance, 6 decimals; null when the total is 0. */
  readonly share: string | null;
  /** Deals whose latest tape holds an eligible loan with this key. */
  readonly dealCount: number;
}

export interface ExposurePage {
  /** The `asOf` asked for, or null. */
  readonly asOf: string | null;
  /** Deals with a latest tape (eligible loans or not). */
  readonly dealCount: number;
  /** Σ eligible currentBalance of those tapes, money. */
  readonly totalBalance: string;
  readonly items: ExposureItem[];
  /** Present when more items follow; pass it back as `nextToken`. */
  readonly nextToken?: string;
}

export interface TransitionQuarter {
  /** `due` (OPERATIONAL facilities) or `YYYY-Qn` of expectedCompletionDate. */
  readonly quarter: string;
  readonly amount: string;
  readonly loanCount: number;
  /** Amount by normalised tenant-group key, largest first, then key. */
  readonly byTenantGroup: { readonly key: string; readonly amount: string }[];
}

export interface TransitionResult {
  readonly asOf: string | null;
  /** `due` first, then quarters in calendar order. */
  readonly quarters: TransitionQuarter[];
}

export interface DmbxSeriesDeal {
  readonly issuerId: string;
  readonly dealId: string;
  readonly tapeId: string;
  readonly reportingDate: string;
  /** Money. */
  readonly eligibleBalance: string;
  /** 1/n, 6 decimals. */
  readonly weight: string;
}

export interface LookThroughItem {
  readonly key: string;
  readonly label: string;
  /** Σ over the n deals of (1/n) × deal's eligible balance with the key / deal's eligible balance, 6 decimals. */
  readonly share: string;
}

export interface DmbxCap {
  readonly by: LookThroughBy;
  /** The key with the largest look-through share; null when the series has no deal. */
  readonly key: string | null;
  readonly share: string | null;
  /** The rulebook's limit, 6 decimals. */
  readonly limit: string;
  /** share <= limit, compared exactly (not as written); null when the series has no deal. */
  readonly pass: boolean | null;
}

export interface DmbxSeries {
  readonly name: string;
  readonly asOf: string;
  /** The effective rulebook: the series' own merged over the defaults. */
  readonly rulebook: DmbxRulebook;
  /** ISO 8601. */
  readonly createdAt: string;
  /** In rank order: eligible balance descending, then dealId, then issuerId. */
  readonly deals: DmbxSeriesDeal[];
  readonly lookThrough: Record<LookThroughBy, LookThroughItem[]>;
  /** One per cap of the rulebook, in the order tenantGroup, sponsor, market. */
  readonly caps: DmbxCap[];
}

/** A series as lists show it. */
export interface DmbxSeriesSummary {
  readonly name: string;
  readonly asOf: string;
  readonly createdAt: string;
  readonly dealCount: number;
}
