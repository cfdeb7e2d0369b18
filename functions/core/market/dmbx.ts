/**
 * A DMBX series from its inputs (docs/market.md "DMBX series"): which deals enter, their equal
 * weights, the look-through shares and the caps. Exact arithmetic; figures written only at the
 * end (money 2 decimals, shares and weights 6, half-even). Pure: the service fetches the latest
 * tapes (the index) and the per-tape balances by key (market-sql.ts lookThroughSql).
 */
import { Exact, formatFigure, formatMoney } from '../evaluation/exact.ts';
import { addMonths } from '../validation/calendar.ts';
import type { DmbxRules } from './dmbx-rulebook.ts';
import { LOOK_THROUGH_BY, type DmbxCap, type DmbxSeriesDeal, type LookThroughBy, type LookThroughItem } from './types.ts';

/** A deal's latest tape as of the series date, with what the rules read. */
export interface CandidateTape {
  readonly issuerId: string;
  readonly dealId: string;
  readonly tapeId: string;
  readonly reportingDate: string;
  readonly eligibleCount: number;
  readonly eligibleBalance: string;
  readonly dataQualityScore: string;
}

/** Integer cents of money text ("123.45", "-0.50", "7"). */
export function moneyCents(text: string): bigint {
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!m) throw new RangeError(`not money text: '${text}'`);
  const cents = BigInt(m[2]!) * 100n + BigInt((m[3] ?? '').padEnd(2, '0'));
  return m[1] ? -cents : cents;
}

/** -1, 0, 1 as JavaScript compares the strings (UTF-16 code units; the engines compare code points, alike for these ids). */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The deals of a series: candidates meeting every rule, ranked by eligible balance descending,
 * then dealId, then issuerId; the first `maxDeals` enter. `tapes` are the deals' latest SCORED
 * tapes with reportingDate <= asOf (no fallback to an older tape).
 */
export function selectDeals<T extends CandidateTape>(tapes: readonly T[], rules: DmbxRules, asOf: string): T[] {
  const oldest = addMonths(asOf, -rules.maxTapeAgeMonths);
  const candidates = tapes.filter((t) => t.reportingDate <= asOf && t.reportingDate >= oldest
    && t.eligibleCount >= rules.minEligibleLoans
    && moneyCents(t.eligibleBalance) >= rules.minEligibleBalanceCents
    && new Exact(t.dataQualityScore).gte(rules.minDataQuality));
  const ranked = candidates.map((t) => ({ t, cents: moneyCents(t.eligibleBalance) })).sort((a, b) =>
    (a.cents === b.cents ? 0 : a.cents > b.cents ? -1 : 1) || compareText(a.t.dealId, b.t.dealId) || compareText(a.t.issuerId, b.t.issuerId));
  return ranked.slice(0, rules.maxDeals).map((r) => r.t);
}

/** One row of lookThroughSql: a tape's eligible balance with one key. */
export interface LookThroughRow {
  readonly dimension: LookThroughBy;
  readonly tapeId: string;
  readonly key: string;
  readonly label: string;
  /** Money text. */
  readonly balance: string;
}

/** An exact non-negative rational: the look-through shares are sums of quotients, kept unrounded. */
class Ratio {
  constructor(readonly num: bigint, readonly den: bigint) {}
  plus(o: Ratio): Ratio {
    return this.den === o.den ? new Ratio(this.num + o.num, this.den) : new Ratio(this.num * o.den + o.num * this.den, this.den * o.den);
  }
  compare(o: Ratio): number {
    const l = this.num * o.den;
    const r = o.num * this.den;
    return l < r ? -1 : l > r ? 1 : 0;
  }
  /** Exactly as the standard writes figures: half-even to 6 decimals, in integers (no decimal division of long numbers). */
  format(): string {
    const negative = (this.num < 0n) !== (this.den < 0n);
    const num = this.num < 0n ? -this.num : this.num;
    const den = this.den < 0n ? -this.den : this.den;
    const scaled = num * 1_000_000n;
    let units = scaled / den;
    const twice = 2n * (scaled % den);
    if (twice > den || (twice === den && units % 2n === 1n)) units += 1n;
    const digits = units.toString().padStart(7, '0');
    return `${negative && units !== 0n ? '-' : ''}${digits.slice(0, -6)}.${digits.slice(-6)}`;
  }
  /** A decimal as a ratio (its exact digits). */
  static of(value: InstanceType<typeof Exact>): Ratio {
    const [num, den] = value.toFraction() as [InstanceType<typeof Exact>, InstanceType<typeof Exact>];
    return new Ratio(BigInt(num.toFixed(0)), BigInt(den.toFixed(0)));
  }
}

export interface SeriesFigures {
  readonly deals: DmbxSeriesDeal[];
  readonly lookThrough: Record<LookThroughBy, LookThroughItem[]>;
  readonly caps: DmbxCap[];
}

/**
 * Weights, look-through shares and caps of the selected deals (in rank order). Look-through
 * share of key k = Σ over the n deals of (1/n) × (deal's eligible balance with k / deal's
 * eligible balance); a deal with no eligible balance adds nothing. A key's label is the one of
 * the first deal in (issuerId, dealId) order holding it.
 */
export function seriesFigures(selected: readonly CandidateTape[], rows: readonly LookThroughRow[], rules: DmbxRules): SeriesFigures {
  const n = BigInt(selected.length);
  const weight = n === 0n ? '0.000000' : new Ratio(1n, n).format();
  const deals: DmbxSeriesDeal[] = selected.map((t) => ({
    issuerId: t.issuerId, dealId: t.dealId, tapeId: t.tapeId, reportingDate: t.reportingDate,
    eligibleBalance: formatMoney(moneyCents(t.eligibleBalance)), weight,
  }));
  const byTape = new Map(selected.map((t) => [t.tapeId, t]));
  const dealOrder = (t: CandidateTape) => `${t.issuerId}\u0000${t.dealId}`;
  const lookThrough = {} as Record<LookThroughBy, LookThroughItem[]>;
  const caps: DmbxCap[] = [];
  for (const by of LOOK_THROUGH_BY) {
    const shares = new Map<string, { share: Ratio; label: string; labelOrder: string }>();
    for (const row of rows) {
      const tape = row.dimension === by ? byTape.get(row.tapeId) : undefined;
      if (!tape) continue;
      const dealBalance = moneyCents(tape.eligibleBalance);
      if (dealBalance === 0n) continue;
      // (1/n) × balance / deal balance, unrounded.
      const part = new Ratio(moneyCents(row.balance), dealBalance * n);
      const order = dealOrder(tape);
      const entry = shares.get(row.key);
      if (!entry) shares.set(row.key, { share: part, label: row.label, labelOrder: order });
      else {
        entry.share = entry.share.plus(part);
        if (order < entry.labelOrder) Object.assign(entry, { label: row.label, labelOrder: order });
      }
    }
    const sorted = [...shares].sort(([ka, a], [kb, b]) => b.share.compare(a.share) || compareText(ka, kb));
    lookThrough[by] = sorted.map(([key, e]) => ({ key, label: e.label, share: e.share.format() }));
    const cap = rules.caps.find((c) => c.by === by);
    if (!cap) continue;
    const top = sorted[0];
    caps.push(n === 0n || !top
      ? { by, key: null, share: null, limit: formatFigure(cap.limit), pass: null }
      : { by, key: top[0], share: top[1].share.format(), limit: formatFigure(cap.limit), pass: top[1].share.compare(Ratio.of(cap.limit)) <= 0 });
  }
  return { deals, lookThrough, caps };
}
