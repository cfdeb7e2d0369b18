/**
 * The cells of one row, by field, for each input shape the row validator reads (row-validator.ts
 * RowCells): a CSV record's spans, a record's cell strings (XLSX, a parsed CSV record), an NDJSON
 * line read by the scanner, an NDJSON object. Each adapter coerces a cell exactly as coerceInto
 * does its trimmed text; the validator does not know which shape it reads.
 */
import { MappingError } from '../errors.ts';
import type { ColumnOptions, HeaderResolver, ResolvedHeader } from '../mapping/column-mapping.ts';
import { numberToText } from '../readers/number-text.ts';
import { jsonNumberText, memberNumberTokens, memberText, ndjsonMembers, scanFlatObject, ValueKind, type NdjsonMembers } from '../readers/ndjson-scan.ts';
import { cellText, type CellSpans } from '../readers/types.ts';
import type { FieldSpec } from '../schema/field-specs.ts';
import { coerceInto, coerceSpan, Outcome, type CoerceScratch } from './coerce.ts';
import { DEAL_MAPPING_HOW } from '../mapping/column-mapping.ts';
import { finding, type Finding } from './findings.ts';
import type { Column } from './header-plan.ts';
import { TextCells, type RowCells } from './row-validator.ts';

/** Cells of a record in span mode, by field (through the header's column plan). */
export class SpanCells implements RowCells {
  cells!: CellSpans;
  columnOfField!: Int32Array;
  text(i: number): string | undefined {
    const pos = this.columnOfField[i]!;
    if (pos < 0) return undefined;
    return pos < this.cells.count ? cellText(this.cells, pos).trim() : '';
  }
  coerce(i: number, spec: FieldSpec, options: ColumnOptions, out: CoerceScratch): Outcome {
    const pos = this.columnOfField[i]!;
    const cells = this.cells;
    if (pos < 0 || pos >= cells.count) return Outcome.Blank;
    const special = cells.special[pos];
    if (special !== undefined) return coerceInto(spec, special.trim(), options, out);
    return coerceSpan(spec, cells.text, cells.starts[pos]!, cells.ends[pos]!, options, out);
  }
}

/** Cells of a scanned NDJSON line, by field: member `memberOf[i]` of the line, or none (-1: a blank cell). */
export class MemberCells implements RowCells {
  members!: NdjsonMembers;
  readonly memberOf: Int32Array;
  constructor(fieldCount: number) {
    this.memberOf = new Int32Array(fieldCount).fill(-1);
  }
  text(i: number): string | undefined {
    const j = this.memberOf[i]!;
    return j < 0 ? '' : memberText(this.members, j);
  }
  coerce(i: number, spec: FieldSpec, options: ColumnOptions, out: CoerceScratch): Outcome {
    const j = this.memberOf[i]!;
    if (j < 0) return Outcome.Blank;
    const m = this.members;
    const kind = m.kinds[j];
    // A string or a canonical number is read in place (coerceSpan: exactly coerceInto of the trimmed span).
    if (kind === ValueKind.String || kind === ValueKind.Number) return coerceSpan(spec, m.text, m.valueStarts[j]!, m.valueEnds[j]!, options, out);
    return coerceInto(spec, memberText(m, j), options, out);
  }
}

/** An NDJSON key as first seen: its field and the column it stands for. */
export type NdjsonKey = { key: string; resolved: ResolvedHeader; column: Column };

/**
 * The NDJSON cell adapter: maps each line's keys onto fields like headers (a missing key is a blank
 * cell under the field's own name), into reused cells and columns — the scanned line's members
 * (`members`) or an object's texts (`texts`). One adapter per read of a tape: it keeps the keys seen.
 */
export class NdjsonCells {
  /** NDJSON key -> its field and the column it stands for (one object per key, not per row). */
  readonly keys = new Map<string, NdjsonKey>();
  /** The columns of the line mapped last, by field index. */
  readonly columns: Array<Column | undefined>;
  /** The line mapped last by the scanner. */
  readonly members: MemberCells;
  /** The object mapped last, as trimmed texts by field index. */
  readonly texts: TextCells;
  readonly #resolver: HeaderResolver;
  /** The column of a field an NDJSON object has no key for: a blank cell under the field's own name. */
  readonly #defaults: readonly Column[];
  /** The keys of the last scanned line, by position (a tape repeats its key order: compared, not looked up). */
  readonly #lineKeys: Array<NdjsonKey | undefined> = [];
  readonly #scannedMembers: NdjsonMembers = ndjsonMembers();
  readonly #scan: boolean;
  /** Lines the scanner declined in a row (see scanned). */
  #declined = 0;
  readonly #setInRow: Float64Array;
  #generation = 0;
  readonly #texts: Array<string | undefined>;

  constructor(resolver: HeaderResolver, fields: readonly FieldSpec[], scan: boolean) {
    this.#resolver = resolver;
    this.#scan = scan;
    this.#defaults = fields.map((f) => ({ header: f.name, options: { percent: false, decimalComma: false } }));
    this.columns = new Array<Column | undefined>(fields.length);
    this.#setInRow = new Float64Array(fields.length);
    this.members = new MemberCells(fields.length);
    this.#texts = new Array<string | undefined>(fields.length);
    this.texts = new TextCells();
    this.texts.texts = this.#texts;
  }

