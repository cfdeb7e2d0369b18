/**
 * A tape's group sums, the narrow table `dmbs_tape_groups` the market statements read
 * (docs/market.md "Group sums per tape"): per tape and key, the sums a market figure adds across
 * tapes. Exposure rows (dimension tenantGroup, sponsor, market, facility) hold the eligible loans'
 * balance with the key and the label of the first such loan in row order; transition rows hold
 * the off-balance-sheet loans' balance and count per quarter and tenant-group key. Computed from
 * a tape's loans in one pass, as the loans' columns would give them in SQL, with the same keys.
 * Exact: balances are integer cents (bigint). Pure.
 */
import type { DmbsLoan } from '../generated/loan-tape.ts';
import { toCents } from '../evaluation/exact.ts';
import { groupKey, tenantGroupName } from '../evaluation/group-key.ts';
import type { ColumnType } from './loan-columns.ts';
import type { ExposureBy } from './types.ts';

/** The table the market statements read (a DuckDB table locally, a Glue table on AWS). */
export const GROUPS_TABLE = 'dmbs_tape_groups';

/** What a row sums: the eligible balance by one kind of key, or the balance-sheet transition. */
export type GroupDimension = ExposureBy | 'transition';

export interface GroupColumn {
  readonly name: string;
  readonly type: ColumnType;
  readonly description: string;
}

/** The file's columns, in order (the path values issuer, deal, reporting_date and tape follow them). */
export const GROUP_COLUMNS: readonly GroupColumn[] = [
  { name: 'dimension', type: 'STRING', description: 'tenantGroup, sponsor, market, facility (eligible loans by that key) or transition (off-balance-sheet loans)' },
  { name: 'item_key', type: 'STRING', description: 'the normalised key (facility: issuer/facility key; transition: the tenant-group key)' },
  { name: 'item_label', type: 'STRING', description: 'exposures: the spelling of the first eligible loan with the key, in row order' },
  { name: 'quarter', type: 'STRING', description: 'transition: due (OPERATIONAL), YYYY-Qn of expectedCompletionDate, or unknown' },
  { name: 'balance', type: 'MONEY', description: 'the sum of the loans\' currentBalance' },
  { name: 'loan_count', type: 'INT32', description: 'the number of loans summed' },
];

/** One row of a tape's group sums. */
export interface GroupRow {
  readonly dimension: GroupDimension;
  readonly itemKey: string;
  readonly itemLabel: string | null;
  readonly quarter: string | null;
  cents: bigint;
  count: number;
}

const QUARTER_DATE = /^(\d{4})-(\d{2})-\d{2}$/;

/** The transition's bucket of an off-balance-sheet loan. */
export function transitionQuarter(loan: Pick<DmbsLoan, 'constructionStatus' | 'expectedCompletionDate'>): string {
  if (loan.constructionStatus === 'OPERATIONAL') return 'due';
  const m = typeof loan.expectedCompletionDate === 'string' ? QUARTER_DATE.exec(loan.expectedCompletionDate) : null;
  return m ? `${m[1]}-Q${Math.floor((Number(m[2]) - 1) / 3) + 1}` : 'unknown';
}

function cents(v: unknown): bigint | null {
  if (typeof v === 'number') return toCents(v);
  return typeof v === 'string' && /^-?\d+(\.\d{1,2})?$/.test(v) ? toCents(Number(v)) : null;
}

const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/**
 * Adds a tape's loans (in row order) and gives its group rows.
 * @example const g = new TapeGroups('acme'); for (const { loan, eligible } of loans) g.add(loan, eligible); g.rows();
 */
export class TapeGroups {
  readonly #issuerId: string;
  readonly #rows = new Map<string, GroupRow>();

  constructor(issuerId: string) {
    this.#issuerId = issuerId;
  }

  add(loan: DmbsLoan, eligible: boolean): void {
    const balance = cents(loan.currentBalance);
    const tenant = tenantGroupName(loan);
    const tenantKey = groupKey(tenant);
    if (eligible) {
      this.#sum('tenantGroup', tenantKey, tenant, null, balance);
      this.#sum('sponsor', groupKey(loan.sponsor), text(loan.sponsor), null, balance);
      this.#sum('market', groupKey(loan.market), text(loan.market), null, balance);
      // A facility belongs to its issuer: two issuers' "DC-1" are two facilities.
      const facility = text(loan.facilityId);
      this.#sum('facility', `${this.#issuerId}/${groupKey(loan.facilityId)}`, facility === null ? null : `${this.#issuerId}/${facility}`, null, balance);
    }
    if (loan.offBalanceSheet === true) this.#sum('transition', tenantKey, null, transitionQuarter(loan), balance);
  }

  #sum(dimension: GroupDimension, itemKey: string, label: string | null, quarter: string | null, balance: bigint | null): void {
    const id = `${dimension}\u0000${quarter ?? ''}\u0000${itemKey}`;
    let row = this.#rows.get(id);
    if (!row) {
      row = { dimension, itemKey, itemLabel: label, quarter, cents: 0n, count: 0 };
      this.#rows.set(id, row);
    }
    if (balance !== null) row.cents += balance;
    row.count++;
  }

  /** The rows in the order their keys first appeared. */
  rows(): GroupRow[] {
    return [...this.#rows.values()];
  }
}
