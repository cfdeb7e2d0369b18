/**
 * The market view's engine on one machine: embedded DuckDB (@duckdb/node-api) over a directory
 * laid out like the bucket's `analytics/` (`loans/` and `groups/`, Hive partitions
 * issuer=/deal=/reporting_date=/tape= read as text). The local stack fills the directory from the S3 emulator (LocalAnalyticsCache below).
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { PARTITION_COLUMNS, SQL_TYPES } from '../core/market/loan-columns.ts';
import { LOANS_TABLE } from '../core/market/market-sql.ts';
import { GROUP_COLUMNS, GROUPS_TABLE } from '../core/market/tape-groups.ts';
import type { AnalyticsEngine } from '../market/ports.ts';
import { ANALYTICS_PREFIX, ANALYTICS_ROOT, GROUPS_PREFIX } from '../pipeline/loan-parquet.ts';

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

export interface DuckDbEngineOptions {
  /**
   * The directory laid out as the bucket's `analytics/`: `loans/issuer=…/deal=…/reporting_date=…/tape=…/loans.parquet`
   * and `groups/…/tape=…/groups.parquet`.
   */
  readonly root: string;
  /** DuckDB threads (default 2). */
  readonly threads?: number;
  /**
   * A DuckDB database file that keeps the loaded table between starts (default: in memory only).
   * At open, only the group files whose size or time changed since they were loaded are loaded again.
   */
  readonly database?: string;
  /**
   * Runs before every statement (the local stack syncs its cache here): the files (paths below
   * `root`) added, replaced or removed since the last call; their tapes are loaded again.
   */
  readonly beforeQuery?: () => Promise<readonly string[]>;
}

/** A tape's loans or group-sums object (nothing else under `analytics/` is the dataset's). */
function isDatasetFile(key: string): boolean {
  return (key.startsWith(ANALYTICS_PREFIX) && key.endsWith('/loans.parquet')) || (key.startsWith(GROUPS_PREFIX) && key.endsWith('/groups.parquet'));
}

/** Changed files from which one bulk load beats loading each tape apart. */
const RELOAD_ALL_FROM = 50;

/** The group sums' columns and the path values: what the in-memory table holds. */
const TABLE_COLUMNS = [
  ...GROUP_COLUMNS.map((c) => ({ name: c.name, type: SQL_TYPES[c.type].toUpperCase() })),
  ...PARTITION_COLUMNS.map((p) => ({ name: p.name, type: 'VARCHAR' })),
];

const LOANS_DIR = ANALYTICS_PREFIX.slice(ANALYTICS_PREFIX.indexOf('/') + 1);
const GROUPS_DIR = GROUPS_PREFIX.slice(GROUPS_PREFIX.indexOf('/') + 1);

/** The group files the table holds, as they were when loaded (size, modification time). */
const FILES_TABLE = 'dmbs_loaded_files';

interface FileStamp {
  readonly size: number;
  readonly mtime: number;
}

/**
 * DuckDB on the database file, or in memory. A file DuckDB cannot open (another storage version,
 * a torn write; not one another process holds) is only a cache of the group files: it is removed and built again.
 */
async function openInstance(database: string | undefined, threads: string): Promise<DuckDBInstance> {
  if (!database) return DuckDBInstance.create(':memory:', { threads });
  try {
    return await DuckDBInstance.create(database, { threads });
  } catch (e) {
    // Another process holding the file is not a broken file: never remove it then.
    if (/lock/i.test(e instanceof Error ? e.message : String(e))) throw e;
    await Promise.all([rm(database, { force: true }), rm(`${database}.wal`, { force: true })]);
    return DuckDBInstance.create(database, { threads });
  }
}

/** The group files below `root` (paths relative to it) with their stamps. */
function groupFiles(root: string): Map<string, FileStamp> {
  const out = new Map<string, FileStamp>();
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else if (e.name === 'groups.parquet') {
        const st = statSync(path);
        out.set(relative(root, path).split(sep).join('/'), { size: st.size, mtime: st.mtimeMs });
      }
    }
  };
  walk(join(root, GROUPS_DIR));
  return out;
}

/**
 * The market statements' table `dmbs_tape_groups` in memory, loaded from the per-tape group
 * files once and then per changed tape: a statement scans about a thousand times fewer rows
 * than the loans (bench/README.md "The market view at 2M loans"). `dmbs_loans`, for other
 * questions, is a view over the loans' files, bound when a statement names it.
 */
export class DuckDbEngine implements AnalyticsEngine {
  readonly #instance: DuckDBInstance;
  readonly #connection: DuckDBConnection;
  readonly #root: string;
  readonly #beforeQuery: (() => Promise<readonly string[]>) | undefined;

