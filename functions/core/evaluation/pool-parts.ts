/**
 * The sums a concentration or pool test declares for itself (its `part`, in its own file): the
 * eligible balance of the loans it counts, and optionally that balance per group. The pool
 * accumulator adds, merges, stores and transfers every declared part here, in one place, so a
 * test that needs a new sum touches neither the accumulator nor its stored format.
 */
import type { DealCriteria } from './criteria.ts';
import type { EvaluatedLoan } from './evaluated-loan.ts';
import { GROUP_NAME, type Grouping } from './group-key.ts';
import { CentsSum, GroupTotals, type GroupTotalsTransfer } from './group-totals.ts';
import { byBalanceThenKey } from './pool-accumulator.ts';

/** A group and its part of the eligible balance (the shape of pool-accumulator.ts's GroupTotal). */
interface Total {
  readonly key: string;
  readonly cents: bigint;
}

export type { Grouping } from './group-key.ts';

/** What a test sums: which eligible loans count, and (if it lists groups) by which grouping. */
export interface PoolPart {
  /** The choice of loans for a deal's criteria and the tape's reportingDate. */
  counts(criteria: DealCriteria, reportingDate: string): (loan: EvaluatedLoan) => boolean;
  readonly groupBy?: Grouping;
}

/** A group's display name: the accumulator's (the first spelling on the tape), else the first spelling counted. */
export type DisplayName = (grouping: Grouping, key: string, counted: string) => string;

/** A part's totals in `PoolAggregate.parts`. */
export interface PartTotal {
  readonly cents: bigint;
  /** The groups whose counted balance is above 0, largest first then key (empty without `groupBy`). */
  readonly groups: readonly Total[];
}

/** One part in the stored state (`PoolAccumulatorState.parts`): cents as decimal strings. */
export interface PoolPartState {
  readonly cents: string;
  /** [key, display name] in order of first sight. */
  readonly names: ReadonlyArray<readonly [string, string]>;
  /** [key, cents] of the groups with a counted balance. */
  readonly groups: ReadonlyArray<readonly [string, string]>;
}

/** One part in the worker transfer form (not stored). */
export interface PoolPartTransfer {
  readonly cents: string;
  readonly groups: GroupTotalsTransfer;
}

const EMPTY: PartTotal = { cents: 0n, groups: [] };

/** The declared parts of one accumulator, by name (the test's id). */
export class PoolParts {
  readonly #declared: ReadonlyArray<readonly [string, PoolPart]>;
  readonly #criteria: DealCriteria;
  #counts: Array<(loan: EvaluatedLoan) => boolean> = [];
  readonly #groupName: ReadonlyArray<((loan: EvaluatedLoan) => string) | undefined>;
  #sums: CentsSum[];
  #groups: GroupTotals[];

  constructor(declared: ReadonlyArray<readonly [string, PoolPart]>, criteria: DealCriteria) {
    this.#declared = declared;
    this.#criteria = criteria;
    this.#sums = declared.map(() => new CentsSum());
    this.#groups = declared.map(() => new GroupTotals(1));
    this.#groupName = declared.map(([, part]) => (part.groupBy ? GROUP_NAME[part.groupBy] : undefined));
  }

  /** Called once, with the tape's reportingDate, before the first loan. */
  start(reportingDate: string): void {
    this.#counts = this.#declared.map(([, part]) => part.counts(this.#criteria, reportingDate));
  }

  /** Adds an eligible loan of `cents`. */
  add(loan: EvaluatedLoan, cents: number): void {
    for (let i = 0; i < this.#counts.length; i++) {
      if (!this.#counts[i]!(loan)) continue;
      this.#sums[i]!.add(cents);
      const groupName = this.#groupName[i];
      if (groupName) {
        const groups = this.#groups[i]!;
        groups.add(groups.entry(groupName(loan)), 0, cents);
      }
    }
  }

  /** Adds the parts of a later chunk of the tape. */
  merge(other: PoolParts): void {
    this.#declared.forEach((_, i) => {
      this.#sums[i]!.merge(other.#sums[i]!);
      this.#groups[i]!.merge(other.#groups[i]!);
    });
  }

  /** name -> totals (a part not declared reads as empty: `get(name) ?? EMPTY` is the caller's). */
  result(displayName: DisplayName = (_g, _k, counted) => counted): ReadonlyMap<string, PartTotal> {
    const out = new Map<string, PartTotal>();
    this.#declared.forEach(([name, part], i) => {
      const groups = this.#groups[i]!;
      const nameOf = (e: number) => (part.groupBy ? displayName(part.groupBy, groups.key(e), groups.name(e)) : groups.name(e));
      let list: Total[] | undefined;
      out.set(name, {
        cents: this.#sums[i]!.value(),
        // listed on first use only, like the accumulator's facilities
        get groups() {
          return (list ??= positive(groups).map((e) => ({ key: nameOf(e), cents: groups.sum(e, 0) })).sort(byBalanceThenKey));
        },
      });
    });
    return out;
  }

  toJSON(withGroups: boolean): Record<string, PoolPartState> {
    const out: Record<string, PoolPartState> = {};
    this.#declared.forEach(([name], i) => {
      const groups = this.#groups[i]!;
      out[name] = {
        cents: this.#sums[i]!.value().toString(),
        names: withGroups ? groups.names() : [],
        groups: withGroups ? groups.withSums().map((e) => [groups.key(e), groups.sum(e, 0).toString()] as const) : [],
      };
    });
    return out;
  }

  toTransfer(): Record<string, PoolPartTransfer> {
    const out: Record<string, PoolPartTransfer> = {};
    this.#declared.forEach(([name], i) => (out[name] = { cents: this.#sums[i]!.value().toString(), groups: this.#groups[i]!.toTransfer() }));
    return out;
  }

  /** Adds a transfer of a later chunk. */
  mergeTransfer(state: Readonly<Record<string, PoolPartTransfer>>): void {
    this.#declared.forEach(([name], i) => {
      const part = state[name];
      if (!part) return;
      this.#sums[i]!.merge(CentsSum.of(BigInt(part.cents)));
      this.#groups[i]!.mergeTransfer(part.groups);
    });
  }

  /** Takes over stored parts; a part the state lacks (stored before the test existed) stays empty. */
  load(state: Readonly<Record<string, PoolPartState>> | undefined): void {
    this.#declared.forEach(([name], i) => {
      const part = state?.[name];
      if (!part) return;
      this.#sums[i] = CentsSum.of(BigInt(part.cents));
      this.#groups[i] = GroupTotals.from(1, part.names, part.groups.map(([k, v]) => [k, [v]] as const));
    });
  }
}

/** Entries whose sum is above 0. */
function positive(groups: GroupTotals): number[] {
  return groups.withSums().filter((e) => groups.sum(e, 0) > 0n);
}

/** A part's totals in an aggregate (empty when the aggregate does not carry it, e.g. one made by hand). */
export function partTotal(parts: ReadonlyMap<string, PartTotal> | undefined, name: string): PartTotal {
  return parts?.get(name) ?? EMPTY;
}
