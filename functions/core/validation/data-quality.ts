/**
 * The data-quality score (the DMBS standard, "Data-quality score"): every cell earns a credit by its
 * state (schema `x-data-quality.credit`) times its field's `x-criticality`; the score is
 * 100 × earned / possible. Mergeable, so chunks of one tape can be scored apart and combined.
 */
import { Decimal } from 'decimal.js';
import type { KindValidation } from './kind-validation.ts';
import { CellState } from './row-validator.ts';

/** What the score needs of a kind: its fields (criticality) and the credit per cell state. */
export type DataQualityParts = Pick<KindValidation, 'fields' | 'dataQualityCredit'>;

/** Per-field counts of cell states: the kind's field count × 5 counters. */
export class DataQualityCounter {
  readonly counts: Float64Array;
  rows = 0;
  readonly #kind: DataQualityParts;

  constructor(kind: DataQualityParts, counts?: Float64Array, rows = 0) {
    this.#kind = kind;
    this.counts = counts ?? new Float64Array(kind.fields.length * 5);
    this.rows = rows;
  }

  /** Counts one row's cell states. */
  add(states: Uint8Array): void {
    this.rows++;
    for (let i = 0; i < states.length; i++) this.counts[i * 5 + states[i]!]!++;
  }

  /** Moves one cell of `field` from one state to another (a later finding such as DUPLICATE_ID). */
  move(fieldIndex: number, from: CellState, to: CellState): void {
    this.counts[fieldIndex * 5 + from]!--;
    this.counts[fieldIndex * 5 + to]!++;
  }

  merge(other: DataQualityCounter): void {
    for (let i = 0; i < this.counts.length; i++) this.counts[i]! += other.counts[i]!;
    this.rows += other.rows;
  }

  /** Score 0-100 with 2 decimals, and the per-field breakdown. */
  result() {
    let earned = new Decimal(0);
    let possible = new Decimal(0);
    const c0 = this.#kind.dataQualityCredit;
    const creditByState = [c0.blankOptional, c0.valid, c0.validWithWarning, c0.noData, c0.invalid]; // in CellState order
    const fields = this.#kind.fields.map((f) => {
      const c = (s: CellState) => this.counts[f.index * 5 + s]!;
      const credit = creditByState.reduce((sum, w, s) => sum.plus(new Decimal(w).times(c(s as CellState))), new Decimal(0));
      earned = earned.plus(credit.times(f.criticality));
      possible = possible.plus(new Decimal(this.rows).times(f.criticality));
      return {
        field: f.name,
        criticality: f.criticality,
        valid: c(CellState.Valid),
        warning: c(CellState.Warning),
        noData: c(CellState.NoData),
        blank: c(CellState.Blank),
        invalid: c(CellState.Invalid),
        score: this.rows === 0 ? '0.00' : credit.times(100).div(this.rows).toFixed(2, Decimal.ROUND_HALF_EVEN),
      };
    });
    const score = possible.isZero() ? '0.00' : earned.times(100).div(possible).toFixed(2, Decimal.ROUND_HALF_EVEN);
    return { score, fields };
  }
}
