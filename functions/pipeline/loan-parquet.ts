/**
 * The analytical dataset (docs/market.md): one Parquet object per scored tape holding its
 * canonical valid loans with their per-loan results and group keys, in the columns
 * core/market/loan-columns.ts derives from schemas/. Written with hyparquet-writer (pure
 * JavaScript: small in a Lambda bundle, no native binary; bench/README.md "Parquet writers"),
 * streamed row group by row group so memory follows a row group, not the tape.
 */
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import type { DmbsLoan } from '../core/generated/loan-tape.ts';
import { toCents } from '../core/evaluation/exact.ts';
import { groupKey, tenantGroupName } from '../core/evaluation/group-key.ts';
import { LOAN_COLUMNS, PARTITION_COLUMNS, type ColumnType, type GroupColumn, type LoanColumn } from '../core/market/loan-columns.ts';
import { GROUP_COLUMNS, type GroupRow } from '../core/market/tape-groups.ts';

/** The market dataset's part of the tapes bucket: the loans' files and the group sums', side by side. */
export const ANALYTICS_ROOT = 'analytics/';

/** Where the dataset lives in the tapes bucket (Hive-style partitions below it). */
export const ANALYTICS_PREFIX = `${ANALYTICS_ROOT}loans/`;

/** The analytics object of one tape; ids are tape-key ids ([A-Za-z0-9._-]), safe in a Hive path as they are. */
export function analyticsKey(t: { issuerId: string; dealId: string; reportingDate: string; tapeId: string }): string {
  return `${ANALYTICS_PREFIX}issuer=${t.issuerId}/deal=${t.dealId}/reporting_date=${t.reportingDate}/tape=${t.tapeId}/loans.parquet`;
}

/** Where the per-tape group sums live (one small file per tape, same partitions). */
export const GROUPS_PREFIX = `${ANALYTICS_ROOT}groups/`;

/** The group-sums object of one tape (core/market/tape-groups.ts). */
export function groupsKey(t: { issuerId: string; dealId: string; reportingDate: string; tapeId: string }): string {
  return `${GROUPS_PREFIX}issuer=${t.issuerId}/deal=${t.dealId}/reporting_date=${t.reportingDate}/tape=${t.tapeId}/groups.parquet`;
}

/** Rows per row group: large enough for the engines to read efficiently, small enough to bound memory. */
export const ROW_GROUP_ROWS = 100_000;

type Schema = ConstructorParameters<typeof ParquetWriter>[0]['schema'];
type SchemaElement = Schema[number];

function schemaElement(name: string, type: ColumnType): SchemaElement {
  const optional = { repetition_type: 'OPTIONAL' as const };
  switch (type) {
    case 'STRING': return { name, type: 'BYTE_ARRAY', converted_type: 'UTF8', ...optional };
    case 'BOOLEAN': return { name, type: 'BOOLEAN', ...optional };
    case 'INT32': return { name, type: 'INT32', ...optional };
    case 'DOUBLE': return { name, type: 'DOUBLE', ...optional };
    case 'DATE': return { name, type: 'INT32', converted_type: 'DATE', ...optional };
    case 'MONEY': return { name, type: 'INT64', converted_type: 'DECIMAL', precision: 18, scale: 2, ...optional };
  }
}

/** The Parquet schema of the dataset's files (with `paths`: the path values as columns too, last). */
export function loanParquetSchema(columns: readonly LoanColumn[] = LOAN_COLUMNS, paths = false): Schema {
  const names = paths ? PARTITION_COLUMNS.map((p) => p.name) : [];
  return [
    { name: 'root', num_children: columns.length + names.length },
    ...columns.map((c) => schemaElement(c.name, c.type)), ...names.map((n) => schemaElement(n, 'STRING')),
  ];
}

/**
 * The tape a file belongs to. Written into every row as the columns issuer, deal, reporting_date
 * and tape (the same values as the path): Athena's table is not partitioned and reads them from
 * the file (docs/aws.md); DuckDB reads the path's, which are equal.
 */
export interface LoanParquetTape {
  readonly issuerId: string;
  readonly dealId: string;
  readonly tapeId: string;
}

const DAY_MS = 86_400_000;
/** Days since 1970-01-01 by date text: a tape repeats few dates, so most lookups hit. */
const DAYS = new Map<string, number | null>();

function dayNumber(iso: string): number | null {
  let d = DAYS.get(iso);
  if (d === undefined) {
    d = /^\d{4}-\d{2}-\d{2}$/.test(iso) ? Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) / DAY_MS : null;
    if (DAYS.size < 100_000) DAYS.set(iso, d);
  }
  return d;
}

