/**
 * One record source per tape format behind one interface: bytes in, records out to a
 * {@link RecordSink}. The check's single reading pass (pass/record-pass.ts) is fed by these, whether
 * it reads a whole tape, a byte range of one, or (XLSX on two threads) batches another thread reads.
 * The format is branched on here and nowhere else in the pass.
 */
import { parseCsv, parseCsvRange } from './csv-reader.ts';
import { readNdjsonTexts } from './ndjson-reader.ts';
import type { TapeFormat } from './tape-format.ts';
import type { ByteSource, CellSpans } from './types.ts';
import { readXlsx, type XlsxLimits } from './xlsx-reader.ts';

/**
 * Receives a tape's records in order, as its format delivers them. For CSV and XLSX the first
 * record is the header; NDJSON has none.
 */
export interface RecordSink {
  /** A record as spans of decoded text (CSV; XLSX records packed to cross threads). */
  spans(row: number, cells: CellSpans): void;
  /** A record as strings (XLSX). */
  cells(row: number, cells: readonly string[]): void;
  /** A line of an NDJSON tape, trimmed and not blank. */
  line(row: number, text: string): void;
}

/** How a read ended: rows read from its start (records and blank lines), and whether it ended between records. */
export interface SourceEnd {
  readonly rows: number;
  readonly atRecordBoundary: boolean;
}

/** What a source reads: the whole tape, or one byte range of a CSV or NDJSON tape split at record boundaries. */
export interface SourceOptions {
  readonly limits?: Partial<XlsxLimits>;
  /** XLSX: the sheet to read (default the first). */
  readonly sheet?: string;
  /** CSV: the delimiter (a range needs it; a whole tape sniffs it when absent). */
  readonly delimiter?: string;
  /** CSV: told the delimiter in use before the first record. */
  readonly onDelimiter?: (delimiter: string) => void;
  /** A byte range: its first byte's offset in the file, and whether it ends the file. */
  readonly range?: { readonly byteOffset: number; readonly last: boolean };
}

/** Reads records from bytes into a sink. */
export type RecordSource = (source: ByteSource, sink: RecordSink) => Promise<SourceEnd>;

/**
 * The record source of a format.
 * @example await recordSource('csv', { limits })(bytes, sink)
 */
export function recordSource(format: TapeFormat, options: SourceOptions = {}): RecordSource {
  const { limits, range } = options;
  if (format === 'ndjson') {
    return async (source, sink) => {
      const end = { rows: 0 };
      for await (const batch of readNdjsonTexts(source, limits, range !== undefined && range.byteOffset > 0, end)) {
        for (const r of batch) sink.line(r.row, r.text);
      }
      return { rows: end.rows, atRecordBoundary: true };
    };
  }
  if (format === 'xlsx') {
    const xlsxOptions = { ...(options.sheet ? { sheet: options.sheet } : {}), ...(limits ? { limits } : {}) };
    return async (source, sink) => {
      let rows = 0;
      for await (const record of readXlsx(source, xlsxOptions)) {
        rows++;
        sink.cells(record.row, record.cells);
      }
      return { rows, atRecordBoundary: true };
    };
  }
  // CSV: records straight from the parser as spans of the decoded text (no async step and no
  // string per cell: numbers, dates and codes are read in place).
  return async (source, sink) => {
    const spans = { spans: (row: number, cells: CellSpans) => sink.spans(row, cells) };
    if (range) {
      const end = await parseCsvRange(source, { ...limits, delimiter: options.delimiter ?? ',', byteOffset: range.byteOffset, last: range.last }, spans);
      return { rows: end.rows, atRecordBoundary: range.last || end.atRecordBoundary };
    }
    let rows = 0;
    await parseCsv(source, { ...limits, ...(options.delimiter ? { delimiter: options.delimiter } : {}), ...(options.onDelimiter ? { onDelimiter: options.onDelimiter } : {}) }, { spans: (row, cells) => {
      rows = row;
      sink.spans(row, cells);
    } });
    return { rows, atRecordBoundary: true };
  };
}
