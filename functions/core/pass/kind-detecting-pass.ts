/**
 * The start of a read whose tape kind is not known yet: the first record (a CSV or XLSX header
 * row, an NDJSON tape's first line that is a JSON object) decides the kind (kinds/registry.ts),
 * which then gets its validator and its reading pass; every record, the first included, goes on
 * to that pass. NDJSON lines before the first object (broken ones) wait for it, a bounded number,
 * so that one bad first line does not decide the kind of the whole tape.
 */
import type { RecordSink } from '../readers/record-source.ts';
import { cellText, type CellSpans } from '../readers/types.ts';

/** The pass for a header (the NDJSON tape's first object's keys; none when it is not an object). */
export type PassForHeader = (headers: readonly string[]) => RecordSink & { readonly rows: number };

/** NDJSON lines that may wait for the first object before the kind is decided without one. */
export const MAX_WAITING_LINES = 1000;

export class KindDetectingPass implements RecordSink {
  #pass: (RecordSink & { readonly rows: number }) | undefined;
  readonly #choose: PassForHeader;
  /** NDJSON lines read before the first object: [row, text]. */
  readonly #waiting: Array<[number, string]> = [];

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
    if (!this.#pass) {
      const keys = keysOf(text);
      // (an empty object names no column either)
      if ((keys === undefined || keys.length === 0) && this.#waiting.length < MAX_WAITING_LINES) {
        this.#waiting.push([row, text]);
        return;
      }
      this.#start(keys ?? []);
    }
    this.#pass!.line(row, text);
  }

  /** The end of the input: lines still waiting (a tape without any object) go to the default kind's pass. */
  finish(): void {
    if (!this.#pass && this.#waiting.length > 0) this.#start([]);
  }

  #start(headers: readonly string[]): void {
    const pass = (this.#pass = this.#choose(headers));
    for (const [row, text] of this.#waiting.splice(0)) pass.line(row, text);
  }
}

/** The keys of an NDJSON line's object; undefined when the line is not one (the pass reports it). */
function keysOf(text: string): string[] | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : undefined;
  } catch {
    return undefined;
  }
}