/** A cell's value as its column stores it; null when absent or of another type (an ND code, a blank). */
type Convert = (v: unknown) => unknown;
const CONVERT: Readonly<Record<ColumnType, Convert>> = {
  STRING: (v) => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : null),
  BOOLEAN: (v) => (typeof v === 'boolean' ? v : null),
  INT32: (v) => (typeof v === 'number' && Number.isInteger(v) ? v : null),
  DOUBLE: (v) => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : null),
  DATE: (v) => (typeof v === 'string' ? dayNumber(v) : null),
  MONEY: (v) => (typeof v === 'number' ? toCents(v) : typeof v === 'string' && /^-?\d+(\.\d{1,2})?$/.test(v) ? toCents(Number(v)) : null),
};

function cell(type: ColumnType, v: unknown): unknown {
  return v === undefined || v === null ? null : CONVERT[type](v);
}

function listText(v: unknown, list: 'criterion' | 'value'): string | null {
  if (!Array.isArray(v)) return null;
  return v.map((x) => (list === 'criterion' ? String((x as { criterion?: unknown }).criterion) : String(x))).join(',');
}

/** A loan result as evaluate writes it: row, loanId, eligible, failures and any later per-loan figures. */
export type LoanResultLine = { readonly row: number } & Record<string, unknown>;

type CellReader = (loan: Record<string, unknown>, result: LoanResultLine, keys: GroupKeys) => unknown;
type GroupKeys = Record<GroupColumn, string>;

function columnReader(c: LoanColumn): CellReader {
  const s = c.source;
  const convert = CONVERT[c.type];
  if ('key' in s) return (_l, _r, keys) => keys[s.key];
  if ('loan' in s) {
    const field = s.loan;
    return (loan) => {
      const v = loan[field];
      return v === undefined || v === null ? null : convert(v);
    };
  }
  const { result: field, list } = s;
  if (list) return (_l, result) => listText(result[field], list);
  return (_l, result) => {
    const v = result[field];
    return v === undefined || v === null ? null : convert(v);
  };
}

/**
 * Which columns get min/max statistics: by default only the path values (issuer, deal,
 * reporting_date, tape), the ones `tape IN (…)` prunes row groups by; statistics on every
 * column cost a pass over each and no query of the market uses them (bench/README.md
 * "Parquet writing cost on a quiet machine").
 */
export type ParquetStatistics = boolean | 'paths';

/**
 * Builds one tape's Parquet file as loans arrive; `emit` receives the file's bytes in order
 * (append them to the object). @example const pq = new LoanParquetBuilder((b) => out.writeBytes(b)); pq.add(loan, result); await pq.finish();
 */
export class LoanParquetBuilder {
  readonly #columns: readonly LoanColumn[];
  /** One reader per column, made once: a cell's value from the loan, the result or the keys. */
  readonly #readers: ReadonlyArray<CellReader>;
  readonly #writer: ParquetWriter;
  /** Column names in file order: the dataset's columns, then the path values when the tape is given. */
  readonly #names: readonly string[];
  readonly #statistics: readonly boolean[];
  /** The row group being built, one array per column, allocated once and filled by index. */
  readonly #data: unknown[][];
  readonly #rowGroupRows: number;
  /** Group keys of the loan being added (one object reused for every row). */
  readonly #keys: GroupKeys = { tenant_group: '', tenant_group_key: '', sponsor_key: '', market_key: '', facility_key: '' };
  #rows = 0;
  #inGroup = 0;
  #pending: Promise<void> | void = undefined;

