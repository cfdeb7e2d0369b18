/**
 * Grouping keys for concentration tests (the DMBS standard, "Definitions pinned"): the tenant group is
 * largestTenantParent when it holds a value (not blank, not an ND code), else largestTenant; sponsor,
 * market and facility likewise. Keys are trimmed, runs of whitespace inside collapse to one space,
 * and case is ignored (lower-cased), so "Microsoft  Corp" and "microsoft corp" are one group.
 */
import type { EvaluatedLoan } from './evaluated-loan.ts';
import { detached } from '../readers/text-decoding.ts';

const ND_CODE = /^ND[1-5](-\d{4}-\d{2}-\d{2})?$/i;
const WHITESPACE_RUN = /\s+/g;

/** The text of a group name as compared: trimmed, inner whitespace collapsed, lower case. */
export function groupKey(name: string): string {
  // Fast path (it runs 4× per loan): printable ASCII with single inner spaces needs at most a lower-casing.
  let upper = false;
  const n = name.length;
  for (let i = 0; i < n; i++) {
    const c = name.charCodeAt(i);
    if (c > 0x20 && c < 0x7f) {
      if (c >= 0x41 && c <= 0x5a) upper = true;
    } else if (c !== 0x20 || i === 0 || i === n - 1 || name.charCodeAt(i + 1) === 0x20) {
      return name.trim().replace(WHITESPACE_RUN, ' ').toLowerCase();
    }
  }
  return upper ? name.toLowerCase() : name;
}

/** True when a text cell holds a value: not blank and not a no-data code. */
export function holdsValue(text: string | undefined): text is string {
  if (text === undefined) return false;
  const t = text.trim();
  return t !== '' && !ND_CODE.test(t);
}

/** The name of the loan's tenant group as written (trimmed): the parent when it holds a value, else the tenant. */
export function tenantGroupName(loan: EvaluatedLoan): string {
  return (holdsValue(loan.largestTenantParent) ? loan.largestTenantParent : loan.largestTenant).trim();
}

/** The accumulator's groupings (pool-accumulator.ts), by which a test's part can total too (pool-parts.ts). */
export type Grouping = 'tenantGroups' | 'facilities' | 'markets' | 'sponsors';

/** The name a loan has in each grouping, as written. */
export const GROUP_NAME: Readonly<Record<Grouping, (loan: EvaluatedLoan) => string>> = {
  tenantGroups: tenantGroupName,
  facilities: (loan) => loan.facilityId,
  markets: (loan) => loan.market,
  sponsors: (loan) => loan.sponsor,
};

/** Names cached per dimension: enough for tenants, markets and sponsors; facilities mostly miss. */
const KEY_CACHE = 4096;


/**
 * Display names of the groups of one dimension: the first spelling seen (trimmed) for each key.
 * One entry per distinct key, so memory follows the number of groups, not of loans.
 */
export class GroupNames {
  readonly #names = new Map<string, string>();
  /** name as written -> key, for names seen again (tenants, markets, sponsors repeat on most loans). */
  readonly #keys = new Map<string, string>();

  /** Registers a name and returns its key. */
  add(name: string): string {
    let key = this.#keys.get(name);
    if (key !== undefined) return key;
    key = groupKey(name);
    if (!this.#names.has(key)) this.#names.set(key, detached(name.trim()));
    if (this.#keys.size < KEY_CACHE) this.#keys.set(name, key);
    return key;
  }

  /** The display name of a key (the first spelling seen). */
  name(key: string): string {
    return this.#names.get(key) ?? key;
  }

  /** Takes over names of `other` not seen here: `other` holds later loans of the same tape. */
  merge(other: GroupNames): void {
    for (const [key, name] of other.#names) if (!this.#names.has(key)) this.#names.set(key, name);
  }

  get size(): number {
    return this.#names.size;
  }

  /** [key, name] pairs in first-seen order (for serialising an accumulator). */
  entries(): Array<[string, string]> {
    return [...this.#names];
  }

  /** Names from `entries()`. */
  static fromEntries(entries: Iterable<readonly [string, string]>): GroupNames {
    const names = new GroupNames();
    for (const [key, name] of entries) names.#names.set(key, name);
    return names;
  }
}
