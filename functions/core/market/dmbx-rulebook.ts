/**
 * The DMBX rulebook in force for a series: the series' own rulebook deep-merged over
 * schemas/dmbx-rulebook.json and checked against schemas/dmbx-rulebook.schema.json, numbers read
 * as the decimal written. Rules live in schemas/, never here. Pure.
 */
import type { Decimal } from 'decimal.js';
import rulebookSchema from '../../../schemas/dmbx-rulebook.schema.json' with { type: 'json' };
import defaultRulebook from '../../../schemas/dmbx-rulebook.json' with { type: 'json' };
import { Exact } from '../evaluation/exact.ts';
import type { DmbxRulebook } from '../generated/dmbx-rulebook.ts';
import { createAjv, type ValidateFunction } from '../schema/ajv.ts';
import { checkedDocument, deepFreeze, deepMerge } from '../schema/config-document.ts';
import type { LookThroughBy } from './types.ts';

/** The rules as selection uses them. */
export interface DmbxRules {
  readonly maxTapeAgeMonths: number;
  readonly minEligibleLoans: number;
  /** Integer cents. */
  readonly minEligibleBalanceCents: bigint;
  readonly minDataQuality: Decimal;
  readonly maxDeals: number;
  /** Caps in the order tenantGroup, sponsor, market (those the rulebook gives). */
  readonly caps: ReadonlyArray<{ readonly by: LookThroughBy; readonly limit: Decimal }>;
  /** The effective document (what the series stores and shows). */
  readonly document: DmbxRulebook;
}

let validate: ValidateFunction | undefined;

/**
 * The effective rulebook: `doc` (any part of a rulebook; absent = the defaults) merged over the defaults.
 * @throws ConfigError `DMBX_RULEBOOK_INVALID` naming the JSON path of every bad value.
 * @example loadDmbxRulebook({ maxDeals: 10 }).maxDeals // 10
 */
export function loadDmbxRulebook(doc?: unknown, source = 'rulebook'): DmbxRules {
  validate ??= createAjv().compile(rulebookSchema);
  if (doc !== undefined) checkedDocument<DmbxRulebook>(validate, doc, source, 'DMBX_RULEBOOK_INVALID');
  const merged = doc === undefined ? defaultRulebook : deepMerge(defaultRulebook, doc);
  const document = deepFreeze(structuredClone(checkedDocument<DmbxRulebook>(validate, merged, source, 'DMBX_RULEBOOK_INVALID')));
  const caps = document.caps ?? {};
  return {
    maxTapeAgeMonths: document.maxTapeAgeMonths ?? 0,
    minEligibleLoans: document.minEligibleLoans ?? 0,
    minEligibleBalanceCents: BigInt(new Exact(String(document.minEligibleBalance ?? 0)).times(100).toFixed(0)),
    minDataQuality: new Exact(String(document.minDataQuality ?? 0)),
    maxDeals: document.maxDeals ?? 1,
    caps: (['tenantGroup', 'sponsor', 'market'] as const).flatMap((by) => (caps[by] === undefined ? [] : [{ by, limit: new Exact(String(caps[by])) }])),
    document,
  };
}