  /**
   * mapLine where it is worth trying: after 16 lines declined in a row it tries one line in 64, so
   * that a tape whose lines the scanner cannot read (each with an array, say) costs little more than parsing it; one line read, and it tries
   * every line again. Never changes a result: a line not scanned is parsed.
   */
  scanned(text: string): boolean {
    if (!this.#scan) return false;
    const declined = this.#declined;
    if (declined < 16 || (declined & 63) === 0) {
      if (this.mapLine(text)) {
        this.#declined = 0;
        return true;
      }
    }
    this.#declined = declined + 1;
    return false;
  }

  /**
   * Maps a scanned line's members onto fields (the member cells and the columns); false when the
   * line must be parsed instead (see TapeValidator.ndjsonLine). Changes nothing that mapObject does not reset.
   */
  mapLine(text: string): boolean {
    const m = this.#scannedMembers;
    if (!scanFlatObject(text, m)) return false;
    const columns = this.columns;
    const setIn = this.#setInRow;
    const cells = this.members;
    const memberOf = cells.memberOf;
    const lineKeys = this.#lineKeys;
    const generation = ++this.#generation;
    for (let j = 0; j < m.count; j++) {
      const start = m.keyStarts[j]!;
      const end = m.keyEnds[j]!;
      let known = lineKeys[j];
      // (A slice compared: faster than startsWith or a loop of charCodeAt on a line sliced from its chunk.)
      if (known === undefined || known.key.length !== end - start || text.slice(start, end) !== known.key) {
        known = this.keys.get(text.slice(start, end));
        if (known === undefined) return false; // a new key: its UNKNOWN_COLUMN finding comes from the parsed line
        lineKeys[j] = known;
      }
      const field = known.resolved.field;
      if (!field) continue; // an ignored key, even twice: JSON.parse's object gives the same
      // Two keys on one field (COLUMN_DUPLICATE), or one key twice (JSON.parse keeps the last value).
      if (setIn[field.index] === generation) return false;
      setIn[field.index] = generation;
      columns[field.index] = known.column;
      memberOf[field.index] = j;
    }
    for (let i = 0; i < setIn.length; i++) {
      if (setIn[i] !== generation) {
        columns[i] = this.#defaults[i]!;
        memberOf[i] = -1;
      }
    }
    cells.members = m;
    return true;
  }

  /**
   * Maps an object's keys onto fields into the texts and columns; returns the UNKNOWN_COLUMN
   * findings of keys seen for the first time (none when `again`: a second read of the tape).
   * `line`: the line it was parsed from, for the text of numbers beyond a double's range.
   */
  mapObject(row: number, object: Record<string, unknown>, again: boolean, line?: string): Finding[] | undefined {
    const texts = this.#texts;
    let tokens: Map<string, string> | undefined;
    const columns = this.columns;
    const setIn = this.#setInRow;
    const generation = ++this.#generation;
    let early: Finding[] | undefined;
    for (const key of Object.keys(object)) {
      let known = this.keys.get(key);
      if (!known) {
        const resolved = this.#resolver.resolve(key);
        known = { key, resolved, column: { header: key, options: resolved.options } };
        this.keys.set(key, known);
        if (!again && !resolved.field && resolved.matchedBy === 'none') {
          (early ??= []).push(finding('UNKNOWN_COLUMN', row, null, key, `key matches no field and is ignored (map it in ${DEAL_MAPPING_HOW})`));
        }
      }
      const field = known.resolved.field;
      if (!field) continue;
      if (setIn[field.index] === generation) {
        throw new MappingError('COLUMN_DUPLICATE', `line ${row}: keys '${columns[field.index]!.header}' and '${key}' both map to ${field.name}; send one.`, );
      }
      setIn[field.index] = generation;
      columns[field.index] = known.column;
      const value = object[key];
      // 0 or Infinity may be a number beyond a double's range (1e-400): its text, from the line
      texts[field.index] = line !== undefined && typeof value === 'number' && (value === 0 || !Number.isFinite(value))
        ? jsonNumberText((tokens ??= memberNumberTokens(line)).get(key) ?? '0')
        : ndjsonText(value);
    }
    for (let i = 0; i < setIn.length; i++) {
      if (setIn[i] !== generation) {
        columns[i] = this.#defaults[i]!;
        texts[i] = '';
      }
    }
    return early;
  }

  /** Sets one field's text and column from a known key (only that field: the next line's mapping resets every field). */
  setOne(index: number, known: NdjsonKey, text: string): void {
    this.columns[index] = known.column;
    this.#texts[index] = text;
  }
}

/** The text an NDJSON value is validated as (a cell's text): strings trimmed, numbers as numberToText, null blank. */
export function ndjsonText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number') return numberToText(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return JSON.stringify(value);
}
