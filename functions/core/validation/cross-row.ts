/**
 * The cross-row rules of a tape: one reportingDate per tape (REPORTING_DATE_MISMATCH), and a
 * duplicated identity (loanId) makes every row carrying it invalid (DUPLICATE_ID, known only at
 * the end: `settle`). Memory: the ids in a compact index off the JS heap (loan-id-index.ts) — also
 * what a range of a tape ships for the parallel pre-pass ('collect' mode) — and no rows.
 */
import type { Column } from './header-plan.ts';
import { duplicateIdFinding, finding, type Finding } from './findings.ts';
import { LoanIdIndex, type LoanIdEntries } from './loan-id-index.ts';
import { CellState, type RowResult } from './row-validator.ts';
import type { DataQualityCounter } from './data-quality.ts';

export interface CrossRowOptions {
  /** See TapeValidatorOptions. */
  readonly reportingDate?: { readonly value: string; readonly row: number };
  readonly duplicates?: 'flag' | 'collect';
  readonly collectOnly?: ReadonlySet<string>;
  readonly expectedIds?: number;
}

/** The fields the rules read, as a kind names them (kind-validation.ts); an index of -1: no such field. */
export interface CrossRowFields {
  readonly idField: string;
  readonly idIndex: number;
  readonly dateField: string | undefined;
  readonly dateIndex: number;
  readonly dealField: string | undefined;
  /** What one row is, for messages (DUPLICATE_ID): 'loan', 'lot'. */
  readonly rowNoun: string;
}

export class CrossRowRules {
  reportingDate: string | null = null;
  firstDateRow = 0;
  /** The first dealId a row carried, if any. */
  dealId: string | null = null;
  /** Every id's first row and whether it was valid (loan-id-index.ts). */
  readonly ids: LoanIdIndex;
  /** Ids found on more than one row, with every row carrying them. */
  readonly duplicates = new Map<string, Array<{ row: number; valid: boolean }>>();
  readonly #collectOnly: ReadonlySet<string> | undefined;
  /** The kind's identity field (loanId). */
  readonly idField: string;
  readonly #idIndex: number;
  readonly #dateField: string | undefined;
  readonly #dateIndex: number;
  readonly #dealField: string | undefined;
  readonly #kind: { idField: string; rowNoun: string };

  /** `fields`: the kind's identity, cut-off date and deal fields. */
  constructor(options: CrossRowOptions, fields: CrossRowFields) {
    const { idField, idIndex, dateIndex } = fields;
    const flag = options.duplicates !== 'collect';
    this.#collectOnly = flag ? undefined : options.collectOnly;
    this.ids = new LoanIdIndex(flag, this.#collectOnly ? 0 : options.expectedIds ?? 0);
    this.idField = idField;
    this.#idIndex = idIndex;
    this.#dateIndex = dateIndex;
    this.#dateField = fields.dateField;
    this.#dealField = fields.dealField;
    this.#kind = { idField, rowNoun: fields.rowNoun };
    if (options.reportingDate) {
      this.reportingDate = options.reportingDate.value;
      this.firstDateRow = options.reportingDate.row;
    }
  }

  /**
   * Applies the rules to a validated row (`valid`: as validated so far); returns whether it is
   * still valid. A later row carrying a seen id is invalid at once; the first is settled in `settle`.
   */
  apply(row: number, result: RowResult<object>, columns: ReadonlyArray<Column | undefined>, valid: boolean): boolean {
    const values = result.values as Record<string, string | undefined>;
    const rd = this.#dateField === undefined ? undefined : values[this.#dateField];
    if (rd !== undefined) {
      if (this.reportingDate === null) {
        this.reportingDate = rd;
        this.firstDateRow = row;
      }
      else if (rd !== this.reportingDate) {
        result.findings.push(finding('REPORTING_DATE_MISMATCH', row, this.#dateField!, rd,
          `differs from the tape's reportingDate ${this.reportingDate} (row ${this.firstDateRow}); one tape has one cut-off`, columns[this.#dateIndex]?.header));
        result.states[this.#dateIndex] = CellState.Invalid;
        valid = false;
      }
    }
    if (this.dealId === null && this.#dealField !== undefined) this.dealId = values[this.#dealField] ?? null;
    const id = values[this.idField];
    if (id !== undefined && (this.#collectOnly === undefined || this.#collectOnly.has(id))) {
      const first = this.ids.add(id, row, valid);
      if (first !== undefined) {
        let rows = this.duplicates.get(id);
        if (!rows) this.duplicates.set(id, (rows = [{ row: first.row, valid: first.valid }]));
        rows.push({ row, valid });
        valid = false;
      }
    }
    return valid;
  }

  /** The ids collected so far ('collect' mode; 'flag' mode keeps first rows only); `copy` false: views, when done. */
  entries(copy: boolean): LoanIdEntries {
    return this.ids.entries(copy);
  }

  /**
   * The DUPLICATE_ID findings, in row order, once every row has been seen; moves the id cells to
   * invalid in `quality`; `firstValidLost`: first rows of a duplicated id that had counted as valid.
   */
  settle(idHeader: string | undefined, quality: DataQualityCounter): { late: Finding[]; firstValidLost: number } {
    const late: Finding[] = [];
    let firstValidLost = 0;
    for (const [id, rows] of this.duplicates) {
      const list = rows.map((r) => r.row);
      rows.forEach((r, i) => {
        late.push(duplicateIdFinding(r.row, id, list, idHeader, this.#kind));
        if (i === 0 && r.valid) firstValidLost++;
        quality.move(this.#idIndex, CellState.Valid, CellState.Invalid);
      });
    }
    late.sort((a, b) => a.row - b.row);
    return { late, firstValidLost };
  }
}
