/**
 * Maps a tape's headers onto the standard's fields: an explicit mapping file wins, then the exact
 * field name, then the field's name or an `x-aliases` entry compared by `headerKey`.
 * Two headers on one field make the tape unusable; unknown headers are warnings; missing required
 * fields are reported once by name.
 */
import { MappingError } from '../errors.ts';
import type { ColumnMapping } from '../generated/column-mapping.ts';
import type { FieldSpec } from '../schema/field-specs.ts';
import { closestField } from './closest-field.ts';
import { headerKey } from './header-key.ts';
import { columnSpecOf } from './mapping-file.ts';

/**
 * Where a user maps a column, offline and in the pipeline alike: findings must read the same in
 * `dmbs check` and in the pipeline's reports, so `{dealId}` stays a placeholder.
 */
export const DEAL_MAPPING_HOW = "the deal's column mapping: `dmbs check --mapping F`, or PUT /v1/deals/{dealId}/mapping";

/** How a header came to its field. */
export type MatchedBy = 'name' | 'alias' | 'mapping' | 'none' | 'ignored';

/** Per-column reading options from a mapping file. */
export interface ColumnOptions {
  /** `percent`: the cell holds 5.25 for 0.0525. */
  readonly percent: boolean;
  /** A parser for a declared date pattern; undefined = strict ISO. */
  readonly datePattern?: DatePattern;
  /** Issuer code -> standard code (keys compared trimmed, then upper-cased). */
  readonly values?: ReadonlyMap<string, string>;
  /** `,` when the tape writes decimals as 1234,56. */
  readonly decimalComma: boolean;
}

/** A compiled date pattern such as `MM-DD-YYYY`. */
export interface DatePattern {
  readonly pattern: string;
  readonly regex: RegExp;
  readonly order: ReadonlyArray<'Y' | 'M' | 'D'>;
}

export interface ResolvedHeader {
  readonly field: FieldSpec | null;
  readonly matchedBy: MatchedBy;
  readonly options: ColumnOptions;
}

/** The options of a column read as the standard writes it (no mapping options): shared by such columns. */
export const PLAIN: ColumnOptions = Object.freeze({ percent: false, decimalComma: false });

/** Compiles `MM-DD-YYYY`-style patterns to a regex with capture order. */
export function compileDatePattern(pattern: string): DatePattern {
  const order: Array<'Y' | 'M' | 'D'> = [];
  const source = pattern.replace(/YYYY|MM|DD|M|D|[-/. ]/g, (token) => {
    if (token === 'YYYY') return order.push('Y'), '(\\d{4})';
    if (token === 'MM' || token === 'DD') return order.push(token[0] as 'M' | 'D'), '(\\d{2})';
    if (token === 'M' || token === 'D') return order.push(token), '(\\d{1,2})';
    return `\\${token}`;
  });
  return { pattern, regex: new RegExp(`^${source}$`), order };
}

/**
 * Resolves headers to fields; compiled once per tape (per mapping).
 * @example new HeaderResolver(undefined, FIELDS, FIELD_BY_NAME).resolve('Current Principal Balance').field?.name // 'currentBalance'
 */
export class HeaderResolver {
  readonly #byKey = new Map<string, FieldSpec>();
  readonly #explicit = new Map<string, ResolvedHeader>();
  readonly #ignored: ReadonlySet<string>;
  readonly #decimalComma: boolean;
  readonly #fieldByName: ReadonlyMap<string, FieldSpec>;
  /** The fields headers resolve to (a tape kind's). */
  readonly fields: readonly FieldSpec[];

