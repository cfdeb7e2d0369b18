/**
 * The second read of a tape: which rows the first read found valid (one bit each), and the
 * evaluated fields of such a row coerced again without validating it (RowValidator.coerceRow),
 * so that a tape can be evaluated again without keeping its rows.
 */
import type { RowCells, RowValidator } from './row-validator.ts';
import type { Column } from './header-plan.ts';

/** One bit per validated row, in order: valid (as counted by the first read). */
export class ValidityBits {
  #bits = new Uint8Array(1024);

  /** Records row number `n` (0-based, in order of validation). */
  mark(n: number, valid: boolean): void {
    if (n >> 3 >= this.#bits.length) {
      const grown = new Uint8Array(this.#bits.length * 2);
      grown.set(this.#bits);
      this.#bits = grown;
    }
    if (valid) this.#bits[n >> 3]! |= 1 << (n & 7);
  }

  /** The bits of the first `rows` rows (bit i of byte i >> 3). */
  bits(rows: number): Uint8Array {
    return this.#bits.slice(0, (rows + 7) >> 3);
  }
}

/** The evaluated fields (`fields`: indexes) of a row already found valid, coerced from its cells. */
export function rereadRow<T>(rows: RowValidator, cells: RowCells, columns: ReadonlyArray<Column | undefined>, fields: readonly number[]): T {
  return rows.coerceRow(cells, columns, fields) as unknown as T;
}
