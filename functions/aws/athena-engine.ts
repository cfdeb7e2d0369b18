/**
 * The market SQL on Athena: runs the text the SQL module produced, unchanged, in the stack's
 * workgroup and Glue database, and returns rows as plain objects typed by column (the same shape
 * the DuckDB engine returns locally). docs/aws.md, "The market dataset".
 */
import type { AnalyticsEngine } from '../market/ports.ts';
import {
  AthenaClient, GetQueryExecutionCommand, GetQueryResultsCommand, StartQueryExecutionCommand, StopQueryExecutionCommand,
  type ColumnInfo, type Row,
} from '@aws-sdk/client-athena';

export interface AthenaEngineOptions {
  readonly client: AthenaClient;
  readonly workGroup: string;
  readonly database: string;
  /** Default AwsDataCatalog (the Glue Data Catalog of the account). */
  readonly catalog?: string;
  /** How long one query may take before it is stopped, ms. Default 25 s: inside the API function's 29 s. */
  readonly timeoutMs?: number;
  /** First and largest delay between two status checks, ms (default 100 and 1,000). */
  readonly pollMs?: { readonly first: number; readonly max: number };
  /** Rows per GetQueryResults page (Athena's maximum is 1,000). */
  readonly pageSize?: number;
}

export type AthenaValue = string | number | boolean | null;

const INTEGER_TYPES = new Set(['tinyint', 'smallint', 'integer', 'int']);
const FLOAT_TYPES = new Set(['double', 'float', 'real']);

export class AthenaEngine implements AnalyticsEngine {
  readonly #options: AthenaEngineOptions;

  constructor(options: AthenaEngineOptions) {
    this.#options = options;
  }

  async query(sql: string, params: readonly (string | number)[]): Promise<Record<string, AthenaValue>[]> {
    const { client, workGroup, database } = this.#options;
    const started = await client.send(new StartQueryExecutionCommand({
      QueryString: sql,
      WorkGroup: workGroup,
      QueryExecutionContext: { Database: database, Catalog: this.#options.catalog ?? 'AwsDataCatalog' },
      ...(params.length > 0 ? { ExecutionParameters: params.map(sqlLiteral) } : {}),
    }));
    const id = started.QueryExecutionId;
    if (!id) throw new Error('Athena StartQueryExecution returned no query execution id');
    await this.#waitForSuccess(id);
    return this.#readResults(id);
  }

  async #waitForSuccess(id: string): Promise<void> {
    const { client } = this.#options;
    const timeoutMs = this.#options.timeoutMs ?? 25_000;
    const poll = this.#options.pollMs ?? { first: 100, max: 1_000 };
    const deadline = Date.now() + timeoutMs;
    for (let delay = poll.first; ; delay = Math.min(delay * 2, poll.max)) {
      const { QueryExecution: execution } = await client.send(new GetQueryExecutionCommand({ QueryExecutionId: id }));
      const state = execution?.Status?.State;
      if (state === 'SUCCEEDED') return;
      if (state === 'FAILED' || state === 'CANCELLED') {
        throw new Error(`Athena query ${id} ${state}: ${execution?.Status?.StateChangeReason ?? execution?.Status?.AthenaError?.ErrorMessage ?? 'no reason given'}`);
      }
      if (Date.now() + delay > deadline) {
        await client.send(new StopQueryExecutionCommand({ QueryExecutionId: id })).catch(() => undefined);
        throw new Error(`Athena query ${id} did not finish within ${timeoutMs} ms (state ${state ?? 'unknown'}); it was stopped`);
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  async #readResults(id: string): Promise<Record<string, AthenaValue>[]> {
    const { client } = this.#options;
    const out: Record<string, AthenaValue>[] = [];
    let columns: ColumnInfo[] | undefined;
    let nextToken: string | undefined;
    let first = true;
    do {
      const page = await client.send(new GetQueryResultsCommand({ QueryExecutionId: id, MaxResults: this.#options.pageSize ?? 1_000, NextToken: nextToken }));
      columns ??= page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? [];
      let rows = page.ResultSet?.Rows ?? [];
      // A SELECT's first row is its column labels (Athena's convention), on the first page only.
      if (first && rows.length > 0 && isHeader(rows[0]!, columns)) rows = rows.slice(1);
      first = false;
      for (const row of rows) out.push(toRecord(row, columns));
      nextToken = page.NextToken;
    } while (nextToken);
    return out;
  }
}

/** A parameter as Athena's ExecutionParameters want it: SQL literal text (strings quoted, quotes doubled). */
export function sqlLiteral(value: string | number): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`A query parameter must be a finite number, not ${value}`);
    return String(value);
  }
  return `'${value.replace(/'/g, "''")}'`;
}

function isHeader(row: Row, columns: readonly ColumnInfo[]): boolean {
  const cells = row.Data ?? [];
  return cells.length === columns.length && cells.every((cell, i) => cell.VarCharValue === (columns[i]!.Label ?? columns[i]!.Name));
}

function toRecord(row: Row, columns: readonly ColumnInfo[]): Record<string, AthenaValue> {
  const record: Record<string, AthenaValue> = {};
  const cells = row.Data ?? [];
  columns.forEach((column, i) => {
    record[column.Label ?? column.Name ?? `_col${i}`] = convert(cells[i]?.VarCharValue, column.Type ?? 'varchar');
  });
  return record;
}

/**
 * One value by its column type, as the AnalyticsEngine port wants it: integers and floats to
 * numbers, booleans, NULL (no value) to null; DECIMAL and BIGINT stay exact decimal text.
 */
export function convert(text: string | undefined, type: string): AthenaValue {
  if (text === undefined) return null;
  const base = type.toLowerCase().replace(/\(.*$/, '');
  if (INTEGER_TYPES.has(base) || FLOAT_TYPES.has(base)) return Number(text);
  if (base === 'boolean') return text === 'true';
  return text;
}