  constructor(mapping: ColumnMapping | undefined, fields: readonly FieldSpec[], fieldByName: ReadonlyMap<string, FieldSpec>) {
    this.fields = fields;
    this.#fieldByName = fieldByName;
    for (const field of fields) {
      for (const name of [field.name, ...field.aliases]) this.#byKey.set(headerKey(name), field);
    }
    this.#decimalComma = mapping?.decimalSeparator === ',';
    this.#ignored = new Set((mapping?.ignore ?? []).map((h) => h.trim()));
    for (const [header, value] of Object.entries(mapping?.columns ?? {})) {
      const spec = columnSpecOf(value as Parameters<typeof columnSpecOf>[0]);
      const field = fieldByName.get(spec.field)!;
      this.#explicit.set(header.trim(), {
        field,
        matchedBy: 'mapping',
        options: {
          percent: spec.unit === 'percent',
          decimalComma: this.#decimalComma,
          ...(spec.datePattern ? { datePattern: compileDatePattern(spec.datePattern) } : {}),
          ...(spec.values ? { values: new Map(Object.entries(spec.values).map(([k, v]) => [k.trim().toUpperCase(), v])) } : {}),
        },
      });
    }
  }

  /** The field a header maps to, and how. */
  resolve(rawHeader: string): ResolvedHeader {
    const header = rawHeader.trim();
    const explicit = this.#explicit.get(header);
    if (explicit) return explicit;
    const options = this.#decimalComma ? { ...PLAIN, decimalComma: true } : PLAIN;
    if (this.#ignored.has(header)) return { field: null, matchedBy: 'ignored', options };
    const exact = this.#fieldByName.get(header);
    if (exact) return { field: exact, matchedBy: 'name', options };
    const byKey = this.#byKey.get(headerKey(header));
    if (byKey) return { field: byKey, matchedBy: 'alias', options };
    return { field: null, matchedBy: 'none', options };
  }
}

/** One column of the tape and where it goes. */
export interface PlannedColumn extends ResolvedHeader {
  readonly header: string;
  /** 0-based column position in the tape. */
  readonly position: number;
}

/** The mapping of a whole header row. */
export interface ColumnPlan {
  readonly columns: readonly PlannedColumn[];
  /** Field index -> column position, -1 when the tape has no column for it. */
  readonly columnOfField: Int32Array;
  /** Required fields with no column. */
  readonly missingRequired: readonly FieldSpec[];
  /** Headers that matched nothing, with a suggestion. */
  readonly unknown: ReadonlyArray<{ header: string; position: number; suggestion?: string }>;
}

/**
 * Plans a header row; throws MappingError (COLUMN_DUPLICATE) when two headers land on one field,
 * TAPE_HEADER_MISSING when no header matches any field.
 */
export function planColumns(headers: readonly string[], resolver: HeaderResolver): ColumnPlan {
  const columnOfField = new Int32Array(resolver.fields.length).fill(-1);
  const columns: PlannedColumn[] = [];
  const unknown: Array<{ header: string; position: number; suggestion?: string }> = [];
  headers.forEach((header, position) => {
    const resolved = resolver.resolve(header);
    columns.push({ ...resolved, header: header.trim(), position });
    if (resolved.field) {
      const previous = columnOfField[resolved.field.index]!;
      if (previous >= 0) {
        throw new MappingError(
          'COLUMN_DUPLICATE',
          `columns '${headers[previous]!.trim()}' (column ${previous + 1}) and '${header.trim()}' (column ${position + 1}) both map to ${resolved.field.name}; remove one or map one elsewhere in ${DEAL_MAPPING_HOW}.`,
        );
      }
      columnOfField[resolved.field.index] = position;
    } else if (resolved.matchedBy === 'none' && header.trim() !== '') {
      const suggestion = closestField(header, resolver.fields);
      unknown.push({ header: header.trim(), position, ...(suggestion ? { suggestion } : {}) });
    }
  });
  if (columns.every((c) => c.field === null)) {
    throw new MappingError(
      'TAPE_HEADER_MISSING',
      `row 1 matches no field of the DMBS standard (first cells: ${headers.slice(0, 4).map((h) => `'${h.slice(0, 40)}'`).join(', ')}); the first row must be the header (see docs/standard.md), or map the headers in ${DEAL_MAPPING_HOW}.`,
    );
  }
  const missingRequired = resolver.fields.filter((f) => f.required && columnOfField[f.index]! < 0);
  return { columns, columnOfField, missingRequired, unknown };
}
