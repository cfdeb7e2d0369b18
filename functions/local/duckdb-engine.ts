/**
 * The market view's engine on one machine: embedded DuckDB (@duckdb/node-api) over a directory
 * laid out like the bucket's `analytics/loans/` (Hive partitions issuer=/deal=/reporting_date=/tape=).
 * `dmbs_loans` is a view over read_parquet of every file below it, partitions read as text; a
 * statement's `tape IN (…)` prunes the files by path, so only the tapes asked for are opened.
 * The local stack fills the directory from the S3 emulator (LocalAnalyticsCache below).
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { LOAN_COLUMNS, PARTITION_COLUMNS, SQL_TYPES } from '../core/market/loan-columns.ts';
import { LOANS_TABLE } from '../core/market/market-sql.ts';
import type { AnalyticsEngine } from '../market/ports.ts';
import { ANALYTICS_PREFIX } from '../pipeline/loan-parquet.ts';

const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;

/**
 * `sql` with each `?` outside quotes replaced by its parameter as an SQL literal (strings quoted
 * and escaped, numbers as written). Throws when the counts differ.
 */
export function withLiterals(sql: string, params: readonly (string | number)[]): string {
  let out = '';
  let next = 0;
  let quoted: string | undefined;
  for (const ch of sql) {
    if (quoted) {
      if (ch === quoted) quoted = undefined;
      out += ch;
    } else if (ch === "'" || ch === '"') {
      quoted = ch;
      out += ch;
    } else if (ch === '?') {
      if (next >= params.length) throw new RangeError(`the statement has more ? than its ${params.length} parameter(s)`);
      const p = params[next++]!;
      if (typeof p === 'number' && !Number.isFinite(p)) throw new RangeError(`parameter ${next} is not a finite number`);
      out += typeof p === 'number' ? String(p) : quote(p);
    } else out += ch;
  }
  if (next !== params.length) throw new RangeError(`the statement has ${next} ? for ${params.length} parameter(s)`);
  return out;
}

/** A view with the dataset's columns and no row, for a directory with no file yet (read_parquet refuses an empty glob). */
function emptyView(): string {
  const columns = [
    ...LOAN_COLUMNS.map((c) => `CAST(NULL AS ${SQL_TYPES[c.type].toUpperCase()}) AS ${c.name}`),
    ...PARTITION_COLUMNS.map((p) => `CAST(NULL AS VARCHAR) AS ${p.name}`),
  ];
  return `CREATE OR REPLACE VIEW ${LOANS_TABLE} AS SELECT ${columns.join(', ')} WHERE false`;
}

export interface DuckDbEngineOptions {
  /** The directory holding `issuer=…/deal=…/reporting_date=…/tape=…/loans.parquet`. */
  readonly root: string;
  /** DuckDB threads (default 2). */
  readonly threads?: number;
  /** Runs before every statement (the local stack syncs its cache here); true: files changed, look again. */
  readonly beforeQuery?: () => Promise<boolean>;
}

export class DuckDbEngine implements AnalyticsEngine {
  readonly #instance: DuckDBInstance;
  readonly #connection: DuckDBConnection;
  readonly #root: string;
  readonly #beforeQuery: (() => Promise<boolean>) | undefined;
  #hasFiles = false;

  private constructor(instance: DuckDBInstance, connection: DuckDBConnection, options: DuckDbEngineOptions) {
    this.#instance = instance;
    this.#connection = connection;
    this.#root = options.root;
    this.#beforeQuery = options.beforeQuery;
  }

  static async open(options: DuckDbEngineOptions): Promise<DuckDbEngine> {
    const instance = await DuckDBInstance.create(':memory:', { threads: String(options.threads ?? 2) });
    const connection = await instance.connect();
    // Footers read once per file, not once per statement.
    await connection.run('SET parquet_metadata_cache = true');
    const engine = new DuckDbEngine(instance, connection, options);
    await engine.refresh();
    return engine;
  }