  constructor(emit: (bytes: Uint8Array) => void, options: { rowGroupRows?: number; columns?: readonly LoanColumn[]; statistics?: ParquetStatistics; codec?: 'SNAPPY' | 'UNCOMPRESSED'; tape?: LoanParquetTape } = {}) {
    this.#columns = options.columns ?? LOAN_COLUMNS;
    this.#rowGroupRows = options.rowGroupRows ?? ROW_GROUP_ROWS;
    const tape = options.tape;
    const paths: readonly string[] = tape ? PARTITION_COLUMNS.map((p) => p.name) : [];
    this.#names = [...this.#columns.map((c) => c.name), ...paths];
    const statistics = options.statistics ?? 'paths';
    this.#statistics = this.#names.map((n) => (statistics === 'paths' ? paths.includes(n) : statistics));
    this.#data = this.#names.map(() => new Array<unknown>(this.#rowGroupRows));
    const columnReaders = this.#columns.map(columnReader);
    this.#readers = tape
      ? [...columnReaders, () => tape.issuerId, () => tape.dealId, (loan) => cell('STRING', loan.reportingDate), () => tape.tapeId]
      : columnReaders;
    const bytes = new ByteWriter();
    // Hand each row group's bytes on as soon as it is written, then reuse the buffer.
    const flush = () => {
      if (bytes.index > 0) emit(new Uint8Array(bytes.buffer.slice(0, bytes.index)));
      bytes.index = 0;
    };
    Object.assign(bytes, { flush, finish: flush });
    this.#writer = new ParquetWriter({ writer: bytes, schema: loanParquetSchema(this.#columns, Boolean(tape)), createdBy: 'dmbs-tape-pipeline', statistics: statistics !== false,
      // Whole ids as bounds (the default cuts them to 16 bytes): exact pruning by tape.
      statisticsTruncateLength: 64, codec: options.codec ?? 'SNAPPY' });
  }

  get rows(): number {
    return this.#rows;
  }

  /** Adds a valid loan and its result (rows in tape order). */
  add(loan: DmbsLoan, result: LoanResultLine): void {
    const tenant = tenantGroupName(loan);
    const keys = this.#keys;
    keys.tenant_group = tenant;
    keys.tenant_group_key = groupKey(tenant);
    keys.sponsor_key = groupKey(loan.sponsor);
    keys.market_key = groupKey(loan.market);
    keys.facility_key = groupKey(loan.facilityId);
    const record = loan as unknown as Record<string, unknown>;
    const readers = this.#readers;
    const data = this.#data;
    const at = this.#inGroup;
    for (let i = 0; i < readers.length; i++) data[i]![at] = readers[i]!(record, result, keys);
    this.#rows++;
    if (++this.#inGroup >= this.#rowGroupRows) this.#flushGroup();
  }

  /** Writes the last row group and the footer. */
  async finish(): Promise<void> {
    this.#flushGroup();
    await this.#pending;
    await this.#writer.finish();
  }

  #flushGroup(): void {
    const n = this.#inGroup;
    if (n === 0) return;
    const full = n === this.#rowGroupRows;
    const columnData = this.#names.map((name, i) => ({ name, data: full ? this.#data[i]! : this.#data[i]!.slice(0, n), statistics: this.#statistics[i] }));
    this.#pending = this.#writer.write({ columnData: columnData as never, rowGroupSize: this.#rowGroupRows });
    this.#inGroup = 0;
  }
}

/**
 * A tape's group sums as one Parquet file (a few hundred to a few thousand rows), one row group
 * per dimension with min/max of `dimension` and the path values: a statement that reads one
 * dimension skips the others' row groups (Athena scans less), and `tape IN (…)` prunes as in the
 * loans' file.
 */
export async function groupsParquet(rows: readonly GroupRow[], tape: LoanParquetTape & { reportingDate: string }): Promise<Uint8Array> {
  const bytes = new ByteWriter();
  const paths = PARTITION_COLUMNS.map((p) => p.name);
  const schema: Schema = [
    { name: 'root', num_children: GROUP_COLUMNS.length + paths.length },
    ...GROUP_COLUMNS.map((c) => schemaElement(c.name, c.type)), ...paths.map((n) => schemaElement(n, 'STRING')),
  ];
  const writer = new ParquetWriter({ writer: bytes, schema, createdBy: 'dmbs-tape-pipeline', statistics: true, statisticsTruncateLength: 64, codec: 'SNAPPY' });
  const byDimension = new Map<string, GroupRow[]>();
  for (const r of rows) {
    const list = byDimension.get(r.dimension);
    if (list) list.push(r);
    else byDimension.set(r.dimension, [r]);
  }
  for (const group of byDimension.values()) {
    const n = group.length;
    const constant = (v: string) => new Array<string>(n).fill(v);
    const columnData = [
      { name: 'dimension', data: group.map((r) => r.dimension), statistics: true },
      { name: 'item_key', data: group.map((r) => r.itemKey), statistics: false },
      { name: 'item_label', data: group.map((r) => r.itemLabel), statistics: false },
      { name: 'quarter', data: group.map((r) => r.quarter), statistics: false },
      { name: 'balance', data: group.map((r) => r.cents), statistics: false },
      { name: 'loan_count', data: group.map((r) => r.count), statistics: false },
      { name: 'issuer', data: constant(tape.issuerId), statistics: true },
      { name: 'deal', data: constant(tape.dealId), statistics: true },
      { name: 'reporting_date', data: constant(tape.reportingDate), statistics: true },
      { name: 'tape', data: constant(tape.tapeId), statistics: true },
    ];
    await writer.write({ columnData: columnData as never, rowGroupSize: n });
  }
  await writer.finish();
  return new Uint8Array(bytes.buffer.slice(0, bytes.index));
}
