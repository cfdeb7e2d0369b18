/**
 * What a worker is given to check one byte range of a tape, and what it hands back: plain data
 * (structured-cloneable; typed arrays transferable), so the same task runs in a worker thread, in
 * another process or in the caller's own thread.
 */
import { settingsOf, type CheckTapeOptions } from '../check-tape.ts';
import { kindById, type AnyTapeKind, type KindAggregateTransfer, type KindSettingsData, type TapeKindId } from '../kinds/registry.ts';
import type { SomeTapeKind } from '../kinds/tape-kind.ts';
import { checkMappingFields } from '../mapping/mapping-file.ts';
import type { ColumnMapping } from '../generated/column-mapping.ts';
import type { Finding } from '../generated/report.ts';
import type { ReaderLimits } from '../readers/types.ts';
import type { LoanIdEntries } from '../validation/loan-id-index.ts';

/** One range of a tape to check. Row numbers in the result count from the range's start. */
export interface RangeTask {
  readonly index: number;
  /** Byte offsets in the file, `end` exclusive; `start` is 0 or a record start (csv-split.ts). */
  readonly start: number;
  readonly end: number;
  /** The range ends the file. */
  readonly last: boolean;
  readonly format: 'csv' | 'ndjson';
  /** CSV: the delimiter (sniffed from the header). */
  readonly delimiter: string;
  /** CSV: the header record, for ranges that do not start the tape (the first range reads its own). */
  readonly header: { readonly cells: string[]; readonly row: number } | null;
  readonly mapping?: ColumnMapping;
  /** The tape's kind (kinds/registry.ts): the worker validates and evaluates the range as this kind. */
  readonly kind: TapeKindId;
  /**
   * The deal's settings for that kind as data (`kind.settingsData`): the loan tape's criteria and
   * stress document (absent = the defaults), the compute tape's criteria and residual curve.
   */
  readonly settings: KindSettingsData;
  /** The tape's reportingDate and its (absolute) row, from the tape's first rows; null = none there. */
  readonly reportingDate: { readonly value: string; readonly row: number } | null;
  readonly limits?: Partial<ReaderLimits>;
  /** Findings to keep (the report's cap; every one when the caller streams findings). */
  readonly keepFindings: number;
  /** Loans carrying these (duplicated) ids stay out of the pool (the rows are still validated). */
  readonly exclude?: readonly string[];
  /**
   * `exclude` is exactly every duplicated id of the tape (the CSV loanId pre-pass, which tracks ids
   * exactly as validation keeps them): the range then collects only these ids (their rows, for
   * DUPLICATE_ID findings), not every id. Otherwise (NDJSON's pre-pass is a fast guess) every id
   * is collected and the merge checks the guess.
   */
  readonly excludeIsExact?: boolean;
  /**
   * A second pass that only evaluates: `validity` is the first pass's RangeResult.validity; rows it
   * marks invalid are skipped, the others only coerced (not validated again).
   */
  readonly evaluateOnly?: boolean;
  readonly validity?: Uint8Array;
  /**
   * A pre-pass over loanIds only: the ids a full pass would track (coerced and valid by the
   * schema's loanId rules), so that duplicated ids are known before the pool is accumulated. CSV:
   * exact. NDJSON: the loanId read without parsing the line where that is safe (ndjson-id-scan.ts),
   * else the line parsed; a guess the merge checks.
   */
  readonly idsOnly?: boolean;
  /** Records the range is expected to hold (from the tape's first MiB): id arrays that collect an id per row (the pre-pass; NDJSON's ranges) start at that size. */
  readonly expectedRecords?: number;
}

/** Progress of one range: bytes read and rows validated so far. */
export interface RangeProgress {
  readonly index: number;
  readonly bytesRead: number;
  readonly rows: number;
}

/** A DmbsError raised while reading the range, after every row before it was checked. */
export interface RangeError {
  readonly name: string;
  readonly code: string;
  readonly message: string;
  /** Row (relative to the range) the error is about, when the message names one. */
  readonly row?: number;
}

/** The mergeable outcome of one range (row numbers relative to the range's first row). */
export interface RangeResult {
  readonly index: number;
  /** The task's kind (how `pool` is read). */
  readonly kind: TapeKindId;
  /** Rows of the range as a spreadsheet counts them (records and blank lines; the header, for the first range). */
  readonly rows: number;
  /** False: the range did not end on a record boundary (a wrong split point): discard the split. */
  readonly atRecordBoundary: boolean;
  /** Loan rows validated (the header and blank lines not counted). */
  readonly rowCount: number;
  /** Rows valid before duplicated ids are known (settled when the ranges are merged). */
  readonly validRowCount: number;
  readonly errorCount: number;
  readonly warningCount: number;
  readonly reportingDate: string | null;
  readonly dealIdFromRows: string | null;
  /** DataQualityCounter counts (fields × 5) and rows. */
  readonly quality: Float64Array;
  readonly qualityRows: number;
  /** The first `keepFindings` findings in order (NDJSON: UNKNOWN_COLUMN findings always). */
  readonly findings: Finding[];
  /** NDJSON: keys reported as UNKNOWN_COLUMN in this range (the tape reports each key once). */
  readonly unknownKeys: string[];
  readonly ids: LoanIdEntries;
  /** A bit per validated row: valid before duplicated ids are known (for a second pass). */
  readonly validity: Uint8Array;
  /** The range's aggregate as the kind transfers it (`kind.toTransfer`; the loan tape's PoolAccumulator.toTransfer). */
  readonly pool: KindAggregateTransfer;
  readonly error?: RangeError;
  /** Milliseconds spent in this range (for benchmarks). */
  readonly ms: number;
  /** Set by a worker thread: its JS heap at the end (MB used, MB allocated), for benchmarks. */
  heap?: { readonly usedMB: number; readonly totalMB: number };
}

/** The buffers of a result that can be transferred to another thread instead of copied. */
export function transferables(result: RangeResult): ArrayBuffer[] {
  const { ids, quality, pool } = result;
  const buffers: ArrayBufferLike[] = [ids.hashes.buffer, ids.rows.buffer, ids.ends.buffer, ids.bytes.buffer, quality.buffer, result.validity.buffer];
  buffers.push(...(kindById(result.kind) as SomeTapeKind).transferBuffers(pool));
  return [...new Set(buffers)] as ArrayBuffer[];
}

/**
 * The deal's settings of the tape's kind (check-tape.ts settingsOf) and the same as a range task
 * carries them, once a mapping's fields are checked against that kind; undefined when either is
 * wrong: the caller then checks the tape in one pass, which reports it where it would.
 */
export function taskSettings(kind: AnyTapeKind, options: CheckTapeOptions): { settings: unknown; data: KindSettingsData } | undefined {
  const k = kind as SomeTapeKind;
  try {
    const settings = settingsOf(kind, options);
    if (options.mapping) checkMappingFields(options.mapping, options.mappingSource ?? 'the column mapping', k.validation.fieldByName, `the ${k.rowNoun} tape's standard`);
    return { settings, data: k.settingsData(settings) as KindSettingsData };
  } catch {
    return undefined;
  }
}