  /** Points the view at the files now present (call after the first file appears). */
  async refresh(): Promise<void> {
    const glob = join(this.#root, '**', 'loans.parquet');
    const files = await this.#connection.runAndReadAll(`SELECT count(*) AS n FROM glob(${quote(glob)})`);
    this.#hasFiles = Number(files.getRowObjectsJson()[0]?.n ?? 0) > 0;
    if (!this.#hasFiles) {
      await this.#connection.run(emptyView());
      return;
    }
    // union_by_name: a file written before a column joined the dataset reads it as NULL; a column no file has yet is NULL too.
    const source = `read_parquet(${quote(glob)}, hive_partitioning = true, hive_types_autocast = false, union_by_name = true)`;
    const present = new Set((await this.#connection.runAndReadAll(`SELECT column_name FROM (DESCRIBE SELECT * FROM ${source})`)).getRowObjectsJson().map((r) => r.column_name));
    const columns = [
      ...LOAN_COLUMNS.map((c) => (present.has(c.name) ? c.name : `CAST(NULL AS ${SQL_TYPES[c.type].toUpperCase()}) AS ${c.name}`)),
      ...PARTITION_COLUMNS.map((p) => p.name),
    ];
    await this.#connection.run(`CREATE OR REPLACE VIEW ${LOANS_TABLE} AS SELECT ${columns.join(', ')} FROM ${source}`);
  }

  async query(sql: string, params: readonly (string | number)[]): Promise<Record<string, unknown>[]> {
    const changed = (await this.#beforeQuery?.()) ?? false;
    if (changed || !this.#hasFiles) await this.refresh();
    // Parameters written into the text as literals: DuckDB then prunes the tapes' files by their
    // partition values and turns a long IN list into a hash lookup, which it does not for bound `?`.
    const reader = await this.#connection.runAndReadAll(withLiterals(sql, params));
    return reader.getRowObjectsJson() as Record<string, unknown>[];
  }

  close(): void {
    this.#connection.closeSync();
    this.#instance.closeSync();
  }
}

/**
 * Mirrors the bucket's `analytics/loans/` into a local directory DuckDB reads: one listing per
 * sync, and a GET only for an object whose ETag changed (a re-score replaces a tape's object).
 * Objects gone from the bucket are removed. Syncs run one at a time; a sync asked for while one
 * runs waits for it and then runs once more.
 */
export class LocalAnalyticsCache {
  readonly #s3: S3Client;
  readonly #bucket: string;
  readonly root: string;
  readonly #etags = new Map<string, string>();
  #running: Promise<boolean> | undefined;

  constructor(options: { s3: S3Client; bucket: string; root: string }) {
    this.#s3 = options.s3;
    this.#bucket = options.bucket;
    this.root = options.root;
  }

  /** Brings the directory up to date; true when a file was added, replaced or removed. */
  async sync(): Promise<boolean> {
    const previous = this.#running;
    const run = (async () => {
      await previous?.catch(() => undefined);
      return this.#sync();
    })();
    this.#running = run;
    return run;
  }

  async #sync(): Promise<boolean> {
    const seen = new Map<string, string>();
    let token: string | undefined;
    do {
      const page = await this.#s3.send(new ListObjectsV2Command({ Bucket: this.#bucket, Prefix: ANALYTICS_PREFIX, ...(token ? { ContinuationToken: token } : {}) }));
      for (const o of page.Contents ?? []) if (o.Key?.endsWith('/loans.parquet')) seen.set(o.Key, o.ETag ?? '');
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    let changed = false;
    for (const [key, eTag] of seen) {
      const path = join(this.root, key.slice(ANALYTICS_PREFIX.length));
      if (this.#etags.get(key) === eTag && existsSync(path)) continue;
      const out = await this.#s3.send(new GetObjectCommand({ Bucket: this.#bucket, Key: key }));
      const bytes = await out.Body!.transformToByteArray();
      await mkdir(dirname(path), { recursive: true });
      // Written aside, then renamed: DuckDB never reads half a file.
      await writeFile(`${path}.part`, bytes);
      await rename(`${path}.part`, path);
      this.#etags.set(key, out.ETag ?? eTag);
      changed = true;
    }
    for (const key of [...this.#etags.keys()]) {
      if (seen.has(key)) continue;
      await rm(join(this.root, key.slice(ANALYTICS_PREFIX.length)), { force: true });
      this.#etags.delete(key);
      changed = true;
    }
    return changed;
  }
}
