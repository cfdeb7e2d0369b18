/**
 * The start of a read whose tape kind is not known yet: the first record (a CSV or XLSX header
 * row, an NDJSON tape's first object) decides the kind (kinds/registry.ts), which then gets its
 * validator and its reading pass; every record, the first included, goes on to that pass.
 */
import type { RecordSink } from '../readers/record-source.ts';
import { cellText, type CellSpans } from '../readers/types.ts';

/** The pass for a header (the NDJSON tape's first object's keys; none when it is not an object). */
export type PassForHeader = (headers: readonly string[]) => RecordSink & { readonly rows: number };

export class KindDetectingPass implements RecordSink {
  #pass: (RecordSink & { readonly rows: number }) | undefined;
  readonly #choose: PassForHeader;

  constructor(choose: PassForHeader) {
    this.#choose = choose;
  }

  /** Rows the pass has handed on (0 before the first record). */
  get rows(): number {
    return this.#pass?.rows ?? 0;
  }

  spans(row: number, cells: CellSpans): void {
    if (!this.#pass) {
      const headers: string[] = [];
      for (let k = 0; k < cells.count; k++) headers.push(cellText(cells, k));
      this.#pass = this.#choose(headers);
    }
    this.#pass.spans(row, cells);
  }

  cells(row: number, cells: readonly string[]): void {
    this.#pass ??= this.#choose(cells);
    this.#pass.cells(row, cells);
  }

  line(row: number, text: string): void {
    this.#pass ??= this.#choose(keysOf(text));
    this.#pass.line(row, text);
  }
}

/** The keys of an NDJSON line's object; none when the line is not one (the pass reports it). */
function keysOf(text: string): string[] {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : [];
  } catch {
    return [];
  }
}