  private constructor(instance: DuckDBInstance, connection: DuckDBConnection, options: DuckDbEngineOptions) {
    this.#instance = instance;
    this.#connection = connection;
    this.#root = options.root;
    this.#beforeQuery = options.beforeQuery;
  }

  static async open(options: DuckDbEngineOptions): Promise<DuckDbEngine> {
    const instance = await openInstance(options.database, String(options.threads ?? 2));
    const connection = await instance.connect();
    const engine = new DuckDbEngine(instance, connection, options);
    await engine.#prepare();
    // Whatever changed since the database file was last written (everything, the first time).
    const onDisk = groupFiles(options.root);
    const loaded = new Map((await connection.runAndReadAll(`SELECT path, size, mtime FROM ${FILES_TABLE}`)).getRowObjectsJson()
      .map((r) => [String(r.path), { size: Number(r.size), mtime: Number(r.mtime) }]));
    const changed = [...new Set([...onDisk.keys(), ...loaded.keys()])]
      .filter((p) => onDisk.get(p)?.size !== loaded.get(p)?.size || onDisk.get(p)?.mtime !== loaded.get(p)?.mtime);
    await engine.#reload(changed);
    return engine;
  }

  /** The tables, made anew when the database file holds another version of them. */
  async #prepare(): Promise<void> {
    const columns = (await this.#connection.runAndReadAll(`SELECT column_name AS c, data_type AS t FROM information_schema.columns
      WHERE table_name = ${quote(GROUPS_TABLE)} ORDER BY ordinal_position`)).getRowObjectsJson();
    if (columns.map((r) => `${r.c} ${r.t}`).join(', ') === TABLE_COLUMNS.map((c) => `${c.name} ${c.type}`).join(', ')) return;
    await this.#connection.run(`DROP TABLE IF EXISTS ${GROUPS_TABLE}; DROP TABLE IF EXISTS ${FILES_TABLE};
      CREATE TABLE ${GROUPS_TABLE} (${TABLE_COLUMNS.map((c) => `${c.name} ${c.type}`).join(', ')});
      CREATE TABLE ${FILES_TABLE} (path VARCHAR PRIMARY KEY, size BIGINT, mtime DOUBLE)`);
  }

  #groupsGlob(): string {
    return join(this.#root, GROUPS_DIR, '**', 'groups.parquet');
  }

  async #hasFiles(glob: string): Promise<boolean> {
    const files = await this.#connection.runAndReadAll(`SELECT count(*) AS n FROM glob(${quote(glob)})`);
    return Number(files.getRowObjectsJson()[0]?.n ?? 0) > 0;
  }

  /** Loads the group files matching `glob` (a path or a pattern), if any. */
  async #load(glob: string): Promise<void> {
    if (!(await this.#hasFiles(glob))) return;
    // The columns come from the files (the path values too): no Hive parsing, no schema union.
    // Stored by dimension: a statement skips the other dimensions' row groups by their min/max.
    await this.#connection.run(`INSERT INTO ${GROUPS_TABLE} SELECT ${TABLE_COLUMNS.map((c) => c.name).join(', ')}
      FROM read_parquet(${quote(glob)}, hive_partitioning = false) ORDER BY dimension, tape`);
  }

  /**
   * Loads the tapes of the changed group files again (removed files: their rows go); many at
   * once: everything. In one transaction with the files' stamps, so a database file never holds
   * rows its stamps do not describe.
   */
  async #reload(paths: readonly string[]): Promise<void> {
    const groups = paths.filter((p) => p.startsWith(GROUPS_DIR));
    if (groups.length === 0) return;
    const run = (sql: string) => this.#connection.run(sql);
    await run('BEGIN TRANSACTION');
    try {
      const all = groups.length > RELOAD_ALL_FROM;
      if (all) {
        await run(`DELETE FROM ${GROUPS_TABLE}; DELETE FROM ${FILES_TABLE}`);
        await this.#load(this.#groupsGlob());
      } else {
        for (const path of groups) {
          const tape = /(?:^|\/)tape=([^/]+)\//.exec(path)?.[1];
          if (!tape) continue;
          await run(`DELETE FROM ${GROUPS_TABLE} WHERE tape = ${quote(tape)}; DELETE FROM ${FILES_TABLE} WHERE path = ${quote(path)}`);
          const file = join(this.#root, path);
          if (existsSync(file)) await this.#load(file);
        }
      }
      const stamps = [...groupFiles(this.#root)].filter(([p]) => all || groups.includes(p));
      if (stamps.length > 0) await run(`INSERT INTO ${FILES_TABLE} VALUES ${stamps.map(([p, st]) => `(${quote(p)}, ${st.size}, ${st.mtime})`).join(', ')}`);
      await run('COMMIT');
    } catch (e) {
      await run('ROLLBACK');
      throw e;
    }
  }

  /** (Re)binds the loans' view over the files there are now; dropped when there are none. */
  async #bindLoans(): Promise<void> {
    const glob = join(this.#root, LOANS_DIR, '**', 'loans.parquet');
    if (!(await this.#hasFiles(glob))) {
      await this.#connection.run(`DROP VIEW IF EXISTS ${LOANS_TABLE}`);
      return;
    }
    await this.#connection.run(`CREATE OR REPLACE VIEW ${LOANS_TABLE} AS SELECT * FROM read_parquet(${quote(glob)}, hive_partitioning = true, hive_types_autocast = false, union_by_name = true)`);
  }

  async query(sql: string, params: readonly (string | number)[]): Promise<Record<string, unknown>[]> {
    const changed = (await this.#beforeQuery?.()) ?? [];
    if (changed.length > 0) await this.#reload(changed);
    if (new RegExp(`\\b${LOANS_TABLE}\\b`).test(sql)) await this.#bindLoans();
    // Parameters written into the text as literals: DuckDB turns a long IN list of constants into
    // a hash lookup, which it does not for bound `?`.
    const reader = await this.#connection.runAndReadAll(withLiterals(sql, params));
    return reader.getRowObjectsJson() as Record<string, unknown>[];
  }

  close(): void {
    this.#connection.closeSync();
    this.#instance.closeSync();
  }
}

/**
 * Mirrors the bucket's `analytics/` (the loans' and the group sums' files) into a local directory DuckDB reads: one listing per
 * sync, and a GET only for an object whose ETag changed (a re-score replaces a tape's object).
 * Objects gone from the bucket are removed. Syncs run one at a time; a sync asked for while one
 * runs waits for it and then runs once more.
 */
export class LocalAnalyticsCache {
  readonly #s3: S3Client;
  readonly #bucket: string;
  readonly root: string;
  readonly #etags = new Map<string, string>();
  #running: Promise<readonly string[]> | undefined;

  constructor(options: { s3: S3Client; bucket: string; root: string }) {
    this.#s3 = options.s3;
    this.#bucket = options.bucket;
    this.root = options.root;
  }

  /** Brings the directory up to date; the files (paths below `root`) added, replaced or removed. */
  async sync(): Promise<readonly string[]> {
    const previous = this.#running;
    const run = (async () => {
      await previous?.catch(() => undefined);
      return this.#sync();
    })();
    this.#running = run;
    return run;
  }

  async #sync(): Promise<readonly string[]> {
    const seen = new Map<string, string>();
    let token: string | undefined;
    do {
      const page = await this.#s3.send(new ListObjectsV2Command({ Bucket: this.#bucket, Prefix: ANALYTICS_ROOT, ...(token ? { ContinuationToken: token } : {}) }));
      for (const o of page.Contents ?? []) if (o.Key && isDatasetFile(o.Key)) seen.set(o.Key, o.ETag ?? '');
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    const changed: string[] = [];
    for (const [key, eTag] of seen) {
      const path = join(this.root, key.slice(ANALYTICS_ROOT.length));
      if (this.#etags.get(key) === eTag && existsSync(path)) continue;
      // A file left by an earlier start: kept when its bytes are the object's (a single-part
      // object's ETag is the MD5 of its bytes), so a restart downloads and reloads nothing.
      if (!this.#etags.has(key) && existsSync(path) && `"${createHash('md5').update(await readFile(path)).digest('hex')}"` === eTag) {
        this.#etags.set(key, eTag);
        continue;
      }
      const out = await this.#s3.send(new GetObjectCommand({ Bucket: this.#bucket, Key: key }));
      const bytes = await out.Body!.transformToByteArray();
      await mkdir(dirname(path), { recursive: true });
      // Written aside, then renamed: DuckDB never reads half a file.
      await writeFile(`${path}.part`, bytes);
      await rename(`${path}.part`, path);
      this.#etags.set(key, out.ETag ?? eTag);
      changed.push(key.slice(ANALYTICS_ROOT.length));
    }
    for (const key of [...this.#etags.keys()]) {
      if (seen.has(key)) continue;
      await rm(join(this.root, key.slice(ANALYTICS_ROOT.length)), { force: true });
      this.#etags.delete(key);
      changed.push(key.slice(ANALYTICS_ROOT.length));
    }
    return changed;
  }
}
